import type { WorkloadRef } from '../domain/types.js';

/**
 * The workload an alert is about, from its labels alone (intake cannot wait for the
 * Kubernetes API). Explicit workload labels win; otherwise the pod name's shape is
 * read: `<deployment>-<replicaset hash>-<5 chars>` is a Deployment's pod,
 * `<statefulset>-<ordinal>` a StatefulSet's. The collect stage later resolves the
 * real owner through the API and records it on the incident.
 */

// ReplicaSet hashes and pod suffixes use Kubernetes' safe alphabet (no vowels, no 0/1/3).
const SAFE = '[bcdfghjklmnpqrstvwxz2456789]';
const DEPLOYMENT_POD = new RegExp(`^(.+)-${SAFE}{6,10}-${SAFE}{5}$`);
const STATEFULSET_POD = /^(.+)-(\d+)$/;
const DAEMONSET_OR_JOB_POD = new RegExp(`^(.+)-${SAFE}{5}$`);

const EXPLICIT: ReadonlyArray<[label: string, kind: string]> = [
  ['deployment', 'Deployment'],
  ['statefulset', 'StatefulSet'],
  ['daemonset', 'DaemonSet'],
  ['cronjob', 'CronJob'],
  ['job_name', 'Job'],
  ['horizontalpodautoscaler', 'HorizontalPodAutoscaler'],
  ['persistentvolumeclaim', 'PersistentVolumeClaim'],
  ['service', 'Service'],
];

/** Scrape-target labels of the exporters themselves, not of the alert's subject. */
const EXPORTER = /kube-state-metrics|node-exporter|kubelet|prometheus-operator/;

export function workloadFromLabels(labels: Record<string, string>): WorkloadRef | null {
  const namespace = labels.namespace ?? labels.exported_namespace ?? '';
  // Node alerts carry the exporter's pod/namespace as target labels; the node is the subject.
  if (labels.node && /node/i.test(labels.alertname ?? '')) return { kind: 'Node', namespace: '', name: labels.node };
  for (const [label, kind] of EXPLICIT) {
    const name = labels[label];
    // kube-state-metrics' own Service label is the exporter, not the subject.
    if (name && !(label === 'service' && EXPORTER.test(name))) {
      return { kind, namespace, name };
    }
  }
  const pod = labels.pod ?? labels.pod_name;
  if (pod && !EXPORTER.test(pod)) {
    const deployment = DEPLOYMENT_POD.exec(pod);
    if (deployment?.[1]) return { kind: 'Deployment', namespace, name: deployment[1] };
    const statefulset = STATEFULSET_POD.exec(pod);
    if (statefulset?.[1]) return { kind: 'StatefulSet', namespace, name: statefulset[1] };
    const other = DAEMONSET_OR_JOB_POD.exec(pod);
    // DaemonSet and Job pods look alike; "PodOwner" groups them without guessing which.
    if (other?.[1]) return { kind: 'PodOwner', namespace, name: other[1] };
    return { kind: 'Pod', namespace, name: pod };
  }
  if (labels.node) return { kind: 'Node', namespace: '', name: labels.node };
  return null;
}
