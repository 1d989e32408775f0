/**
 * What a rollout changed in the pod template, for the incident and the explain stage:
 * images, env (names only — values may be secrets), resources, command/args, probes,
 * and pod-level fields. Pure; templates are plain JSON as the API returns them.
 */
export type TemplateLike = {
  metadata?: { annotations?: Record<string, string> | null } | null;
  spec?: {
    containers?: ContainerLike[] | null;
    initContainers?: ContainerLike[] | null;
    [k: string]: unknown;
  } | null;
};
type ContainerLike = {
  name: string;
  image?: string | null;
  env?: { name: string; value?: string | null; valueFrom?: unknown }[] | null;
  envFrom?: unknown[] | null;
  resources?: { requests?: Record<string, string> | null; limits?: Record<string, string> | null } | null;
  command?: string[] | null;
  args?: string[] | null;
  livenessProbe?: unknown;
  readinessProbe?: unknown;
  startupProbe?: unknown;
  [k: string]: unknown;
};

export type ChangeKind = 'image' | 'env' | 'resources' | 'command' | 'probes' | 'containers' | 'pod';
export type RolloutChange = { kinds: ChangeKind[]; lines: string[]; summary: string };

const POD_FIELDS = ['serviceAccountName', 'nodeSelector', 'affinity', 'tolerations', 'volumes', 'securityContext', 'priorityClassName'] as const;

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

function quantities(r: Record<string, string> | null | undefined): string {
  const entries = Object.entries(r ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return entries.length === 0 ? 'none' : entries.map(([k, v]) => `${k}=${v}`).join(',');
}

function envChanges(before: ContainerLike, after: ContainerLike): string[] {
  const old = new Map((before.env ?? []).map((e) => [e.name, e]));
  const now = new Map((after.env ?? []).map((e) => [e.name, e]));
  const added = [...now.keys()].filter((k) => !old.has(k));
  const removed = [...old.keys()].filter((k) => !now.has(k));
  const changed = [...now.keys()].filter((k) => old.has(k) && !same(old.get(k), now.get(k)));
  const parts = [
    ...(added.length ? [`added ${added.join(', ')}`] : []),
    ...(removed.length ? [`removed ${removed.join(', ')}`] : []),
    ...(changed.length ? [`changed ${changed.join(', ')}`] : []),
    ...(!same(before.envFrom, after.envFrom) ? ['envFrom changed'] : []),
  ];
  return parts;
}

function containerChanges(prefix: string, before: ContainerLike, after: ContainerLike, kinds: Set<ChangeKind>): string[] {
  const lines: string[] = [];
  if ((before.image ?? '') !== (after.image ?? '')) {
    kinds.add('image');
    lines.push(`${prefix} image ${before.image ?? '(none)'} → ${after.image ?? '(none)'}`);
  }
  const env = envChanges(before, after);
  if (env.length) {
    kinds.add('env');
    lines.push(`${prefix} env: ${env.join('; ')}`);
  }
  for (const key of ['requests', 'limits'] as const) {
    const a = before.resources?.[key];
    const b = after.resources?.[key];
    if (!same(a && quantities(a), b && quantities(b))) {
      kinds.add('resources');
      lines.push(`${prefix} ${key} ${quantities(a)} → ${quantities(b)}`);
    }
  }
  if (!same(before.command, after.command) || !same(before.args, after.args)) {
    kinds.add('command');
    lines.push(`${prefix} command/args changed`);
  }
  const probes = (['livenessProbe', 'readinessProbe', 'startupProbe'] as const).filter((p) => !same(before[p], after[p]));
  if (probes.length) {
    kinds.add('probes');
    lines.push(`${prefix} ${probes.join(', ')} changed`);
  }
  return lines;
}

function compareList(label: string, before: ContainerLike[], after: ContainerLike[], kinds: Set<ChangeKind>): string[] {
  const old = new Map(before.map((c) => [c.name, c]));
  const lines: string[] = [];
  for (const c of after) {
    const prev = old.get(c.name);
    if (!prev) {
      kinds.add('containers');
      lines.push(`${label} ${c.name} added (image ${c.image ?? '(none)'})`);
    } else lines.push(...containerChanges(`${label} ${c.name}:`, prev, c, kinds));
  }
  for (const c of before) {
    if (!after.some((a) => a.name === c.name)) {
      kinds.add('containers');
      lines.push(`${label} ${c.name} removed`);
    }
  }
  return lines;
}

export function describeRolloutChange(before: TemplateLike | null, after: TemplateLike): RolloutChange {
  if (!before) {
    const images = (after.spec?.containers ?? []).map((c) => `${c.name}=${c.image ?? '(none)'}`).join(', ');
    return { kinds: [], lines: [], summary: `previous template unknown; now running ${images || 'no containers'}` };
  }
  const kinds = new Set<ChangeKind>();
  const lines = [
    ...compareList('container', before.spec?.containers ?? [], after.spec?.containers ?? [], kinds),
    ...compareList('init container', before.spec?.initContainers ?? [], after.spec?.initContainers ?? [], kinds),
  ];
  const pod = POD_FIELDS.filter((f) => !same(before.spec?.[f], after.spec?.[f]));
  if (pod.length) {
    kinds.add('pod');
    lines.push(`pod ${pod.join(', ')} changed`);
  }
  // kubectl rollout restart changes only this annotation.
  const restarted = before.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt'] !== after.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt'];
  if (lines.length === 0) lines.push(restarted ? 'restart only (kubectl rollout restart); the template is otherwise unchanged' : 'template metadata only (labels or annotations)');
  return { kinds: [...kinds], lines, summary: lines.join('; ') };
}
