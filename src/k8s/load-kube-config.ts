import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';

/**
 * Where k8flex gets Kubernetes access, in order: the in-cluster service account
 * (`inCluster` 'true', or 'auto' when the token file exists), then `kubeconfigPath`
 * (`KUBECONFIG`), then `~/.kube/config`. Never throws: without access it returns
 * `kubeConfig: null` and the reason, and the service runs with unreadable clusters.
 */
export type LoadedKubeConfig = { kubeConfig: k8s.KubeConfig | null; cluster: string; reason: string | null };

const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

export function loadKubeConfig(opts: { kubeconfigPath?: string; inCluster: 'auto' | 'true' | 'false'; home?: string }): LoadedKubeConfig {
  const inCluster = opts.inCluster === 'true' || (opts.inCluster === 'auto' && existsSync(SERVICE_ACCOUNT_TOKEN) && Boolean(process.env.KUBERNETES_SERVICE_HOST));
  try {
    if (inCluster) {
      const kc = new k8s.KubeConfig();
      kc.loadFromCluster();
      if (!kc.getCurrentCluster()?.server || kc.getCurrentCluster()?.server.includes('undefined')) {
        return { kubeConfig: null, cluster: 'in-cluster', reason: 'in-cluster config requested but KUBERNETES_SERVICE_HOST/PORT are not set' };
      }
      return { kubeConfig: kc, cluster: kc.getCurrentCluster()?.name ?? 'in-cluster', reason: null };
    }
    const candidates = [
      ...(opts.kubeconfigPath ? opts.kubeconfigPath.split(process.platform === 'win32' ? ';' : ':').filter(Boolean) : []),
      join(opts.home ?? homedir(), '.kube', 'config'),
    ];
    const path = candidates.find((p) => existsSync(p));
    if (!path) return { kubeConfig: null, cluster: 'unknown', reason: `no kubeconfig found (looked at ${candidates.join(', ')}) and not running in a cluster` };
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(path);
    const cluster = kc.getCurrentCluster();
    if (!cluster) return { kubeConfig: null, cluster: 'unknown', reason: `kubeconfig ${path} has no current context with a cluster` };
    return { kubeConfig: kc, cluster: cluster.name, reason: null };
  } catch (error) {
    return { kubeConfig: null, cluster: 'unknown', reason: `Kubernetes config could not be loaded: ${(error as Error).message}` };
  }
}
