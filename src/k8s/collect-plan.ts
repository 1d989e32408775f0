import type { Category } from '../domain/types.js';

/**
 * What each category reads, beyond resolving the target. Steps run in parallel.
 * `pod-logs` = pod status + events + every container's logs + referenced
 * ConfigMaps/Secrets (names and keys); `pod` = pod status + events only.
 */
export const COLLECT_STEPS = [
  'pod-logs',
  'pod',
  'scheduling',
  'service',
  'node',
  'network-policies',
  'coredns',
  'metrics',
  'workload',
  'storage',
  'namespace-events',
  // Runs after the others: it follows what the logs fail to reach.
  'dependencies',
] as const;
export type CollectStep = (typeof COLLECT_STEPS)[number];

export const COLLECT_PLAN: Record<Category, readonly CollectStep[]> = {
  'pod-crash': ['pod-logs', 'dependencies'],
  'pod-restart': ['pod-logs', 'dependencies'],
  'oom-killed': ['pod-logs', 'metrics'],
  'config-error': ['pod-logs'],
  // Quota rejections show up only as the controllers' FailedCreate events in the namespace.
  'pod-pending': ['pod', 'scheduling', 'namespace-events'],
  'image-pull': ['pod', 'scheduling'],
  // A Service is usually down because its backends crash or cannot reach a dependency.
  'service-down': ['service', 'pod-logs', 'network-policies', 'dependencies'],
  'endpoint-missing': ['service'],
  'node-not-ready': ['node'],
  'disk-pressure': ['node'],
  'network-policy': ['pod-logs', 'network-policies', 'service', 'dependencies'],
  'dns-issues': ['pod', 'network-policies', 'coredns'],
  'cpu-throttling': ['pod', 'metrics'],
  'rollout-failed': ['workload', 'pod', 'namespace-events'],
  'job-failed': ['workload', 'pod-logs', 'namespace-events'],
  storage: ['workload', 'pod', 'storage', 'namespace-events'],
  unknown: ['workload', 'pod', 'namespace-events'],
};
