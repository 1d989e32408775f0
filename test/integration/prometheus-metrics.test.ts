import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/config/load-config.js';
import { diagnose } from '../../src/diagnose/diagnose.js';
import type { Evidence } from '../../src/domain/evidence.js';
import { CATEGORIES, type AlertmanagerAlert, type Category, type IncidentSubject } from '../../src/domain/types.js';
import { subjectFromAlert } from '../../src/eval/subject-from-alert.js';
import { makeCollector } from '../../src/k8s/make-collector.js';
import { startFakeKubeApi, type FakeKubeApi } from '../support/fake-kube-api.js';
import { startFakePrometheus, type FakePrometheus } from '../support/fake-prometheus.js';

/**
 * The Prometheus step of collection, driven through the real collector over HTTP:
 * the fake Kubernetes API serves the cpu-throttling-high scenario, the fake
 * Prometheus answers the four last-hour queries.
 */

const SCENARIO = fileURLToPath(new URL('../fixtures/scenarios/cpu-throttling-high/', import.meta.url));
const NS = 'search';
const POD = 'query-router-8c6d9b7f5-u8i9o';

function alertSubject(overrides: Partial<IncidentSubject> = {}): IncidentSubject {
  const payload = JSON.parse(readFileSync(`${SCENARIO}alert.json`, 'utf8')) as { alerts: AlertmanagerAlert[]; externalURL: string };
  return { ...subjectFromAlert(payload.alerts[0] as AlertmanagerAlert, payload, 'inc-prom', 'fake'), ...overrides };
}

function collectorFor(kube: FakeKubeApi, prometheusUrl: string | null, requestTimeoutMs = 2000) {
  return makeCollector({ kubeConfig: kube.kubeConfig(), cluster: 'fake', prometheusUrl, requestTimeoutMs, logTailLines: 50, logMaxBytes: 4096 });
}

function item(evidence: Evidence, id: string) {
  const found = evidence.items.find((i) => i.id === id);
  assert.ok(found, `no evidence item ${id}; have ${evidence.items.map((i) => i.id).join(', ')}`);
  return found;
}

/** What the cluster would answer for the router container (78.4% of periods throttled, as the alert says). */
function answerRouter(prom: FakePrometheus): void {
  prom.answer(/kube_pod_container_status_restarts_total/, [{ metric: { namespace: NS, pod: POD, container: 'router' }, value: 0 }]);
  prom.answer(/kube_pod_container_status_last_terminated_reason/, []);
  prom.answer(/container_cpu_cfs_throttled_periods_total/, [{ metric: { container: 'router' }, value: 0.784 }]);
  prom.answer(/container_memory_working_set_bytes/, [{ metric: { container: 'router' }, value: 201_326_592 }]);
}

const PROM_ITEMS = ['cpuThrottledRatio', 'memoryWorkingSetBytes', 'oomKills', 'restarts'].map((l) => `prometheus/${NS}/${POD}/${l}`);

