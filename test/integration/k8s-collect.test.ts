import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Evidence } from '../../src/domain/evidence.js';
import type { Category, IncidentSubject } from '../../src/domain/types.js';
import { makeCollector } from '../../src/k8s/make-collector.js';
import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import { startFakeKubeApi, type FakeKubeApi, type FakeKubeRequest } from '../support/fake-kube-api.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/clusters/', import.meta.url));
const CLUSTER_ROLE = fileURLToPath(new URL('../../deploy/base/clusterrole.yaml', import.meta.url));
/** Every request any test made, checked against the ClusterRole at the end. */
const SEEN: FakeKubeRequest[] = [];

function subject(labels: Record<string, string>): IncidentSubject {
  return {
    incidentId: 'inc-1',
    source: 'alert',
    cluster: 'fake',
    alertname: 'Test',
    severity: 'critical',
    labels,
    annotations: {},
    namespace: labels.namespace ?? null,
    workload: null,
    description: null,
    startsAt: '2024-05-01T10:00:00Z',
    generatorURL: null,
    externalURL: null,
  };
}

async function collectFrom(
  fixture: string,
  category: Category,
  labels: Record<string, string>,
  setup?: (api: FakeKubeApi) => void,
  requestTimeoutMs = 2000,
): Promise<{ evidence: Evidence; api: FakeKubeApi }> {
  const api = await startFakeKubeApi({ fixtureDir: `${FIXTURES}${fixture}` });
  try {
    setup?.(api);
    const collect = makeCollector({ kubeConfig: api.kubeConfig(), cluster: 'fake', requestTimeoutMs, logTailLines: 100, logMaxBytes: 4096 });
    return { evidence: await collect(subject(labels), category), api };
  } finally {
    SEEN.push(...api.requests);
    await api.close();
  }
}

function item(evidence: Evidence, id: string) {
  const found = evidence.items.find((i) => i.id === id);
  assert.ok(found, `no evidence item ${id}; have ${evidence.items.map((i) => i.id).join(', ')}`);
  return found;
}

type Case = { fixture: string; category: Category; labels: Record<string, string>; items: string[]; workload: string | null; check?: (e: Evidence) => void };

