import type * as k8s from '@kubernetes/client-node';
import type { EvidenceLine, Finding } from '../../domain/analysis.js';
import type { ClusterSnapshot } from '../../domain/evidence.js';
import type { Analyzer } from '../analyzer.js';
import type { CauseId } from '../causes.js';
import { makeFinding } from '../make-finding.js';
import { eventLine, eventSource, eventsFor, nameOf, nsOf, parseQuantity, scopedPods } from '../snapshot-queries.js';

/** Reasons in the scheduler's "0/3 nodes are available: …" message. */
const REASONS: ReadonlyArray<{ cause: CauseId; pattern: RegExp }> = [
  { cause: 'insufficient-cpu', pattern: /Insufficient cpu/i },
  { cause: 'insufficient-memory', pattern: /Insufficient memory/i },
  { cause: 'unbound-pvc', pattern: /unbound (immediate )?PersistentVolumeClaims|persistentvolumeclaim .* not found|volume node affinity conflict/i },
  { cause: 'untolerated-taint', pattern: /untolerated taint|had taint/i },
  { cause: 'node-selector-mismatch', pattern: /didn't match (Pod's )?node (affinity|selector)|node\(s\) didn't match/i },
  { cause: 'too-many-pods', pattern: /Too many pods/i },
];

/** Parses one FailedScheduling message into (cause, node count, text) parts. */
export function parseFailedScheduling(message: string): Array<{ cause: CauseId; count: number; text: string }> {
  const head = message.split(/preemption:/)[0] ?? message;
  const body = head.replace(/^.*?nodes are available:\s*/, '');
  return body
    .split(/,\s*(?=\d+ |pod has)|\.\s+(?=\d+ )/)
    .map((part) => part.trim().replace(/\.$/, ''))
    .filter(Boolean)
    .map((text) => {
      const count = Number(/^(\d+)/.exec(text)?.[1] ?? '0');
      const cause = REASONS.find((r) => r.pattern.test(text))?.cause ?? 'unschedulable';
      return { cause, count: cause === 'unbound-pvc' && count === 0 ? Number.MAX_SAFE_INTEGER : count, text };
    });
}

export const analyzeScheduling: Analyzer = ({ evidence }) => {
  const { snapshot } = evidence;
  const findings: Finding[] = [];
  for (const pod of scopedPods(evidence)) {
    if (pod.status?.phase !== 'Pending' || pod.spec?.nodeName) continue;
    const failed = eventsFor(snapshot, 'Pod', nameOf(pod), nsOf(pod)).find((e) => e.reason === 'FailedScheduling');
    const condition = pod.status.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
    const message = failed?.message ?? condition?.message;
    if (!message) continue;
    const parts = parseFailedScheduling(message);
    // The reason that rules out the most nodes decides; taints on control-plane nodes are background.
    const ranked = [...parts].sort((a, b) => b.count - a.count || rank(a.text) - rank(b.text));
    const top = ranked[0];
    if (!top) continue;
    const src = failed ? eventSource(failed) : `pod/${nsOf(pod)}/${nameOf(pod)}/status`;
    const evidenceLines: EvidenceLine[] = [{ line: failed ? eventLine(failed) : `PodScheduled=False: ${message}`, source: src }];
    findings.push(explain(top.cause, pod, snapshot, top.text, evidenceLines));
  }
  return findings;
};

function rank(text: string): number {
  return /control-plane|master/.test(text) ? 1 : 0;
}

