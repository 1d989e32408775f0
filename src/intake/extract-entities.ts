/**
 * Kubernetes objects named in an engineer's free-text description ("Pod auth-7d9f in
 * namespace prod is OOMKilled"), read by rules alone: `kind/name`, `ns/name`,
 * `-n ns`, "in namespace X", "in the X namespace", a kind word followed by a name,
 * and quoted names. Pure; the LLM extractor (src/llm/extract-entities.ts) only fills
 * what the rules leave empty.
 */
export type Entities = {
  namespace?: string;
  pod?: string;
  /** Name of the owning workload; `workloadKind` says which kind when the text did. */
  workload?: string;
  workloadKind?: WorkloadKind;
  node?: string;
  service?: string;
};

export const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob'] as const;
export type WorkloadKind = (typeof WORKLOAD_KINDS)[number];

type Slot = 'namespace' | 'pod' | 'node' | 'service' | WorkloadKind;

/** kubectl's resource names and short names, as people type them. */
const KIND_WORDS: Record<string, Slot> = {
  pod: 'pod',
  pods: 'pod',
  po: 'pod',
  deployment: 'Deployment',
  deployments: 'Deployment',
  deploy: 'Deployment',
  statefulset: 'StatefulSet',
  statefulsets: 'StatefulSet',
  sts: 'StatefulSet',
  daemonset: 'DaemonSet',
  daemonsets: 'DaemonSet',
  ds: 'DaemonSet',
  job: 'Job',
  jobs: 'Job',
  cronjob: 'CronJob',
  cronjobs: 'CronJob',
  cj: 'CronJob',
  node: 'node',
  nodes: 'node',
  no: 'node',
  service: 'service',
  services: 'service',
  svc: 'service',
  namespace: 'namespace',
  namespaces: 'namespace',
  ns: 'namespace',
};

/** Words that follow a kind word in prose ("the pod is crashing") and are never names. */
const STOP_WORDS = new Set(
  'a an the is are was were be been being has have had keeps keep kept in on of for to from with and or but not no its it that this these those which who when where what while after before since by at as can cannot will would should could may might does do did down up stuck broken fails failure error errors returns throws unavailable unreachable unhealthy degraded slow dead gone keeps seems won isn'.split(
    ' ',
  ),
);

/** Short names (po, no, ds, …) and plurals read as kinds only in `kind/name`, never in prose. */
const PROSE_KINDS = ['pod', 'deployment', 'statefulset', 'daemonset', 'job', 'cronjob', 'node', 'service', 'svc'];

/** `a/b` pairs in prose that are not namespace/name. */
const NOT_NAMESPACED = /^(and|or|read|write|input|output|yes|no|on|off|client|server|request|response|tcp|udp|http|https|true|false)$/;

/** RFC 1123 names (lower case, digits, '-', '.'), at most 253 characters. */
const NAME = '[a-z0-9](?:[-a-z0-9.]*[a-z0-9])?';
const isName = (s: string): boolean => s.length <= 253 && new RegExp(`^${NAME}$`).test(s) && !STOP_WORDS.has(s);
/** An unquoted word after a kind word: a name unless it reads like prose ("crashing", "restarted"). */
const isBareName = (s: string): boolean => isName(s) && (/[-.0-9]/.test(s) || !/(ing|ed|ly)$/.test(s));

const KIND_ALT = Object.keys(KIND_WORDS).sort((a, b) => b.length - a.length).join('|');
/** ReplicaSet hashes and pod suffixes use Kubernetes' safe alphabet (no vowels, no 0/1/3). */
const SAFE = '[bcdfghjklmnpqrstvwxz2456789]';
const QUOTE = `["'\`“”‘’]?`;