const CASES: Case[] = [
  {
    fixture: 'crashloop-api',
    category: 'pod-crash',
    labels: { namespace: 'shop', pod: 'api-7d9f8c6b5-x2x4z', container: 'app' },
    workload: 'Deployment/api',
    items: ['pod/shop/api-7d9f8c6b5-x2x4z/events', 'pod/shop/api-7d9f8c6b5-x2x4z/logs/app/current', 'pod/shop/api-7d9f8c6b5-x2x4z/logs/app/previous', 'pod/shop/api-7d9f8c6b5-x2x4z/references', 'pod/shop/api-7d9f8c6b5-x2x4z/status'],
    check: (e) => {
      const previous = item(e, 'pod/shop/api-7d9f8c6b5-x2x4z/logs/app/previous');
      assert.match(previous.text, /password authentication failed/);
      assert.match(previous.text, /\[×40 similar lines\]/);
      assert.equal(previous.source.path, '/api/v1/namespaces/shop/pods/api-7d9f8c6b5-x2x4z/log?container=app&limitBytes=16384&previous=true&tailLines=100');
      assert.match(item(e, 'pod/shop/api-7d9f8c6b5-x2x4z/status').text, /exitCode: 1/);
      assert.match(item(e, 'pod/shop/api-7d9f8c6b5-x2x4z/events').text, /BackOff x31/);
      assert.deepEqual(e.snapshot.configMaps, [{ namespace: 'shop', name: 'api-config', keys: ['FEATURE_FLAGS', 'UPSTREAM_URL'] }]);
      assert.deepEqual(e.snapshot.secrets.map((s) => [s.name, s.keys]), [['db-creds', ['password']], ['api-tls', []]]);
      assert.ok(e.context.charsBeforeReduction > e.context.chars, 'log reduction shrank the context');
    },
  },
  {
    fixture: 'oom-worker',
    category: 'oom-killed',
    labels: { namespace: 'batch', pod: 'worker-0' },
    workload: 'StatefulSet/worker',
    items: ['pod/batch/worker-0/events', 'pod/batch/worker-0/logs/worker/current', 'pod/batch/worker-0/logs/worker/previous', 'pod/batch/worker-0/status'],
    check: (e) => assert.match(item(e, 'pod/batch/worker-0/status').text, /reason: OOMKilled\n\s+exitCode: 137/),
  },
  {
    fixture: 'config-missing-secret',
    category: 'config-error',
    labels: { namespace: 'pay', deployment: 'payments' },
    workload: 'Deployment/payments',
    items: ['pod/pay/payments-5c6d7f8b9-pq2rs/events', 'pod/pay/payments-5c6d7f8b9-pq2rs/references', 'pod/pay/payments-5c6d7f8b9-pq2rs/status'],
    check: (e) => {
      assert.deepEqual(e.snapshot.secrets, [{ namespace: 'pay', name: 'stripe-keys', keys: ['api-key'], missing: true }]);
      assert.deepEqual(e.snapshot.configMaps, [{ namespace: 'pay', name: 'payments-config', keys: [], missing: true }]);
      const status = item(e, 'pod/pay/payments-5c6d7f8b9-pq2rs/status').text;
      assert.match(status, /STRIPE_WEBHOOK_SECRET: '\[REDACTED\]'/);
      assert.doesNotMatch(status, /whsec_/);
    },
  },
  {
    fixture: 'pending-insufficient-cpu',
    category: 'pod-pending',
    labels: { namespace: 'ml', pod: 'ml-train-6f7c9d8b4-zt5vn' },
    workload: 'ReplicaSet/ml-train-6f7c9d8b4',
    items: ['namespace/ml/events', 'nodes/scheduling', 'pod/ml/ml-train-6f7c9d8b4-zt5vn/events', 'pod/ml/ml-train-6f7c9d8b4-zt5vn/status', 'pvc/ml/training-data'],
    check: (e) => {
      assert.match(item(e, 'nodes/scheduling').text, /node-role.kubernetes.io\/control-plane:NoSchedule/);
      assert.equal(e.snapshot.nodes.length, 2);
      assert.match(item(e, 'pvc/ml/training-data').text, /provisioner: ebs.csi.aws.com/);
      assert.ok(e.target.unresolved.some((u) => u.startsWith('replicaset ml/ml-train-6f7c9d8b4 (owner): not found')));
    },
  },
  {
    fixture: 'image-pull-backoff',
    category: 'image-pull',
    labels: { namespace: 'frontend', pod: 'web-84d9c7b6f5-mn4kp' },
    workload: 'Deployment/web',
    items: ['nodes/scheduling', 'pod/frontend/web-84d9c7b6f5-mn4kp/events', 'pod/frontend/web-84d9c7b6f5-mn4kp/status'],
    check: (e) => {
      assert.match(item(e, 'pod/frontend/web-84d9c7b6f5-mn4kp/events').text, /manifest unknown/);
      assert.match(item(e, 'pod/frontend/web-84d9c7b6f5-mn4kp/status').text, /imagePullSecrets:\n\s+- regcred/);
    },
  },
  {
    fixture: 'service-selector-mismatch',
    category: 'endpoint-missing',
    labels: { namespace: 'shop', service: 'checkout' },
    workload: null,
    items: ['service/shop/checkout'],
    check: (e) => {
      const text = item(e, 'service/shop/checkout').text;
      assert.match(text, /ready: 0\n\s+notReady: 0/);
      assert.match(text, /the selector matches none of the 2 pods in shop/);
      assert.match(text, /pod: checkout-6b8d9f7c5-k2m4n\n\s+labels:\n\s+app: checkout\n\s+tier: frontend/);
    },
  },
  {
    fixture: 'node-not-ready',
    category: 'node-not-ready',
    labels: { instance: '10.0.4.21:9100', job: 'node-exporter' },
    workload: null,
    items: ['node/ip-10-0-4-21.eu-west-1.compute.internal/events', 'node/ip-10-0-4-21.eu-west-1.compute.internal/pods', 'node/ip-10-0-4-21.eu-west-1.compute.internal/status'],
    check: (e) => {
      assert.equal(e.target.node, 'ip-10-0-4-21.eu-west-1.compute.internal');
      const pods = item(e, 'node/ip-10-0-4-21.eu-west-1.compute.internal/pods').text;
      assert.match(pods, /^shop\/api-5d8f7c6b9-aaaaa .*restarts=2/);
      assert.doesNotMatch(pods, /other-node-pod/);
      assert.match(item(e, 'node/ip-10-0-4-21.eu-west-1.compute.internal/status').text, /Ready=Unknown \(NodeStatusUnknown\)/);
    },
  },
  {
    fixture: 'disk-pressure',
    category: 'disk-pressure',
    labels: { node: 'node-d' },
    workload: null,
    items: ['node/node-d/events', 'node/node-d/pods', 'node/node-d/status'],
    check: (e) => assert.match(item(e, 'node/node-d/pods').text, /^tools\/logger-6c7d8f9b5-evict phase=Failed reason=Evicted/),
  },
  {
    fixture: 'network-policy-deny-egress',
    category: 'network-policy',
    labels: { namespace: 'orders', pod: 'orders-7b8c9d6f5-g7h8j' },
    workload: null,
    items: ['namespace/orders/networkpolicies', 'pod/orders/orders-7b8c9d6f5-g7h8j/events', 'pod/orders/orders-7b8c9d6f5-g7h8j/logs/orders/current', 'pod/orders/orders-7b8c9d6f5-g7h8j/status', 'service/orders/orders'],
    check: (e) => {
      assert.deepEqual(e.snapshot.networkPolicies.map((p) => p.metadata?.name).sort(), ['allow-frontend', 'default-deny-egress']);
      assert.match(item(e, 'namespace/orders/networkpolicies').text, /denies all egress/);
    },
  },
  {
    fixture: 'dns-coredns-crash',
    category: 'dns-issues',
    labels: { namespace: 'shop', pod: 'app-6d7f8c9b5-dnsxx' },
    workload: null,
    items: ['coredns/pods', 'namespace/shop/networkpolicies', 'pod/kube-system/coredns-5d78c9869d-abcde/logs/coredns/current', 'pod/shop/app-6d7f8c9b5-dnsxx/events', 'pod/shop/app-6d7f8c9b5-dnsxx/status'],
    check: (e) => {
      assert.match(item(e, 'coredns/pods').text, /coredns-5d78c9869d-abcde phase=Running ready=false restarts=9/);
      assert.match(item(e, 'pod/kube-system/coredns-5d78c9869d-abcde/logs/coredns/current').text, /plugin\/loop: Loop/);
    },
  },
  {
    fixture: 'rollout-stuck',
    category: 'rollout-failed',
    labels: { namespace: 'search', deployment: 'search' },
    workload: 'Deployment/search',
    items: ['deployment/search/search/replicasets', 'deployment/search/search/status', 'namespace/search/events', 'pod/search/search-7f9c8d6b4-new01/events', 'pod/search/search-7f9c8d6b4-new01/status'],
    check: (e) => {
      assert.equal(e.target.pod, 'search-7f9c8d6b4-new01', 'the unready pod of the new revision is the target');
      assert.match(item(e, 'deployment/search/search/status').text, /Progressing=False \(ProgressDeadlineExceeded\)/);
      assert.match(item(e, 'deployment/search/search/replicasets').text, /^revision 9 search-7f9c8d6b4 replicas=1 ready=0 images=registry.example.com\/search\/search:7.1.0\nrevision 8/);
    },
  },
  {
    fixture: 'cronjob-failed',
    category: 'job-failed',
    labels: { namespace: 'reports', job_name: 'nightly-report-28571234' },
    workload: 'CronJob/nightly-report',
    items: ['cronjob/reports/nightly-report/jobs', 'cronjob/reports/nightly-report/status', 'namespace/reports/events', 'pod/reports/nightly-report-28571234-h4j5k/events', 'pod/reports/nightly-report-28571234-h4j5k/logs/report/current', 'pod/reports/nightly-report-28571234-h4j5k/status'],
    check: (e) => {
      const log = item(e, 'pod/reports/nightly-report-28571234-h4j5k/logs/report/current').text;
      assert.match(log, /KeyError: 'revenue_eur'/);
      assert.doesNotMatch(log, /AKIAIOSFODNN7EXAMPLE/);
      assert.doesNotMatch(e.snapshot.logs[0]?.text ?? '', /AKIAIOSFODNN7EXAMPLE/);
      assert.match(item(e, 'cronjob/reports/nightly-report/jobs').text, /BackoffLimitExceeded/);
    },
  },
  {
    fixture: 'pvc-pending',
    category: 'storage',
    labels: { namespace: 'db', persistentvolumeclaim: 'data-postgres-0', statefulset: 'postgres' },
    workload: 'StatefulSet/postgres',
    items: ['namespace/db/events', 'pod/db/postgres-0/events', 'pod/db/postgres-0/status', 'pvc/db/data-postgres-0', 'statefulset/db/postgres/status'],
    check: (e) => {
      assert.equal(e.target.pvc, 'data-postgres-0');
      assert.match(item(e, 'pvc/db/data-postgres-0').text, /phase: Pending[\s\S]*storageClassDetail: 'could not read: not found/);
      assert.match(item(e, 'namespace/db/events').text, /ProvisioningFailed x30 PersistentVolumeClaim\/data-postgres-0: storageclass.storage.k8s.io "fast-ssd" not found/);
    },
  },
];

describe('collect against fixture clusters', () => {
  for (const c of CASES) {
    it(`${c.category} on ${c.fixture} gathers exactly ${c.items.length} items for ${c.workload ?? 'no workload'}, never touching Secrets`, async () => {
      const { evidence, api } = await collectFrom(c.fixture, c.category, c.labels);
      assert.equal(evidence.clusterReadable, true);
      assert.deepEqual(evidence.items.map((i) => i.id), ['target', ...c.items]);
      assert.equal(evidence.target.workload ? `${evidence.target.workload.kind}/${evidence.target.workload.name}` : null, c.workload);
      assert.equal(evidence.apiCalls, api.requests.length, 'every API request is counted');
      assert.deepEqual(api.requests.filter((r) => r.path.includes('/secrets')), [], 'no Secret was requested');
      assert.ok(evidence.items.every((i) => i.source.path !== ''), 'every item names its source');
      assert.equal(evidence.items.filter((i) => i.error).length, 0);
      assert.ok(evidence.context.estimatedTokens > 0 && evidence.context.chars > 0);
      c.check?.(evidence);
    });
  }
});

describe('collect when reads fail', () => {
  it('turns a 403 on logs and a timeout on events into evidence items and still returns the pod', async () => {
    const { evidence } = await collectFrom('crashloop-api', 'pod-crash', { namespace: 'shop', pod: 'api-7d9f8c6b5-x2x4z' }, (api) => {
      api.setFault({ path: '/log$', status: 403, times: 10 });
      api.setFault({ path: '/events$', delayMs: 3000 });
    }, 300);
    const previous = item(evidence, 'pod/shop/api-7d9f8c6b5-x2x4z/logs/app/previous');
    assert.match(previous.error ?? '', /^forbidden: injected fault 403/);
    assert.equal(item(evidence, 'pod/shop/api-7d9f8c6b5-x2x4z/events').error, 'timed out after 300 ms');
    assert.match(item(evidence, 'pod/shop/api-7d9f8c6b5-x2x4z/status').text, /CrashLoopBackOff/);
    assert.equal(evidence.clusterReadable, true);
    assert.ok(evidence.missing.some((m) => m.includes('timed out after 300 ms')));
  });

  it('records a pod that no longer exists as unresolved and falls back to the deployment\'s worst pod', async () => {
    const { evidence } = await collectFrom('crashloop-api', 'pod-crash', { namespace: 'shop', pod: 'api-7d9f8c6b5-gone1', deployment: 'api' });
    assert.deepEqual(evidence.target.unresolved, ['pod shop/api-7d9f8c6b5-gone1: not found (it may have been replaced)']);
    assert.equal(evidence.target.pod, 'api-7d9f8c6b5-x2x4z');
    assert.deepEqual(evidence.target.workload, { kind: 'Deployment', namespace: 'shop', name: 'api' });
  });

  it('says the cluster could not be reached when the API server is down', async () => {
    const api = await startFakeKubeApi({ objects: [] });
    const kubeConfig = api.kubeConfig();
    await api.close();
    const collect = makeCollector({ kubeConfig, cluster: 'gone', requestTimeoutMs: 1000, logTailLines: 10, logMaxBytes: 1024 });
    const evidence = await collect(subject({ namespace: 'shop', pod: 'x' }), 'pod-crash');
    assert.equal(evidence.clusterReadable, false);
    assert.equal(evidence.missing[0], 'the cluster gone could not be reached');
  });

  it('returns empty evidence that says so when no cluster access is configured', async () => {
    const collect = makeCollector({ kubeConfig: null, cluster: 'none', requestTimeoutMs: 1000, logTailLines: 10, logMaxBytes: 1024 });
    const evidence = await collect(subject({ namespace: 'shop' }), 'unknown');
    assert.equal(evidence.clusterReadable, false);
    assert.equal(evidence.apiCalls, 0);
    assert.match(evidence.missing[0] ?? '', /could not be read: no Kubernetes access/);
  });
});

describe('secrets are never read', () => {
  let evidence: Evidence;
  let api: FakeKubeApi;
  before(async () => {
    ({ evidence, api } = await collectFrom('crashloop-api', 'pod-crash', { namespace: 'shop', pod: 'api-7d9f8c6b5-x2x4z' }));
  });

  it('returns no Secret value anywhere in the evidence, even though the fake cluster holds them', () => {
    const everything = JSON.stringify(evidence);
    for (const value of ['aHVudGVyMi1wcm9kLXZhbHVl', 'hunter2-prod-value', 'LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0t', 'Sup3rS3cret']) {
      assert.ok(!everything.includes(value), `${value} leaked`);
    }
    assert.ok(api.requests.length > 0);
    assert.deepEqual(api.requests.filter((r) => /secrets/.test(r.path + r.query)), []);
  });
});

describe('an alert about a Service whose backend times out reaching a dependency', () => {
  // A scenario cluster: storefront's logs time out dialling cart-api's ClusterIP, and
  // cart-api's NetworkPolicies admit only the api-gateway.
  const SCENARIO = fileURLToPath(new URL('../fixtures/scenarios/network-policy-blocks-backend/', import.meta.url));
  let evidence: Evidence;
  before(async () => {
    const api = await startFakeKubeApi({ fixtureDir: SCENARIO });
    try {
      const collect = makeCollector({ kubeConfig: api.kubeConfig(), cluster: 'fake', requestTimeoutMs: 2000, logTailLines: 100, logMaxBytes: 4096 });
      evidence = await collect(subject({ namespace: 'shop', service: 'storefront' }), 'service-down');
    } finally {
      SEEN.push(...api.requests);
      await api.close();
    }
  });

  it('resolves the Service to its least healthy pod and that pod\'s Deployment', () => {
    assert.equal(evidence.target.service, 'storefront');
    assert.equal(evidence.target.pod, 'storefront-7f5d8c9b6-e4r6t');
    assert.deepEqual(evidence.target.workload, { kind: 'Deployment', namespace: 'shop', name: 'storefront' });
    assert.ok(item(evidence, 'pod/shop/storefront-7f5d8c9b6-e4r6t/logs/storefront/current').text.includes('i/o timeout'));
  });

  it('follows the ClusterIP in the log to the Service, its pods and the NetworkPolicies selecting them', () => {
    const dep = item(evidence, 'dependency/shop/cart-api');
    assert.match(dep.text, /clusterIP: 10\.96\.40\.7/);
    assert.match(dep.text, /cart-api-6d8b9c7f5-y2u4i/);
    assert.match(dep.text, /cart-api-allow-gateway/);
    assert.deepEqual(evidence.snapshot.networkPolicies.map((p) => p.metadata?.name).sort(), ['cart-api-allow-gateway', 'default-deny-ingress']);
    assert.ok(evidence.snapshot.services.some((s) => s.metadata?.name === 'cart-api'));
  });
});

describe('deploy/base/clusterrole.yaml', () => {
  type Rule = { apiGroups: string[]; resources: string[]; verbs: string[] };
  it('grants every read the collector made, with read verbs only and nothing on secrets', () => {
    const role = load(readFileSync(CLUSTER_ROLE, 'utf8')) as { rules: Rule[] };
    const verbs = new Set(role.rules.flatMap((r) => r.verbs));
    assert.deepEqual([...verbs].sort(), ['get', 'list', 'watch']);
    assert.ok(!role.rules.some((r) => r.resources.some((res) => res.startsWith('secrets'))));
    assert.ok(SEEN.length > 50);
    for (const request of SEEN) {
      const m = /^\/(?:api\/v1|apis\/([^/]+)\/[^/]+)(?:\/namespaces\/[^/]+)?\/([a-z]+)(?:\/[^/]+(?:\/([a-z]+))?)?$/.exec(request.path);
      assert.ok(m, `unrecognised path ${request.path}`);
      const group = m[1] ?? '';
      const resource = m[3] ? `${m[2]}/${m[3]}` : (m[2] ?? '');
      assert.ok(
        role.rules.some((r) => r.apiGroups.includes(group) && r.resources.includes(resource)),
        `no rule for ${group}/${resource} (${request.path})`,
      );
    }
  });
});
