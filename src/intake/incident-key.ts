import type { WorkloadRef } from '../domain/types.js';

/**
 * The incident grouping key. Alerts with the same key join one open incident, so
 * 200 `KubePodCrashLooping` alerts from one broken Deployment are one incident and
 * one investigation:
 *
 *   <cluster>/<alertname>/<namespace>/<workload kind>/<workload name>   when the workload is known
 *   <cluster>/<alertname>/fp:<fingerprint>                              otherwise
 */
export function incidentKey(input: {
  cluster: string;
  alertname: string;
  namespace: string | null;
  workload: WorkloadRef | null;
  fingerprint: string;
}): string {
  const { cluster, alertname, namespace, workload, fingerprint } = input;
  if (workload) return [cluster, alertname, namespace ?? workload.namespace ?? '', workload.kind, workload.name].join('/');
  return `${cluster}/${alertname}/fp:${fingerprint}`;
}
