import type { Category } from '../domain/types.js';

/**
 * kube-prometheus-stack (kubernetes-mixin, node-mixin) alert names and the category
 * each one usually means, with how sure the name alone makes us. Names that say only
 * "something is not ready/mismatched" get a low confidence so the evidence pass can
 * move them.
 */
export const ALERT_RULES: Readonly<Record<string, { category: Category; confidence: number }>> = {
  KubePodCrashLooping: { category: 'pod-crash', confidence: 0.85 },
  KubePodNotReady: { category: 'pod-crash', confidence: 0.5 },
  KubeContainerWaiting: { category: 'pod-crash', confidence: 0.5 },
  KubeDeploymentReplicasMismatch: { category: 'rollout-failed', confidence: 0.55 },
  KubeDeploymentRolloutStuck: { category: 'rollout-failed', confidence: 0.85 },
  KubeDeploymentGenerationMismatch: { category: 'rollout-failed', confidence: 0.75 },
  KubeStatefulSetReplicasMismatch: { category: 'rollout-failed', confidence: 0.55 },
  KubeStatefulSetGenerationMismatch: { category: 'rollout-failed', confidence: 0.75 },
  KubeStatefulSetUpdateNotRolledOut: { category: 'rollout-failed', confidence: 0.8 },
  KubeDaemonSetRolloutStuck: { category: 'rollout-failed', confidence: 0.8 },
  KubeDaemonSetNotScheduled: { category: 'pod-pending', confidence: 0.7 },
  KubeDaemonSetMisScheduled: { category: 'rollout-failed', confidence: 0.6 },
  KubeJobFailed: { category: 'job-failed', confidence: 0.9 },
  KubeJobNotCompleted: { category: 'job-failed', confidence: 0.8 },
  KubeJobCompletion: { category: 'job-failed', confidence: 0.8 },
  KubeCronJobRunning: { category: 'job-failed', confidence: 0.6 },
  KubeHpaMaxedOut: { category: 'cpu-throttling', confidence: 0.6 },
  KubeHpaReplicasMismatch: { category: 'pod-pending', confidence: 0.5 },
  KubeNodeNotReady: { category: 'node-not-ready', confidence: 0.9 },
  KubeNodeUnreachable: { category: 'node-not-ready', confidence: 0.9 },
  KubeNodeReadinessFlapping: { category: 'node-not-ready', confidence: 0.75 },
  KubeletDown: { category: 'node-not-ready', confidence: 0.8 },
  KubeletTooManyPods: { category: 'pod-pending', confidence: 0.6 },
  KubeNodePressure: { category: 'node-not-ready', confidence: 0.6 },
  NodeFilesystemSpaceFillingUp: { category: 'disk-pressure', confidence: 0.85 },
  NodeFilesystemAlmostOutOfSpace: { category: 'disk-pressure', confidence: 0.9 },
  NodeFilesystemFilesFillingUp: { category: 'disk-pressure', confidence: 0.85 },
  NodeFilesystemAlmostOutOfFiles: { category: 'disk-pressure', confidence: 0.9 },
  KubePersistentVolumeFillingUp: { category: 'storage', confidence: 0.9 },
  KubePersistentVolumeInodesFillingUp: { category: 'storage', confidence: 0.9 },
  KubePersistentVolumeErrors: { category: 'storage', confidence: 0.9 },
  CPUThrottlingHigh: { category: 'cpu-throttling', confidence: 0.9 },
  KubeMemoryOvercommit: { category: 'pod-pending', confidence: 0.55 },
  KubeCPUOvercommit: { category: 'pod-pending', confidence: 0.55 },
  KubeMemoryQuotaOvercommit: { category: 'pod-pending', confidence: 0.5 },
  KubeCPUQuotaOvercommit: { category: 'pod-pending', confidence: 0.5 },
  // Quota alerts name a namespace, not a workload: the controllers' FailedCreate events
  // are namespace events, which the pod-pending plan reads.
  KubeQuotaExceeded: { category: 'pod-pending', confidence: 0.55 },
  KubeQuotaFullyUsed: { category: 'pod-pending', confidence: 0.5 },
  KubeQuotaAlmostFull: { category: 'pod-pending', confidence: 0.5 },
  TargetDown: { category: 'service-down', confidence: 0.7 },
  KubeAPIDown: { category: 'service-down', confidence: 0.7 },
  CoreDNSDown: { category: 'dns-issues', confidence: 0.9 },
  CoreDNSErrorsHigh: { category: 'dns-issues', confidence: 0.9 },
  CoreDNSLatencyHigh: { category: 'dns-issues', confidence: 0.8 },
  NodeNetworkReceiveErrs: { category: 'node-not-ready', confidence: 0.5 },
};

/** Waiting/terminated reasons as kube-state-metrics exports them in the `reason` label. */
export const REASON_RULES: Readonly<Record<string, { category: Category; confidence: number }>> = {
  CrashLoopBackOff: { category: 'pod-crash', confidence: 0.85 },
  Error: { category: 'pod-crash', confidence: 0.7 },
  ImagePullBackOff: { category: 'image-pull', confidence: 0.9 },
  ErrImagePull: { category: 'image-pull', confidence: 0.9 },
  InvalidImageName: { category: 'image-pull', confidence: 0.9 },
  ErrImageNeverPull: { category: 'image-pull', confidence: 0.9 },
  CreateContainerConfigError: { category: 'config-error', confidence: 0.9 },
  CreateContainerError: { category: 'config-error', confidence: 0.7 },
  RunContainerError: { category: 'pod-crash', confidence: 0.75 },
  OOMKilled: { category: 'oom-killed', confidence: 0.9 },
  ContainerCreating: { category: 'storage', confidence: 0.4 },
  Evicted: { category: 'node-not-ready', confidence: 0.6 },
  Unschedulable: { category: 'pod-pending', confidence: 0.8 },
};

/** The `condition` label of KubeNodePressure. */
export const NODE_CONDITION_RULES: Readonly<Record<string, { category: Category; confidence: number }>> = {
  DiskPressure: { category: 'disk-pressure', confidence: 0.9 },
  MemoryPressure: { category: 'node-not-ready', confidence: 0.75 },
  PIDPressure: { category: 'node-not-ready', confidence: 0.75 },
  NetworkUnavailable: { category: 'node-not-ready', confidence: 0.8 },
};
