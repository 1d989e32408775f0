import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { incidentKey } from '../../src/intake/incident-key.js';
import { workloadFromLabels } from '../../src/intake/workload-from-labels.js';

describe('workloadFromLabels', () => {
  const cases: Array<[string, Record<string, string>, string | null]> = [
    ['a Deployment pod name yields its Deployment', { namespace: 'shop', pod: 'checkout-api-6c9f8d7b5d-4xkqp' }, 'Deployment/checkout-api'],
    ['a StatefulSet pod name yields its StatefulSet', { namespace: 'db', pod: 'postgres-2' }, 'StatefulSet/postgres'],
    ['a DaemonSet or Job pod yields its owner prefix', { namespace: 'kube-system', pod: 'fluent-bit-x7k2p' }, 'PodOwner/fluent-bit'],
    ['an explicit deployment label wins over the pod name', { namespace: 'a', deployment: 'web', pod: 'other-6c9f8d7b5d-4xkqp' }, 'Deployment/web'],
    ['job_name yields the Job', { namespace: 'batch', job_name: 'nightly-report-28901234' }, 'Job/nightly-report-28901234'],
    ['the kube-state-metrics service label is not the subject', { namespace: 'shop', service: 'kube-prometheus-stack-kube-state-metrics', pod: 'web-0' }, 'StatefulSet/web'],
    ['a node alert is about the node, not the exporter pod', { alertname: 'KubeNodeNotReady', node: 'ip-10-0-3-17', namespace: 'monitoring', pod: 'kube-prometheus-stack-kube-state-metrics-7d5b9c8f6-lq2mz' }, 'Node/ip-10-0-3-17'],
    ['a pod name with no recognisable suffix is the pod itself', { namespace: 'x', pod: 'standalone' }, 'Pod/standalone'],
    ['no workload labels yield nothing', { namespace: 'x', instance: '10.0.0.1:9100' }, null],
  ];
  for (const [name, labels, expected] of cases) {
    it(name, () => {
      const w = workloadFromLabels(labels);
      assert.equal(w ? `${w.kind}/${w.name}` : null, expected);
    });
  }
});

describe('incidentKey', () => {
  it('groups pods of one Deployment under one key', () => {
    const a = incidentKey({ cluster: 'c', alertname: 'KubePodCrashLooping', namespace: 'shop', workload: workloadFromLabels({ pod: 'api-6c9f8d7b5d-4xkqp' }), fingerprint: '1' });
    const b = incidentKey({ cluster: 'c', alertname: 'KubePodCrashLooping', namespace: 'shop', workload: workloadFromLabels({ pod: 'api-6c9f8d7b5d-9tzrw' }), fingerprint: '2' });
    assert.equal(a, b);
    assert.equal(a, 'c/workload-unavailable/shop/Deployment/api');
  });

  it('groups the crash-loop, not-ready, waiting and replica alerts of one Deployment under one key', () => {
    const keys = [
      ['KubePodCrashLooping', { pod: 'api-6c9f8d7b5d-4xkqp' }],
      ['KubePodNotReady', { pod: 'api-6c9f8d7b5d-9tzrw' }],
      ['KubeContainerWaiting', { pod: 'api-6c9f8d7b5d-4xkqp', container: 'app' }],
      ['KubeDeploymentReplicasMismatch', { deployment: 'api' }],
    ].map(([alertname, labels]) =>
      incidentKey({ cluster: 'c', alertname: alertname as string, namespace: 'shop', workload: workloadFromLabels(labels as Record<string, string>), fingerprint: String(alertname) }),
    );
    assert.deepEqual(new Set(keys), new Set(['c/workload-unavailable/shop/Deployment/api']));
  });

  it('keeps a throttling alert apart from the crash loop of the same Deployment', () => {
    const w = { kind: 'Deployment', namespace: 'shop', name: 'api' };
    assert.notEqual(
      incidentKey({ cluster: 'c', alertname: 'KubePodCrashLooping', namespace: 'shop', workload: w, fingerprint: '1' }),
      incidentKey({ cluster: 'c', alertname: 'CPUThrottlingHigh', namespace: 'shop', workload: w, fingerprint: '2' }),
    );
  });

  it('keeps different alert names apart', () => {
    const w = { kind: 'Deployment', namespace: 'shop', name: 'api' };
    assert.notEqual(
      incidentKey({ cluster: 'c', alertname: 'A', namespace: 'shop', workload: w, fingerprint: '1' }),
      incidentKey({ cluster: 'c', alertname: 'B', namespace: 'shop', workload: w, fingerprint: '1' }),
    );
  });

  it('falls back to the fingerprint when the workload is unknown', () => {
    assert.equal(incidentKey({ cluster: 'c', alertname: 'TargetDown', namespace: null, workload: null, fingerprint: 'abc' }), 'c/TargetDown/fp:abc');
  });
});