function explain(cause: CauseId, pod: k8s.V1Pod, snapshot: ClusterSnapshot, text: string, evidence: EvidenceLine[]): Finding {
  const pn = `${nsOf(pod)}/${nameOf(pod)}`;
  const ns = nsOf(pod);
  const base = { analyzer: 'scheduling', cause, category: 'pod-pending' as const, evidence, confidence: 0.9 };
  if (cause === 'insufficient-cpu' || cause === 'insufficient-memory') {
    const resource = cause === 'insufficient-cpu' ? 'cpu' : 'memory';
    const requested = (pod.spec?.containers ?? []).map((c) => c.resources?.requests?.[resource]).filter((q): q is string => typeof q === 'string');
    const total = requested.reduce((sum, q) => sum + parseQuantity(q), 0);
    const allocatable = snapshot.nodes.map((n) => `${nameOf(n)}=${n.status?.allocatable?.[resource] ?? '?'}`);
    const fmt = resource === 'cpu' ? `${Math.round(total * 1000)}m` : `${Math.round(total / 2 ** 20)}Mi`;
    evidence.push({ line: `pod requests ${resource}: ${requested.join(' + ') || 'none'} (total ${fmt})`, source: `pod/${pn}/spec` });
    if (allocatable.length > 0) evidence.push({ line: `node allocatable ${resource}: ${allocatable.join(', ')}`, source: 'nodes' });
    return makeFinding({
      ...base,
      title: `Pod ${pn} cannot be scheduled: ${text} — it requests ${fmt} ${resource} and no node has that much free.`,
      detail: `The scheduler reports "${text}". Requests are reserved capacity: the sum of requests on a node cannot exceed its allocatable ${resource}.`,
      actions: [
        `kubectl describe nodes | grep -A 8 "Allocated resources"`,
        `Lower the ${resource} request if it is oversized (kubectl -n ${ns} set resources <workload> --requests=${resource}=<value>), or add node capacity / enable the cluster autoscaler.`,
      ],
    });
  }
  const selector = pod.spec?.nodeSelector ? Object.entries(pod.spec.nodeSelector).map(([k, v]) => `${k}=${v}`).join(',') : '';
  const tolerations = (pod.spec?.tolerations ?? []).map((t) => `${t.key ?? '*'}${t.value ? `=${t.value}` : ''}:${t.effect ?? '*'}`).join(', ');
  const taint = /taint \{([^}]*)\}/.exec(text)?.[1];
  const byCause: Partial<Record<CauseId, { title: string; detail: string; actions: string[] }>> = {
    'node-selector-mismatch': {
      title: `Pod ${pn} cannot be scheduled: no node matches its ${selector ? `nodeSelector ${selector}` : 'node affinity'}.`,
      detail: `The scheduler reports "${text}".`,
      actions: [`kubectl get nodes --show-labels${selector ? ` -l ${selector}` : ''}`, 'Fix the nodeSelector/affinity, or label the intended nodes.'],
    },
    'untolerated-taint': {
      title: `Pod ${pn} cannot be scheduled: the nodes carry taint${taint ? ` {${taint}}` : 's'} the pod does not tolerate.`,
      detail: `The scheduler reports "${text}". Pod tolerations: ${tolerations || 'none'}.`,
      actions: [`kubectl get nodes -o custom-columns=NAME:.metadata.name,TAINTS:.spec.taints`, 'Add a matching toleration to the pod, or remove the taint if it was left behind (kubectl taint nodes <node> <key>-).'],
    },
    'unbound-pvc': {
      title: `Pod ${pn} cannot be scheduled: its PersistentVolumeClaim is not bound.`,
      detail: `The scheduler reports "${text}".`,
      actions: [`kubectl -n ${ns} get pvc`, `kubectl -n ${ns} describe pvc <claim>`],
    },
    'too-many-pods': {
      title: `Pod ${pn} cannot be scheduled: the nodes are at their maximum pod count.`,
      detail: `The scheduler reports "${text}".`,
      actions: ['kubectl get nodes -o custom-columns=NAME:.metadata.name,PODS:.status.allocatable.pods', 'Add nodes or raise maxPods in the kubelet configuration.'],
    },
  };
  const chosen = byCause[cause] ?? {
    title: `Pod ${pn} cannot be scheduled: ${text}.`,
    detail: 'The scheduler found no node that satisfies the pod.',
    actions: [`kubectl -n ${ns} describe pod ${nameOf(pod)}`],
  };
  // An unbound claim is a storage problem: the PVC's own events name the cause, so this finding ranks below them.
  return makeFinding({ ...base, ...chosen, ...(cause === 'unbound-pvc' ? { category: 'storage' as const } : {}), confidence: cause === 'unbound-pvc' ? 0.7 : cause === 'unschedulable' ? 0.6 : 0.9 });
}