export function extractEntities(description: string): Entities {
  const found: Entities = {};
  const set = (slot: Slot, name: string | undefined, quoted = true): void => {
    if (!name || !(quoted ? isName(name) : isBareName(name))) return;
    if (slot === 'namespace' || slot === 'pod' || slot === 'node' || slot === 'service') {
      found[slot] ??= name;
    } else if (!found.workload) {
      found.workload = name;
      found.workloadKind = slot;
    }
  };
  const text = description.replace(/\s+/g, ' ');

  // Flags: -n prod, --namespace prod, --namespace=prod
  for (const m of text.matchAll(new RegExp(`(?:^|\\s)(?:-n|--namespace)(?:\\s+|=)${QUOTE}(${NAME})`, 'g'))) set('namespace', m[1]);
  // Prose: "in namespace prod", "namespace: prod", "ns=prod", "in the prod namespace"
  for (const m of text.matchAll(new RegExp(`\\b(?:namespace|ns)\\b\\s*[:=]?\\s*${QUOTE}(${NAME})`, 'gi'))) set('namespace', m[1]);
  for (const m of text.matchAll(new RegExp(`\\bin (?:the )?${QUOTE}(${NAME})${QUOTE} (?:namespace|ns)\\b`, 'gi'))) set('namespace', m[1]);

  // kind/name and kind/ns/name: pod/auth-7d9f, deploy/api, svc/prod/checkout
  for (const m of text.matchAll(new RegExp(`(?<![-\\w./])(${KIND_ALT})/(${NAME})(?:/(${NAME}))?(?![\\w/])`, 'gi'))) {
    const slot = KIND_WORDS[m[1]!.toLowerCase()];
    if (!slot) continue;
    if (m[3]) {
      set('namespace', m[2]);
      set(slot, m[3]);
    } else set(slot, m[2]);
  }
  // "pod auth-7d9f", "Deployment 'checkout'", "node ip-10-0-1-5"
  for (const m of text.matchAll(new RegExp(`\\b(${PROSE_KINDS.join('|')})\\s+(${QUOTE})(${NAME})`, 'gi'))) {
    const slot = KIND_WORDS[m[1]!.toLowerCase()];
    if (slot) set(slot, m[3], m[2] !== '');
  }
  // ns/name without a kind: prod/auth-7d9f (a pod when it has a pod's shape, else a workload)
  for (const m of text.matchAll(new RegExp(`(?<![-\\w./:])(${NAME})/(${NAME})(?![\\w/])`, 'g'))) {
    const [, ns, name] = m;
    if (!ns || !name || KIND_WORDS[ns] !== undefined || ns.includes('.') || NOT_NAMESPACED.test(ns) || NOT_NAMESPACED.test(name)) continue;
    if (/^\d+$/.test(ns) || /^\d+$/.test(name)) continue;
    set('namespace', ns);
    if (looksLikePod(name)) set('pod', name);
    else set('Deployment', name);
  }
  // A quoted name with no kind word before it: the workload (or pod) being asked about.
  for (const m of text.matchAll(new RegExp(`["'\`“‘](${NAME})["'\`”’]`, 'g'))) {
    const name = m[1];
    if (!name || Object.values(found).includes(name)) continue;
    if (looksLikePod(name)) set('pod', name);
    else if (!found.workload) set('Deployment', name);
  }
  // A bare word with a Deployment pod's unmistakable shape: checkout-5d8f9c7b6d-x2x4k
  for (const m of text.matchAll(new RegExp(`(?<![-\\w./])(${NAME}-${SAFE}{6,10}-${SAFE}{5})(?![-\\w/])`, 'g'))) set('pod', m[1]);
  return found;
}

/** `<deployment>-<replicaset hash>-<suffix>` or `<name>-<5-char suffix>`. */
function looksLikePod(name: string): boolean {
  return new RegExp(`-${SAFE}{6,10}-${SAFE}{5}$`).test(name) || new RegExp(`-${SAFE}{5}$`).test(name);
}

/** Rules win; the LLM's validated names fill only what the rules left empty. */
export function mergeEntities(rules: Entities, llm: Partial<Entities> | null): Entities {
  if (!llm) return rules;
  const merged: Entities = { ...rules };
  for (const key of ['namespace', 'pod', 'node', 'service'] as const) {
    const v = llm[key];
    if (!merged[key] && typeof v === 'string' && isName(v)) merged[key] = v;
  }
  if (!merged.workload && typeof llm.workload === 'string' && isName(llm.workload)) {
    merged.workload = llm.workload;
    const kind = llm.workloadKind;
    if (kind && (WORKLOAD_KINDS as readonly string[]).includes(kind)) merged.workloadKind = kind;
  }
  return merged;
}

/** The alert-style labels the pipeline reads (namespace, pod, deployment, node, service, …). */
export function entityLabels(e: Entities): Record<string, string> {
  const labels: Record<string, string> = {};
  if (e.namespace) labels.namespace = e.namespace;
  if (e.pod) labels.pod = e.pod;
  if (e.node) labels.node = e.node;
  if (e.service) labels.service = e.service;
  if (e.workload) {
    const label = { Deployment: 'deployment', StatefulSet: 'statefulset', DaemonSet: 'daemonset', Job: 'job_name', CronJob: 'cronjob' }[
      e.workloadKind ?? 'Deployment'
    ];
    labels[label] = e.workload;
  }
  return labels;
}
