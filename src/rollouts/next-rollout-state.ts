import { ROLLOUT_STATUS, type DeploymentView, type PodView, type RolloutConfig, type RolloutState } from './rollout-types.js';

export type RolloutEvent = 'none' | 'started' | 'progressed' | 'succeeded' | 'failed' | 'recovered';
export type RolloutStep = { state: RolloutState; event: RolloutEvent };

/** Reasons a Deployment's own Progressing condition uses when it gives up. */
const DEADLINE_EXCEEDED = 'ProgressDeadlineExceeded';

function isComplete(d: DeploymentView): boolean {
  return (
    d.observedGeneration >= d.generation &&
    d.updatedReplicas >= d.replicas &&
    d.availableReplicas >= d.replicas &&
    // Old ReplicaSets' pods are gone: every pod left is an updated one.
    d.statusReplicas <= d.updatedReplicas
  );
}

function marker(d: DeploymentView): string {
  return `${d.observedGeneration}/${d.updatedReplicas}/${d.readyReplicas}/${d.availableReplicas}/${d.statusReplicas}`;
}

function started(d: DeploymentView, now: number, baseline: boolean): RolloutState {
  const complete = isComplete(d);
  return {
    generation: d.generation,
    templateHash: d.templateHash,
    revision: d.revision,
    status: baseline ? ROLLOUT_STATUS.SUCCESS : d.observedGeneration < d.generation ? ROLLOUT_STATUS.PENDING : ROLLOUT_STATUS.ROLLING_OUT,
    baseline,
    startedAt: now,
    progressAt: now,
    progressMarker: marker(d),
    completedAt: baseline && complete ? now : null,
    failedAt: null,
    failingSince: null,
    reason: null,
    message: null,
  };
}

/**
 * The rollout state machine: PENDING → ROLLING_OUT → SUCCESS | FAILED, and FAILED →
 * SUCCESS when the same rollout later completes (recovered). Pure: the caller passes
 * the Deployment, its new pods and the time.
 *
 * A rollout fails when the Deployment reports ProgressDeadlineExceeded, when new pods
 * keep failing for longer than the grace, or when the replica counts do not move for
 * `timeoutMs` (a backstop for Deployments with a very long progressDeadlineSeconds).
 */
export function nextRolloutState(
  prev: RolloutState | null,
  d: DeploymentView,
  pods: PodView[],
  now: number,
  config: RolloutConfig,
): RolloutStep {
  if (!prev) {
    // First sight of a settled Deployment is a baseline, not a rollout.
    if (isComplete(d)) return { state: started(d, now, true), event: 'none' };
    return evaluate(started(d, now, false), d, pods, now, config, 'started');
  }
  if (d.templateHash !== prev.templateHash) return evaluate(started(d, now, false), d, pods, now, config, 'started');
  // Same template (a scale, or nothing new): the same rollout continues under the new generation.
  const same: RolloutState = { ...prev, generation: Math.max(prev.generation, d.generation), revision: d.revision ?? prev.revision };
  if (prev.status === ROLLOUT_STATUS.SUCCESS) return { state: same, event: 'none' };
  return evaluate(same, d, pods, now, config, 'none');
}

function evaluate(
  state: RolloutState,
  d: DeploymentView,
  pods: PodView[],
  now: number,
  config: RolloutConfig,
  initial: RolloutEvent,
): RolloutStep {
  const wasFailed = state.status === ROLLOUT_STATUS.FAILED;
  if (isComplete(d)) {
    const done: RolloutState = { ...state, status: ROLLOUT_STATUS.SUCCESS, completedAt: now, failingSince: null, progressMarker: marker(d), progressAt: now };
    return { state: done, event: wasFailed ? 'recovered' : 'succeeded' };
  }

  const m = marker(d);
  const moved = m !== state.progressMarker;
  const failing = pods.find((p) => p.failingReason !== null) ?? null;
  const next: RolloutState = {
    ...state,
    status: wasFailed ? ROLLOUT_STATUS.FAILED : d.observedGeneration < d.generation ? ROLLOUT_STATUS.PENDING : ROLLOUT_STATUS.ROLLING_OUT,
    progressMarker: m,
    progressAt: moved ? now : state.progressAt,
    failingSince: failing ? (state.failingSince ?? now) : null,
  };
  if (wasFailed) return { state: next, event: 'none' };

  const fail = (reason: string, message: string): RolloutStep => ({
    state: { ...next, status: ROLLOUT_STATUS.FAILED, failedAt: now, reason, message },
    event: 'failed',
  });

  const progressing = d.conditions.find((c) => c.type === 'Progressing');
  if (progressing?.status === 'False' && progressing.reason === DEADLINE_EXCEEDED) {
    return fail(DEADLINE_EXCEEDED, progressing.message ?? 'the Deployment exceeded its progress deadline');
  }
  if (failing && next.failingSince !== null && now - next.failingSince >= config.failureGraceMs) {
    const count = pods.filter((p) => p.failingReason === failing.failingReason).length;
    return fail(failing.failingReason ?? 'PodFailing', `${count} new pod(s) ${failing.failingReason ?? 'failing'}${failing.message ? `: ${failing.message}` : ''} (e.g. ${failing.name})`);
  }
  if (now - next.progressAt >= config.timeoutMs) {
    return fail('RolloutTimeout', `no progress for ${Math.round(config.timeoutMs / 1000)}s (updated ${d.updatedReplicas}, available ${d.availableReplicas} of ${d.replicas})`);
  }
  const event: RolloutEvent = initial === 'started' ? 'started' : next.status !== state.status || moved ? 'progressed' : 'none';
  return { state: next, event };
}
