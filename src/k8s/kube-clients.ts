import * as k8s from '@kubernetes/client-node';

/** The typed API groups the collector reads, built once per KubeConfig. */
export type KubeClients = {
  core: k8s.CoreV1Api;
  apps: k8s.AppsV1Api;
  batch: k8s.BatchV1Api;
  discovery: k8s.DiscoveryV1Api;
  networking: k8s.NetworkingV1Api;
  storage: k8s.StorageV1Api;
  autoscaling: k8s.AutoscalingV2Api;
};

export function makeKubeClients(kubeConfig: k8s.KubeConfig): KubeClients {
  return {
    core: kubeConfig.makeApiClient(k8s.CoreV1Api),
    apps: kubeConfig.makeApiClient(k8s.AppsV1Api),
    batch: kubeConfig.makeApiClient(k8s.BatchV1Api),
    discovery: kubeConfig.makeApiClient(k8s.DiscoveryV1Api),
    networking: kubeConfig.makeApiClient(k8s.NetworkingV1Api),
    storage: kubeConfig.makeApiClient(k8s.StorageV1Api),
    autoscaling: kubeConfig.makeApiClient(k8s.AutoscalingV2Api),
  };
}
