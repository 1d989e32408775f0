import type { KubeObject, ObjectStore } from './object-store.js';

/**
 * Builders for the objects a Deployment rollout consists of, so tests can play the
 * Deployment controller and the kubelet: the Deployment with its status, one
 * ReplicaSet per revision, and new pods in a given state.
 */
export type PodState = 'running' | 'CrashLoopBackOff' | 'ImagePullBackOff' | 'CreateContainerConfigError' | 'Unschedulable';

const template = (name: string, image: string, env: Record<string, string> = {}) => ({
  metadata: { labels: { app: name } },
  spec: { containers: [{ name: 'app', image, env: Object.entries(env).map(([k, v]) => ({ name: k, value: v })) }] },
});

export function namespace(name: string, annotations: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, annotations } };
}

export type DeploymentInput = {
  namespace: string;
  name: string;
  image: string;
  env?: Record<string, string>;
  generation: number;
  revision: number;
  replicas?: number;
  updated?: number;
  available?: number;
  total?: number;
  deadlineExceeded?: boolean;
};

export function deployment(i: DeploymentInput): KubeObject {
  const replicas = i.replicas ?? 2;
  const updated = i.updated ?? replicas;
  const available = i.available ?? replicas;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: i.name, namespace: i.namespace, generation: i.generation, annotations: { 'deployment.kubernetes.io/revision': String(i.revision) } },
    spec: { replicas, selector: { matchLabels: { app: i.name } }, template: template(i.name, i.image, i.env) },
    status: {
      observedGeneration: i.generation,
      replicas: i.total ?? replicas,
      updatedReplicas: updated,
      readyReplicas: available,
      availableReplicas: available,
      conditions: i.deadlineExceeded
        ? [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: `ReplicaSet "${i.name}-r${i.revision}" has timed out progressing.` }]
        : [{ type: 'Progressing', status: 'True', reason: updated === replicas ? 'NewReplicaSetAvailable' : 'ReplicaSetUpdated' }],
    },
  };
}

export function replicaSet(ns: string, name: string, image: string, revision: number, env: Record<string, string> = {}): KubeObject {
  const hash = `h${revision}`;
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${name}-${hash}`,
      namespace: ns,
      labels: { app: name, 'pod-template-hash': hash },
      annotations: { 'deployment.kubernetes.io/revision': String(revision) },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name, uid: `uid-${name}`, controller: true }],
    },
    spec: { replicas: 1, selector: { matchLabels: { app: name, 'pod-template-hash': hash } }, template: template(name, image, env) },
  };
}

export function pod(ns: string, name: string, revision: number, index: number, state: PodState): KubeObject {
  const hash = `h${revision}`;
  const waiting = state !== 'running' && state !== 'Unschedulable' ? { waiting: { reason: state, message: `${state} for ${name}` } } : undefined;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `${name}-${hash}-${index}`, namespace: ns, labels: { app: name, 'pod-template-hash': hash } },
    spec: { containers: [{ name: 'app', image: 'x' }] },
    status: {
      phase: state === 'running' ? 'Running' : 'Pending',
      conditions: state === 'Unschedulable' ? [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available: 3 Insufficient cpu.' }] : [{ type: 'PodScheduled', status: 'True' }],
      containerStatuses: state === 'Unschedulable' ? [] : [{ name: 'app', ready: state === 'running', restartCount: state === 'CrashLoopBackOff' ? 4 : 0, state: waiting ?? { running: {} } }],
    },
  };
}

/** A settled Deployment at revision 1 with its ReplicaSet. */
export function settled(store: ObjectStore, ns: string, name: string, image: string): void {
  store.put(replicaSet(ns, name, image, 1));
  store.put(deployment({ namespace: ns, name, image, generation: 1, revision: 1 }));
}

/** Starts rollout to revision 2 with `image`: new ReplicaSet, one new pod in `state`, Deployment mid-rollout. */
export function rollOut(store: ObjectStore, ns: string, name: string, image: string, state: PodState, env: Record<string, string> = {}): void {
  store.put(replicaSet(ns, name, image, 2, env));
  store.put(pod(ns, name, 2, 1, state));
  store.put(deployment({ namespace: ns, name, image, env, generation: 2, revision: 2, updated: 1, available: 2, total: 3 }));
}
