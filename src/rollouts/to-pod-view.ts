import type * as k8s from '@kubernetes/client-node';
import type { PodView } from './rollout-types.js';

/** Waiting reasons that do not heal without a change to the Deployment or the cluster. */
export const FAILING_WAITING_REASONS: ReadonlySet<string> = new Set([
  'CrashLoopBackOff',
  'ImagePullBackOff',
  'ErrImagePull',
  'InvalidImageName',
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
]);

export function toPodView(pod: k8s.V1Pod): PodView {
  const name = pod.metadata?.name ?? '';
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  for (const s of statuses) {
    const waiting = s.state?.waiting;
    if (waiting?.reason && FAILING_WAITING_REASONS.has(waiting.reason)) {
      return { name, failingReason: waiting.reason, message: waiting.message ?? `container ${s.name}` };
    }
  }
  const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
  if (scheduled?.status === 'False' && scheduled.reason === 'Unschedulable') {
    return { name, failingReason: 'Unschedulable', message: scheduled.message ?? null };
  }
  return { name, failingReason: null, message: null };
}
