import * as k8s from '@kubernetes/client-node';

/** One Deployment as the cluster view shows it. */
export type DeploymentSummary = {
  namespace: string;
  name: string;
  desired: number;
  ready: number;
  available: number;
  updated: number;
  /** Why it is not healthy (a failing condition's reason and message), if it is not. */
  problem: string | null;
  failing: boolean;
};

export function summarizeDeployment(d: k8s.V1Deployment): DeploymentSummary {
  const desired = d.spec?.replicas ?? 1;
  const ready = d.status?.readyReplicas ?? 0;
  const available = d.status?.availableReplicas ?? 0;
  const updated = d.status?.updatedReplicas ?? 0;
  const bad = (d.status?.conditions ?? []).find(
    (c) => (c.type === 'Available' && c.status === 'False') || (c.type === 'Progressing' && c.status === 'False') || c.type === 'ReplicaFailure',
  );
  const problem = bad ? `${bad.reason ?? bad.type}${bad.message ? `: ${bad.message}` : ''}` : null;
  return {
    namespace: d.metadata?.namespace ?? '',
    name: d.metadata?.name ?? '',
    desired,
    ready,
    available,
    updated,
    problem,
    failing: ready < desired || problem !== null,
  };
}

/**
 * The cluster view's data source, for the composition root to pass to the API as
 * `listDeployments`: every Deployment the credentials can list.
 */
export function makeListDeployments(kubeConfig: k8s.KubeConfig): () => Promise<DeploymentSummary[]> {
  const apps = kubeConfig.makeApiClient(k8s.AppsV1Api);
  return async () => {
    const list = await apps.listDeploymentForAllNamespaces({ limit: 2000 });
    return list.items.map(summarizeDeployment);
  };
}
