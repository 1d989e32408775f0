import type { WorkloadRef } from '../domain/types.js';

/**
 * Alerts that say only "this workload's pods are not up" (kubernetes-mixin). When one
 * Deployment breaks, each of its pods fires several of them at once; they are one
 * problem, so they share one key segment instead of their alert names.
 */
const UNAVAILABLE_SYMPTOMS: ReadonlySet<string> = new Set([
  'KubePodCrashLooping',
  'KubePodNotReady',
  'KubeContainerWaiting',
  'KubeDeploymentReplicasMismatch',
  'KubeStatefulSetReplicasMismatch',
]);

/** The key segment that stands for every alert in UNAVAILABLE_SYMPTOMS. */
export const UNAVAILABLE_SEGMENT = 'workload-unavailable';

/**
 * The incident grouping key. Alerts with the same key join one open incident, so
 * 1,000 crash-loop, not-ready and waiting alerts from the pods of one broken
 * Deployment are one incident and one investigation:
 *
 *   <cluster>/workload-unavailable/<namespace>/<kind>/<name>   an UNAVAILABLE_SYMPTOMS alert, workload known
 *   <cluster>/<alertname>/<namespace>/<kind>/<name>            any other alert, workload known
 *   <cluster>/<alertname>/fp:<fingerprint>                     otherwise
 *
 * Other alerts about the same workload (CPU throttling, a filling volume) keep their
 * own incidents: they are different problems that need their own investigation.
 */
export function incidentKey(input: {
  cluster: string;
  alertname: string;
  namespace: string | null;
  workload: WorkloadRef | null;
  fingerprint: string;
}): string {
  const { cluster, alertname, namespace, workload, fingerprint } = input;
  if (!workload) return `${cluster}/${alertname}/fp:${fingerprint}`;
  const problem = UNAVAILABLE_SYMPTOMS.has(alertname) ? UNAVAILABLE_SEGMENT : alertname;
  return [cluster, problem, namespace ?? workload.namespace ?? '', workload.kind, workload.name].join('/');
}
