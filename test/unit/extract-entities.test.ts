import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { entityLabels, extractEntities, mergeEntities, type Entities } from '../../src/intake/extract-entities.js';

const CASES: ReadonlyArray<[description: string, expected: Entities]> = [
  ['Pod auth-7d9f in namespace prod is OOMKilled', { namespace: 'prod', pod: 'auth-7d9f' }],
  ['kubectl get pods -n payments shows checkout-5d8f9c7b6d-x2x4k crashing', { namespace: 'payments', pod: 'checkout-5d8f9c7b6d-x2x4k' }],
  ['--namespace=shop deploy/cart is stuck', { namespace: 'shop', workload: 'cart', workloadKind: 'Deployment' }],
  ['prod/auth-7d9f-bcdfg keeps restarting', { namespace: 'prod', pod: 'auth-7d9f-bcdfg' }],
  ['prod/checkout returns 503', { namespace: 'prod', workload: 'checkout', workloadKind: 'Deployment' }],
  ['pod/api-0 and svc/api in the billing namespace', { namespace: 'billing', pod: 'api-0', service: 'api' }],
  ['sts/shop/postgres is pending', { namespace: 'shop', workload: 'postgres', workloadKind: 'StatefulSet' }],
  ['Deployment "checkout" in namespace "shop" has no ready replicas', { namespace: 'shop', workload: 'checkout', workloadKind: 'Deployment' }],
  ['node ip-10-0-1-5.ec2.internal is NotReady', { node: 'ip-10-0-1-5.ec2.internal' }],
  ['service frontend is unreachable from ns web', { namespace: 'web', service: 'frontend' }],
  ['the cronjob nightly-report failed again', { workload: 'nightly-report', workloadKind: 'CronJob' }],
  ["'ledger' is slow since the last deploy", { workload: 'ledger', workloadKind: 'Deployment' }],
  ['the pod is crashing and the node is fine', {}],
  ['no pods are ready; read/write errors on the volume', {}],
  ['Pod Auth-Service in namespace Prod', {}],
  ['see https://grafana.example/d/abc for the dashboard', {}],
  ['', {}],
];

describe('extractEntities', () => {
  for (const [description, expected] of CASES) {
    it(`reads ${JSON.stringify(expected)} from ${JSON.stringify(description)}`, () => {
      assert.deepEqual(extractEntities(description), expected);
    });
  }

  it('rejects names that are not RFC 1123 names, so a description cannot smuggle paths into API calls', () => {
    assert.deepEqual(extractEntities('pod ../../secrets in namespace kube-system'), { namespace: 'kube-system' });
  });
});

describe('mergeEntities', () => {
  it('keeps what the rules found and takes only missing, valid names from the LLM', () => {
    const merged = mergeEntities({ namespace: 'prod' }, { namespace: 'staging', pod: 'api-1', node: 'Bad Name', workload: 'api' });
    assert.deepEqual(merged, { namespace: 'prod', pod: 'api-1', workload: 'api' });
  });

  it('returns the rules unchanged when the LLM found nothing', () => {
    assert.deepEqual(mergeEntities({ pod: 'a-1' }, null), { pod: 'a-1' });
  });
});

describe('entityLabels', () => {
  it('turns entities into the labels the pipeline reads, naming the workload by its kind', () => {
    assert.deepEqual(entityLabels({ namespace: 'shop', workload: 'db', workloadKind: 'StatefulSet', node: 'n1' }), {
      namespace: 'shop',
      node: 'n1',
      statefulset: 'db',
    });
    assert.deepEqual(entityLabels({ workload: 'api' }), { deployment: 'api' });
  });
});
