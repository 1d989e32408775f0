import type * as k8s from '@kubernetes/client-node';
import type { Evidence, ClusterSnapshot } from '../domain/evidence.js';
import type { ContainerLog, MetricSample } from '../domain/types.js';

/**
 * Small read-only queries over a ClusterSnapshot shared by the analyzers, and the
 * `source` strings evidence lines carry (same shape as EvidenceItem ids).
 */

export const podSource = (pod: k8s.V1Pod): string =>
  `pod/${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}/status`;
export const eventSource = (e: k8s.CoreV1Event): string =>
  `events/${e.involvedObject.namespace ?? e.metadata?.namespace ?? ''}/${e.involvedObject.kind ?? ''}/${e.involvedObject.name ?? ''}`;
export const logSource = (log: ContainerLog): string =>
  `pod/${log.namespace}/${log.pod}/logs/${log.container}${log.previous ? '/previous' : ''}`;
export const objectSource = (kind: string, meta: k8s.V1ObjectMeta | undefined): string =>
  `${kind.toLowerCase()}/${meta?.namespace ? `${meta.namespace}/` : ''}${meta?.name ?? ''}`;
export const metricSource = (m: MetricSample): string => `prometheus/${m.namespace}/${m.pod}/${m.name}`;

export const nameOf = (o: { metadata?: k8s.V1ObjectMeta }): string => o.metadata?.name ?? '';
export const nsOf = (o: { metadata?: k8s.V1ObjectMeta }): string => o.metadata?.namespace ?? '';

export function eventsFor(snapshot: ClusterSnapshot, kind: string, name: string, namespace?: string): k8s.CoreV1Event[] {
  return snapshot.events
    .filter(
      (e) =>
        e.involvedObject.kind === kind &&
        e.involvedObject.name === name &&
        (namespace === undefined || !e.involvedObject.namespace || e.involvedObject.namespace === namespace),
    )
    .sort((a, b) => eventTime(b) - eventTime(a));
}

export function eventTime(e: k8s.CoreV1Event): number {
  const t = e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata?.creationTimestamp;
  return t ? new Date(t).getTime() : 0;
}

export function eventLine(e: k8s.CoreV1Event): string {
  const count = e.count && e.count > 1 ? ` (x${e.count})` : '';
  return `${e.type ?? 'Normal'} ${e.reason ?? ''}: ${e.message ?? ''}${count}`.trim();
}

/** Samples of one collected query (`cpuThrottledRatio`, …) for a pod, numbers only. */
export function metricsFor(snapshot: ClusterSnapshot, name: string, pod: k8s.V1Pod): MetricSample[] {
  return snapshot.metrics.filter((m) => m.name === name && m.pod === nameOf(pod) && m.namespace === nsOf(pod) && Number.isFinite(m.value));
}

export function logsFor(snapshot: ClusterSnapshot, pod: k8s.V1Pod, container: string): ContainerLog[] {
  return snapshot.logs
    .filter((l) => l.pod === nameOf(pod) && l.namespace === nsOf(pod) && l.container === container)
    .sort((a, b) => Number(b.previous) - Number(a.previous));
}

export function labelsMatch(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

/** matchLabels + matchExpressions; an empty selector matches everything (NetworkPolicy semantics). */
export function labelSelectorMatches(selector: k8s.V1LabelSelector | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector) return true;
  const l = labels ?? {};
  const byLabels = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => l[k] === v);
  const byExpr = (selector.matchExpressions ?? []).every((e) => {
    const value = l[e.key];
    switch (e.operator) {
      case 'In':
        return value !== undefined && (e.values ?? []).includes(value);
      case 'NotIn':
        return value === undefined || !(e.values ?? []).includes(value);
      case 'Exists':
        return value !== undefined;
      case 'DoesNotExist':
        return value === undefined;
      default:
        return false;
    }
  });
  return byLabels && byExpr;
}

function ownedBy(pod: k8s.V1Pod, snapshot: ClusterSnapshot, kind: string, name: string): boolean {
  const podName = nameOf(pod);
  for (const ref of pod.metadata?.ownerReferences ?? []) {
    if (ref.kind === kind && ref.name === name) return true;
    if (ref.kind === 'ReplicaSet' && kind === 'Deployment') {
      const rs = snapshot.replicaSets.find((r) => nameOf(r) === ref.name && nsOf(r) === nsOf(pod));
      if (rs?.metadata?.ownerReferences?.some((o) => o.kind === 'Deployment' && o.name === name)) return true;
      if (!rs && ref.name.startsWith(`${name}-`)) return true;
    }
  }
  if (kind === 'PodOwner' || kind === 'Pod') return podName === name || podName.startsWith(`${name}-`);
  return false;
}

/**
 * The pods an incident is about: the target pod, else the target workload's pods,
 * else the pods on the target node, else every pod read.
 */
export function scopedPods(evidence: Evidence): k8s.V1Pod[] {
  const { snapshot, target } = evidence;
  const inNs = (p: k8s.V1Pod) => !target.namespace || nsOf(p) === target.namespace;
  if (target.pod) {
    const pod = snapshot.pods.filter((p) => nameOf(p) === target.pod && inNs(p));
    if (pod.length > 0) return pod;
  }
  const w = target.workload;
  if (w && w.kind !== 'Node') {
    const owned = snapshot.pods.filter((p) => inNs(p) && ownedBy(p, snapshot, w.kind, w.name));
    if (owned.length > 0) return owned;
  }
  if (target.node) {
    const onNode = snapshot.pods.filter((p) => p.spec?.nodeName === target.node);
    if (onNode.length > 0) return onNode;
  }
  return snapshot.pods.filter(inNs);
}

export function allContainers(pod: k8s.V1Pod): k8s.V1Container[] {
  return [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
}

export function isInit(pod: k8s.V1Pod, container: string): boolean {
  return (pod.spec?.initContainers ?? []).some((c) => c.name === container);
}

/** Pods a Service selects, among those read. */
export function podsForService(snapshot: ClusterSnapshot, svc: k8s.V1Service): k8s.V1Pod[] {
  return snapshot.pods.filter((p) => nsOf(p) === nsOf(svc) && labelsMatch(svc.spec?.selector, p.metadata?.labels));
}

export function podIsReady(pod: k8s.V1Pod): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

export function nonEmptyLines(text: string): string[] {
  return text.split('\n').map((l) => l.trimEnd()).filter((l) => l.trim().length > 0);
}

/** Parses Kubernetes quantities ("500m", "2", "512Mi", "1G") into cores or bytes. */
export function parseQuantity(q: string | number | undefined): number {
  if (q === undefined) return 0;
  if (typeof q === 'number') return q;
  const m = /^([0-9.]+)([a-zA-Z]*)$/.exec(q.trim());
  if (!m) return 0;
  const n = Number(m[1]);
  const unit = m[2] ?? '';
  const factors: Record<string, number> = {
    '': 1, m: 1e-3, k: 1e3, K: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40,
  };
  return n * (factors[unit] ?? 1);
}
