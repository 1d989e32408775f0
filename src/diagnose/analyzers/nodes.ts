import type * as k8s from '@kubernetes/client-node';
import type { EvidenceLine, Finding } from '../../domain/analysis.js';
import type { Evidence } from '../../domain/evidence.js';
import type { Analyzer } from '../analyzer.js';
import type { CauseId } from '../causes.js';
import { makeFinding } from '../make-finding.js';
import { eventLine, eventSource, eventsFor, nameOf, nsOf, objectSource, podSource, scopedPods } from '../snapshot-queries.js';

const PRESSURE: ReadonlyArray<{ type: string; cause: CauseId; what: string }> = [
  { type: 'MemoryPressure', cause: 'node-memory-pressure', what: 'memory' },
  { type: 'DiskPressure', cause: 'node-disk-pressure', what: 'disk space or inodes' },
  { type: 'PIDPressure', cause: 'node-pid-pressure', what: 'process ids' },
];

function scopedNodes(evidence: Evidence): k8s.V1Node[] {
  const { snapshot, target } = evidence;
  if (target.node) {
    const n = snapshot.nodes.filter((x) => nameOf(x) === target.node || x.status?.addresses?.some((a) => a.address === target.node));
    if (n.length > 0) return n;
  }
  const podNodes = new Set(scopedPods(evidence).map((p) => p.spec?.nodeName).filter(Boolean));
  const onPods = snapshot.nodes.filter((n) => podNodes.has(nameOf(n)));
  return onPods.length > 0 && (target.pod || target.workload) ? onPods : snapshot.nodes;
}

export const analyzeNodes: Analyzer = ({ subject, evidence }) => {
  const { snapshot } = evidence;
  const findings: Finding[] = [];
  for (const node of scopedNodes(evidence)) {
    const name = nameOf(node);
    const src = objectSource('Node', node.metadata);
    const events = eventsFor(snapshot, 'Node', name).slice(0, 3).map((e) => ({ line: eventLine(e), source: eventSource(e) }));
    const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
    if (ready && ready.status !== 'True') {
      const unknown = ready.status === 'Unknown';
      const cause: CauseId = unknown ? 'node-unreachable' : 'node-not-ready';
      findings.push(makeFinding({
        analyzer: 'nodes', cause, category: 'node-not-ready', confidence: 0.92,
        title: unknown
          ? `Node ${name} is NotReady (Unknown): the kubelet stopped posting node status${ready.message ? ` — "${ready.message}"` : ''}.`
          : `Node ${name} is NotReady: ${ready.reason ?? ''}${ready.message ? ` — "${ready.message}"` : ''}.`,
        detail: unknown
          ? 'The control plane has not heard from the kubelet: the node is down, partitioned, or the kubelet has stopped. Pods on it are marked for eviction after the toleration timeout.'
          : 'The kubelet is running but reports itself unhealthy (container runtime, CNI, PLEG).',
        evidence: [{ line: `condition Ready=${ready.status} reason=${ready.reason ?? ''} message="${ready.message ?? ''}" since ${fmt(ready.lastTransitionTime)}`, source: src }, ...events],
        actions: unknown
          ? [`kubectl describe node ${name}`, `On the node (or via the cloud console): systemctl status kubelet; journalctl -u kubelet --since "-30m"`, `If the machine is gone: kubectl drain ${name} --ignore-daemonsets --delete-emptydir-data`]
          : [`kubectl describe node ${name}`, 'On the node: systemctl status kubelet containerd; journalctl -u kubelet -u containerd --since "-30m"'],
      }));
    }
    for (const p of PRESSURE) {
      const c = node.status?.conditions?.find((x) => x.type === p.type && x.status === 'True');
      if (!c) continue;
      findings.push(makeFinding({
        analyzer: 'nodes', cause: p.cause, category: p.type === 'DiskPressure' ? 'disk-pressure' : 'node-not-ready', confidence: 0.88,
        title: `Node ${name} has ${p.type}: it is short of ${p.what}${c.message ? ` ("${c.message}")` : ''}.`,
        detail: 'The kubelet evicts pods and refuses new ones while the pressure lasts.',
        evidence: [{ line: `condition ${p.type}=True reason=${c.reason ?? ''} message="${c.message ?? ''}"`, source: src }, ...events],
        actions: p.type === 'DiskPressure'
          ? [`kubectl describe node ${name}`, 'On the node: df -h /var/lib/kubelet /var/lib/containerd; crictl rmi --prune; check container logs and emptyDir usage']
          : [`kubectl describe node ${name}`, `kubectl top pods -A --sort-by=${p.type === 'MemoryPressure' ? 'memory' : 'cpu'} | head`],
      }));
    }
  }
  findings.push(...evictions(evidence));
  if (/^NodeFilesystem/.test(subject.alertname) && !findings.some((f) => f.cause === 'node-disk-pressure')) {
    const node = scopedNodes(evidence)[0];
    const text = subject.annotations.description ?? subject.annotations.summary ?? subject.alertname;
    const nodeEvents = node ? eventsFor(snapshot, 'Node', nameOf(node)).filter((e) => /Disk|GarbageCollect|FreeDisk|ImageGC|EvictionThreshold/i.test(`${e.reason} ${e.message}`)) : [];
    findings.push(makeFinding({
      analyzer: 'nodes', cause: 'node-disk-pressure', category: 'disk-pressure', confidence: 0.75,
      title: `The filesystem ${subject.labels.mountpoint ?? ''} on node ${node ? nameOf(node) : subject.labels.instance ?? '?'} is filling up${subject.labels.device ? ` (device ${subject.labels.device})` : ''}.`,
      detail: 'When it crosses the kubelet eviction threshold the node gets DiskPressure and starts evicting pods.',
      evidence: [{ line: text, source: 'alert/annotations' }, ...nodeEvents.slice(0, 3).map((e) => ({ line: eventLine(e), source: eventSource(e) }))],
      actions: ['On the node: du -xh --max-depth=2 <mountpoint> | sort -h | tail; crictl rmi --prune; journalctl --vacuum-size=500M', 'Grow the disk or move logs/images to a larger volume.'],
    }));
  }
  return findings;
};

function evictions(evidence: Evidence): Finding[] {
  const evicted = scopedPods(evidence).filter((p) => p.status?.reason === 'Evicted');
  const first = evicted[0];
  if (!first) return [];
  const message = first.status?.message ?? '';
  const resource = /low on resource: ([\w-]+)/.exec(message)?.[1] ?? 'a resource';
  const lines: EvidenceLine[] = evicted.slice(0, 3).map((p) => ({ line: `pod ${nameOf(p)}: Evicted: ${p.status?.message ?? ''}`, source: podSource(p) }));
  return [makeFinding({
    analyzer: 'nodes', cause: 'pod-evicted', category: /storage|disk|nodefs|imagefs/.test(resource) ? 'disk-pressure' : 'node-not-ready', confidence: 0.85,
    title: `${evicted.length} pod(s) in ${nsOf(first)} were evicted because node ${first.spec?.nodeName ?? '?'} was low on ${resource}.`,
    detail: message,
    evidence: lines,
    actions: [`kubectl describe node ${first.spec?.nodeName ?? '<node>'}`, `Set ${resource} requests close to real usage so the pods are not the first evicted; clean up: kubectl -n ${nsOf(first)} delete pods --field-selector=status.phase=Failed`],
  })];
}

function fmt(d: Date | string | undefined): string {
  return d ? new Date(d).toISOString() : '?';
}
