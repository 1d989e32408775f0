import { logKey } from '../../test/support/fake-kube/load-fixture-dir.js';
import type { KubeObject } from '../../test/support/fake-kube/object-store.js';

/**
 * A cluster for the fake Kubernetes API with `count` broken Deployments spread over
 * `namespaces` namespaces: each has a ReplicaSet and one pod in CrashLoopBackOff
 * (exit code 1, a BackOff event, a previous log ending in a connection error). Pod
 * names have Kubernetes' shape, so alerts name only the pod, as kube-state-metrics'
 * alerts do, and intake derives the Deployment.
 */
export type CrashloopingCluster = {
  objects: KubeObject[];
  logs: Record<string, string>;
  pods: { namespace: string; deployment: string; pod: string }[];
};

const HASH = '6c9f8d7b5d';
// Kubernetes' pod-name alphabet (no vowels, no 0/1/3).
const SAFE = 'bcdfghjklmnpqrstvwxz2456789';

function suffix(n: number): string {
  let s = '';
  for (let i = 0; i < 5; i++, n = Math.floor(n / SAFE.length)) s += SAFE[n % SAFE.length];
  return s;
}

export function crashloopingCluster(count: number, namespaces = 10): CrashloopingCluster {
  const objects: KubeObject[] = [];
  const logs: Record<string, string> = {};
  const pods: CrashloopingCluster['pods'] = [];
  const finishedAt = new Date(Date.now() - 90_000).toISOString();
  for (let n = 0; n < namespaces; n++) objects.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `team${n}` } });
  for (let i = 0; i < count; i++) {
    const namespace = `team${i % namespaces}`;
    const deployment = `svc${i}`;
    const pod = `${deployment}-${HASH}-${suffix(i)}`;
    const image = `registry.example/${deployment}:1.4.${i % 7}`;
    const labels = { app: deployment, 'pod-template-hash': HASH };
    const container = { name: 'app', image };
    objects.push(
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: deployment, namespace, uid: `uid-${deployment}`, generation: 1, annotations: { 'deployment.kubernetes.io/revision': '1' } },
        spec: { replicas: 1, selector: { matchLabels: { app: deployment } }, template: { metadata: { labels: { app: deployment } }, spec: { containers: [container] } } },
        status: { observedGeneration: 1, replicas: 1, updatedReplicas: 1, readyReplicas: 0, availableReplicas: 0, unavailableReplicas: 1 },
      },
      {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name: `${deployment}-${HASH}`,
          namespace,
          uid: `uid-${deployment}-rs`,
          labels,
          annotations: { 'deployment.kubernetes.io/revision': '1' },
          ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: deployment, uid: `uid-${deployment}`, controller: true }],
        },
        spec: { replicas: 1, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [container] } } },
        status: { replicas: 1, readyReplicas: 0 },
      },
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: pod,
          namespace,
          uid: `uid-${pod}`,
          labels,
          ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${deployment}-${HASH}`, uid: `uid-${deployment}-rs`, controller: true }],
        },
        spec: { nodeName: `node-${i % 3}`, containers: [container] },
        status: {
          phase: 'Running',
          conditions: [{ type: 'PodScheduled', status: 'True' }, { type: 'Ready', status: 'False', reason: 'ContainersNotReady' }],
          containerStatuses: [{
            name: 'app',
            image,
            ready: false,
            restartCount: 7,
            state: { waiting: { reason: 'CrashLoopBackOff', message: `back-off 5m0s restarting failed container=app pod=${pod}` } },
            lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt } },
          }],
        },
      },
      {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: `${pod}.17a2b3c4d5e6f7a8`, namespace },
        involvedObject: { kind: 'Pod', name: pod, namespace, uid: `uid-${pod}` },
        reason: 'BackOff',
        message: 'Back-off restarting failed container app in pod',
        type: 'Warning',
        count: 31,
        lastTimestamp: finishedAt,
      },
    );
    logs[logKey(namespace, pod, 'app', true)] = [
      `2026-12-02T11:00:0${i % 10}Z INFO starting ${deployment} version 1.4.${i % 7}`,
      `2026-12-02T11:00:0${i % 10}Z INFO connecting to postgres at db.${namespace}.svc:5432`,
      `2026-12-02T11:00:1${i % 10}Z ERROR connect ECONNREFUSED 10.0.${i % 250}.17:5432`,
      `2026-12-02T11:00:1${i % 10}Z FATAL cannot start without a database, exiting`,
    ].join('\n');
    pods.push({ namespace, deployment, pod });
  }
  return { objects, logs, pods };
}