describe('Prometheus metrics in collection', () => {
  let kube: FakeKubeApi;
  before(async () => {
    kube = await startFakeKubeApi({ fixtureDir: SCENARIO });
  });
  after(() => kube.close());

  it('sends four instant queries for the last hour, each scoped to the alert namespace, pod and container', async () => {
    const prom = await startFakePrometheus();
    try {
      answerRouter(prom);
      const before = Date.now() / 1000;
      await collectorFor(kube, prom.url)(alertSubject(), 'cpu-throttling');
      const after = Date.now() / 1000;
      assert.equal(prom.queries.length, 4);
      for (const q of prom.queries) {
        assert.equal(q.status, 200, `${q.query} was accepted`);
        assert.equal(q.endpoint, 'query');
        assert.ok(q.evaluatedAt !== null && q.evaluatedAt >= before - 1 && q.evaluatedAt <= after + 1, 'evaluated now');
        assert.ok(q.ranges.length > 0 && q.ranges.every((r) => r === '1h'), `${q.query} looks back one hour`);
        assert.ok(q.selectors.length > 0);
        for (const s of q.selectors) {
          const equal = (label: string) => s.matchers.filter((m) => m.label === label).map((m) => `${m.op}${m.value}`);
          assert.deepEqual(equal('namespace'), [`=${NS}`], `${s.metric} namespace`);
          assert.deepEqual(equal('pod'), [`=${POD}`], `${s.metric} pod`);
          assert.ok(equal('container').includes('=router'), `${s.metric} is scoped to container router`);
        }
      }
    } finally {
      await prom.close();
    }
  });

  it('puts each result in the evidence with its PromQL as the source, and the samples in the snapshot', async () => {
    const prom = await startFakePrometheus();
    try {
      answerRouter(prom);
      const evidence = await collectorFor(kube, prom.url)(alertSubject(), 'cpu-throttling');
      const throttled = item(evidence, `prometheus/${NS}/${POD}/cpuThrottledRatio`);
      const sent = prom.queries.find((q) => q.query.includes('container_cpu_cfs_throttled_periods_total'));
      assert.deepEqual(throttled.source, { kind: 'PrometheusQuery', namespace: NS, name: POD, path: sent?.query });
      assert.equal(throttled.text, 'router: 0.784');
      assert.equal(throttled.error, undefined);
      assert.equal(item(evidence, `prometheus/${NS}/${POD}/memoryWorkingSetBytes`).text, 'router: 201326592');
      assert.equal(item(evidence, `prometheus/${NS}/${POD}/oomKills`).text, '(no series)');
      assert.equal(throttled.title, 'Prometheus: cpuThrottledRatio (last hour)');
      const sample = evidence.snapshot.metrics.find((m) => m.name === 'cpuThrottledRatio');
      assert.deepEqual(sample && { ...sample, query: undefined }, { name: 'cpuThrottledRatio', namespace: NS, pod: POD, query: undefined, labels: { container: 'router' }, value: 0.784 });
      assert.ok(!evidence.missing.some((m) => /Prometheus/.test(m)), evidence.missing.join('; '));
    } finally {
      await prom.close();
    }
  });

  it('feeds the measured throttling ratio into the cpu-throttled finding', async () => {
    const prom = await startFakePrometheus();
    try {
      answerRouter(prom);
      const subject = alertSubject();
      const findings = diagnose(subject, 'cpu-throttling', await collectorFor(kube, prom.url)(subject, 'cpu-throttling'));
      const finding = findings.find((f) => f.cause === 'cpu-throttled');
      assert.ok(finding, findings.map((f) => f.cause).join(', '));
      const measured = finding.evidence.find((e) => e.source === `prometheus/${NS}/${POD}/cpuThrottledRatio`);
      assert.equal(measured?.line, 'Prometheus: container router was throttled in 78.4% of CFS periods over the last hour');
    } finally {
      await prom.close();
    }
  });

  it('finds CPU throttling from the measured ratio alone when no CPUThrottlingHigh alert names it', async () => {
    const prom = await startFakePrometheus();
    try {
      answerRouter(prom);
      const subject = alertSubject({ alertname: 'HighLatency', annotations: {} });
      const findings = diagnose(subject, 'cpu-throttling', await collectorFor(kube, prom.url)(subject, 'cpu-throttling'));
      assert.equal(findings[0]?.cause, 'cpu-throttled');
      assert.match(findings[0]?.title ?? '', /router .* throttled by its CPU limit of 250m/);
    } finally {
      await prom.close();
    }
  });

  it('finds no throttling from a ratio under the CPUThrottlingHigh threshold of 25%', async () => {
    const prom = await startFakePrometheus();
    try {
      prom.answer(/container_cpu_cfs_throttled_periods_total/, [{ metric: { container: 'router' }, value: 0.1 }]);
      const subject = alertSubject({ alertname: 'HighLatency', annotations: {} });
      const findings = diagnose(subject, 'cpu-throttling', await collectorFor(kube, prom.url)(subject, 'cpu-throttling'));
      assert.ok(!findings.some((f) => f.cause === 'cpu-throttled'), findings.map((f) => f.cause).join(', '));
    } finally {
      await prom.close();
    }
  });

  it('keeps label values with quotes and backslashes inside their matcher: same value at Prometheus, no extra matchers', async () => {
    const tricky = [
      { pod: 'api",namespace=~".+', container: 'app' },
      { pod: 'api\\', container: 'app"} or vector(1) #' },
      { pod: 'api\\"x', container: 'app\nline' },
    ];
    for (const { pod, container } of tricky) {
      const weird = await startFakeKubeApi({
        objects: [
          { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
          { apiVersion: 'v1', kind: 'Pod', metadata: { name: pod, namespace: 'shop', uid: 'u1' }, spec: { containers: [{ name: container, image: 'x' }] }, status: { phase: 'Running' } },
        ],
      });
      const prom = await startFakePrometheus();
      try {
        const evidence = await collectorFor(weird, prom.url)(alertSubject({ labels: { alertname: 'CPUThrottlingHigh', namespace: 'shop', pod, container } }), 'cpu-throttling');
        assert.equal(evidence.target.pod, pod, 'the fake Kubernetes API served the pod');
        assert.equal(prom.queries.length, 4);
        for (const q of prom.queries) {
          assert.equal(q.status, 200, `Prometheus parsed ${q.query}`);
          for (const s of q.selectors) {
            assert.deepEqual(s.matchers.filter((m) => m.label === 'namespace'), [{ label: 'namespace', op: '=', value: 'shop' }], q.query);
            assert.deepEqual(s.matchers.filter((m) => m.label === 'pod'), [{ label: 'pod', op: '=', value: pod }], q.query);
            assert.ok(s.matchers.some((m) => m.label === 'container' && m.op === '=' && m.value === container), q.query);
          }
        }
        assert.ok(!evidence.missing.some((m) => /Prometheus/.test(m)), evidence.missing.join('; '));
      } finally {
        await prom.close();
        await weird.close();
      }
    }
  });

  const ERRORS = [
    { name: '422 execution error', failure: { status: 422, errorType: 'execution', error: 'query processing would load too many samples into memory in query execution' } as const, note: /execution: query processing would load too many samples/ },
    { name: '503 query timeout', failure: { status: 503, errorType: 'timeout', error: 'query timed out in expression evaluation' } as const, note: /timeout: query timed out in expression evaluation/ },
    { name: '400 bad_data', failure: { status: 400, errorType: 'bad_data', error: 'invalid parameter "query": 1:1: parse error: unexpected' } as const, note: /bad_data: invalid parameter "query"/ },
    { name: 'bare 500 from a proxy', failure: { status: 500, body: '<html>Internal Server Error</html>' } as const, note: /HTTP 500/ },
  ];
  for (const { name, failure, note } of ERRORS) {
    it(`turns a Prometheus ${name} into evidence notes and still diagnoses from the cluster`, async () => {
      const prom = await startFakePrometheus();
      try {
        prom.fail(/./, failure);
        const subject = alertSubject();
        const evidence = await collectorFor(kube, prom.url)(subject, 'cpu-throttling');
        assert.equal(evidence.clusterReadable, true);
        item(evidence, `pod/${NS}/${POD}/status`);
        for (const id of PROM_ITEMS) {
          const failed = item(evidence, id);
          assert.match(failed.error ?? '', note, id);
          assert.match(failed.text, /^could not query Prometheus: /);
        }
        assert.equal(evidence.missing.filter((m) => /^Prometheus /.test(m) && note.test(m)).length, 4, evidence.missing.join('; '));
        assert.deepEqual(evidence.snapshot.metrics, []);
        assert.equal(diagnose(subject, 'cpu-throttling', evidence)[0]?.cause, 'cpu-throttled');
      } finally {
        await prom.close();
      }
    });
  }

  it('keeps the three answered queries when only the throttling query fails', async () => {
    const prom = await startFakePrometheus();
    try {
      answerRouter(prom);
      prom.fail(/container_cpu_cfs_throttled_periods_total/, { status: 503, errorType: 'unavailable', error: 'too many concurrent queries' });
      const evidence = await collectorFor(kube, prom.url)(alertSubject(), 'cpu-throttling');
      assert.match(item(evidence, `prometheus/${NS}/${POD}/cpuThrottledRatio`).error ?? '', /too many concurrent queries/);
      assert.equal(item(evidence, `prometheus/${NS}/${POD}/memoryWorkingSetBytes`).text, 'router: 201326592');
      assert.deepEqual(evidence.missing.filter((m) => /Prometheus/.test(m)).length, 1);
    } finally {
      await prom.close();
    }
  });

  for (const [name, failure] of [['never answers', { hang: true }], ['sends headers and stalls the body', { stallBody: true }]] as const) {
    it(`gives up on a Prometheus that ${name} after the request timeout, without holding up collection`, async () => {
      const prom = await startFakePrometheus();
      try {
        prom.fail(/./, failure);
        const started = performance.now();
        const evidence = await collectorFor(kube, prom.url, 400)(alertSubject(), 'cpu-throttling');
        const elapsed = performance.now() - started;
        assert.ok(elapsed < 1500, `collection took ${Math.round(elapsed)} ms with a 400 ms timeout`);
        assert.equal(prom.queries.length, 4);
        for (const id of PROM_ITEMS) assert.equal(item(evidence, id).error, 'timed out after 400 ms', id);
        item(evidence, `pod/${NS}/${POD}/status`);
      } finally {
        await prom.close();
      }
    });
  }

  it('notes an unreachable Prometheus (connection refused) and still returns the cluster evidence', async () => {
    const prom = await startFakePrometheus();
    const url = prom.url;
    await prom.close();
    const evidence = await collectorFor(kube, url)(alertSubject(), 'cpu-throttling');
    for (const id of PROM_ITEMS) assert.match(item(evidence, id).error ?? '', /ECONNREFUSED/, id);
    item(evidence, `pod/${NS}/${POD}/status`);
  });

  it('asks Prometheus to stop evaluating when k8flex stops waiting', async () => {
    const prom = await startFakePrometheus();
    try {
      await collectorFor(kube, prom.url, 1500)(alertSubject(), 'cpu-throttling');
      assert.deepEqual(new Set(prom.queries.map((q) => q.params.timeout)), new Set(['1500ms']));
    } finally {
      await prom.close();
    }
  });

  it('queries Prometheus only for the categories that read metrics: cpu-throttling and oom-killed', async () => {
    const prom = await startFakePrometheus();
    try {
      const collect = collectorFor(kube, prom.url);
      const queried: Category[] = [];
      for (const category of CATEGORIES) {
        const before = prom.queries.length;
        await collect(alertSubject(), category);
        if (prom.queries.length > before) queried.push(category);
      }
      assert.deepEqual(queried.sort(), ['cpu-throttling', 'oom-killed']);
    } finally {
      await prom.close();
    }
  });

  it('reads no metrics and notes nothing about Prometheus when PROMETHEUS_URL is unset or empty', async () => {
    for (const value of [undefined, '', '  ']) {
      const env = loadConfig({ PROMETHEUS_URL: value }).env;
      assert.equal(env.PROMETHEUS_URL, null, JSON.stringify(value));
      const evidence = await collectorFor(kube, env.PROMETHEUS_URL)(alertSubject(), 'cpu-throttling');
      assert.ok(!evidence.items.some((i) => i.id.startsWith('prometheus/')));
      assert.ok(!evidence.missing.some((m) => /Prometheus/.test(m)), evidence.missing.join('; '));
      assert.deepEqual(evidence.snapshot.metrics, []);
      item(evidence, `pod/${NS}/${POD}/status`);
    }
  });
});
