import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nextRolloutState, type RolloutEvent } from '../../src/rollouts/next-rollout-state.js';
import { ROLLOUT_STATUS, type DeploymentView, type PodView, type RolloutState, type RolloutStatus } from '../../src/rollouts/rollout-types.js';

const config = { failureGraceMs: 120_000, timeoutMs: 900_000 };
const T0 = 1_700_000_000_000;

function deployment(over: Partial<DeploymentView> = {}): DeploymentView {
  return {
    namespace: 'shop', name: 'web', generation: 2, observedGeneration: 2, revision: '2', templateHash: 'new', images: ['web:2'],
    replicas: 3, statusReplicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3, conditions: [], ...over,
  };
}
const rolling = (over: Partial<DeploymentView> = {}) => deployment({ statusReplicas: 4, updatedReplicas: 1, readyReplicas: 3, availableReplicas: 3, ...over });

function state(over: Partial<RolloutState> = {}): RolloutState {
  return {
    generation: 2, templateHash: 'new', revision: '2', status: ROLLOUT_STATUS.ROLLING_OUT, baseline: false, startedAt: T0, progressAt: T0,
    progressMarker: '2/1/3/3/4', completedAt: null, failedAt: null, failingSince: null, reason: null, message: null, ...over,
  };
}
const crashing: PodView = { name: 'web-abc-1', failingReason: 'CrashLoopBackOff', message: 'back-off restarting' };
const healthy: PodView = { name: 'web-abc-1', failingReason: null, message: null };

type Row = {
  name: string;
  prev: RolloutState | null;
  d: DeploymentView;
  pods?: PodView[];
  at?: number;
  status: RolloutStatus;
  event: RolloutEvent;
  reason?: string | null;
  check?: (s: RolloutState) => void;
};

const rows: Row[] = [
  { name: 'a settled deployment seen first is a baseline, not a rollout', prev: null, d: deployment(), status: 'SUCCESS', event: 'none', check: (s) => assert.equal(s.baseline, true) },
  { name: 'a deployment seen first mid-rollout starts a rollout', prev: null, d: rolling(), status: 'ROLLING_OUT', event: 'started' },
  { name: 'a new template the controller has not observed yet is PENDING', prev: state({ status: 'SUCCESS', templateHash: 'old', generation: 1 }), d: rolling({ generation: 3, observedGeneration: 2, templateHash: 'newer' }), status: 'PENDING', event: 'started' },
  { name: 'a new template starts a rollout with a fresh start time', prev: state({ status: 'SUCCESS', templateHash: 'old' }), d: rolling(), at: T0 + 5000, status: 'ROLLING_OUT', event: 'started', check: (s) => assert.equal(s.startedAt, T0 + 5000) },
  { name: 'all replicas updated and available is SUCCESS', prev: state(), d: deployment(), at: T0 + 1000, status: 'SUCCESS', event: 'succeeded', check: (s) => assert.equal(s.completedAt, T0 + 1000) },
  { name: 'old pods still present keep the rollout going', prev: state(), d: deployment({ statusReplicas: 4 }), status: 'ROLLING_OUT', event: 'progressed' },
  { name: 'ProgressDeadlineExceeded fails the rollout at once', prev: state(), d: rolling({ conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "web-abc" has timed out progressing.' }] }), status: 'FAILED', event: 'failed', reason: 'ProgressDeadlineExceeded' },
  { name: 'crash-looping new pods within the grace do not fail the rollout yet', prev: state(), d: rolling(), pods: [crashing], at: T0 + 1000, status: 'ROLLING_OUT', event: 'none', check: (s) => assert.equal(s.failingSince, T0 + 1000) },
  { name: 'crash-looping new pods past the grace fail the rollout', prev: state({ failingSince: T0 }), d: rolling(), pods: [crashing], at: T0 + 120_000, status: 'FAILED', event: 'failed', reason: 'CrashLoopBackOff' },
  { name: 'an image pull failure past the grace fails the rollout with its reason', prev: state({ failingSince: T0 }), d: rolling(), pods: [{ name: 'p', failingReason: 'ImagePullBackOff', message: 'Back-off pulling image "web:2x"' }], at: T0 + 200_000, status: 'FAILED', event: 'failed', reason: 'ImagePullBackOff' },
  { name: 'unschedulable new pods past the grace fail the rollout', prev: state({ failingSince: T0 }), d: rolling(), pods: [{ name: 'p', failingReason: 'Unschedulable', message: '0/3 nodes are available' }], at: T0 + 130_000, status: 'FAILED', event: 'failed', reason: 'Unschedulable' },
  { name: 'pods that stop failing reset the grace clock', prev: state({ failingSince: T0 }), d: rolling(), pods: [healthy], at: T0 + 200_000, status: 'ROLLING_OUT', event: 'none', check: (s) => assert.equal(s.failingSince, null) },
  { name: 'no progress for the timeout fails the rollout', prev: state(), d: rolling(), at: T0 + 900_000, status: 'FAILED', event: 'failed', reason: 'RolloutTimeout' },
  { name: 'progress resets the timeout', prev: state(), d: rolling({ updatedReplicas: 2 }), at: T0 + 900_000, status: 'ROLLING_OUT', event: 'progressed', check: (s) => assert.equal(s.progressAt, T0 + 900_000) },
  { name: 'a failed rollout that completes later has recovered', prev: state({ status: 'FAILED', failedAt: T0, reason: 'CrashLoopBackOff' }), d: deployment(), at: T0 + 5000, status: 'SUCCESS', event: 'recovered', check: (s) => assert.equal(s.failedAt, T0) },
  { name: 'a failed rollout still failing stays FAILED without another failure event', prev: state({ status: 'FAILED', failedAt: T0, reason: 'CrashLoopBackOff' }), d: rolling(), pods: [crashing], at: T0 + 500_000, status: 'FAILED', event: 'none' },
  { name: 'scaling a settled deployment is not a rollout', prev: state({ status: 'SUCCESS' }), d: deployment({ generation: 3, observedGeneration: 3, replicas: 5, statusReplicas: 3 }), status: 'SUCCESS', event: 'none', check: (s) => assert.equal(s.generation, 3) },
];

describe('nextRolloutState', () => {
  for (const row of rows) {
    it(row.name, () => {
      const { state: next, event } = nextRolloutState(row.prev, row.d, row.pods ?? [], row.at ?? T0, config);
      assert.equal(next.status, row.status);
      assert.equal(event, row.event);
      if (row.reason !== undefined) assert.equal(next.reason, row.reason);
      row.check?.(next);
    });
  }
});
