/**
 * Rollout vocabulary.
 *
 * - rollout: one change of a Deployment's pod template, identified by
 *   (cluster, namespace, deployment, generation). Scaling bumps the generation but
 *   leaves the template alone, so it is not a rollout.
 * - new pods: pods of the ReplicaSet whose revision is the Deployment's current one.
 * - failing pod: a new pod stuck in a state that will not heal by itself
 *   (CrashLoopBackOff, ImagePullBackOff, CreateContainerConfigError, Unschedulable…).
 * - grace: how long new pods may fail before the rollout counts as failed; a pod
 *   that crashes once while the app warms up is not a failed rollout.
 * - progress: any change in updated/ready/available replica counts.
 */
export const ROLLOUT_STATUS = {
  PENDING: 'PENDING',
  ROLLING_OUT: 'ROLLING_OUT',
  SUCCESS: 'SUCCESS',
  FAILED: 'FAILED',
} as const;
export type RolloutStatus = (typeof ROLLOUT_STATUS)[keyof typeof ROLLOUT_STATUS];

export type DeploymentCondition = { type: string; status: string; reason: string | null; message: string | null };

/** The parts of a Deployment the state machine reads. */
export type DeploymentView = {
  namespace: string;
  name: string;
  generation: number;
  observedGeneration: number;
  /** `deployment.kubernetes.io/revision`, set by the controller once it has observed the generation. */
  revision: string | null;
  /** A hash of spec.template: equal hashes mean the same pod template. */
  templateHash: string;
  images: string[];
  replicas: number;
  statusReplicas: number;
  updatedReplicas: number;
  readyReplicas: number;
  availableReplicas: number;
  conditions: DeploymentCondition[];
};

/** A new pod's health, as the state machine needs it. */
export type PodView = { name: string; failingReason: string | null; message: string | null };

export type RolloutState = {
  generation: number;
  templateHash: string;
  revision: string | null;
  status: RolloutStatus;
  /** A deployment first seen already rolled out: remembered, not recorded as a rollout. */
  baseline: boolean;
  startedAt: number;
  /** Last time the replica counts moved. */
  progressAt: number;
  progressMarker: string;
  completedAt: number | null;
  failedAt: number | null;
  /** Since when new pods have been failing without a break; null while none fail. */
  failingSince: number | null;
  reason: string | null;
  message: string | null;
};

export type RolloutConfig = { failureGraceMs: number; timeoutMs: number };
