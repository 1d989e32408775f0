import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseEnv } from '../../src/config/config.js';
import { ConfigError } from '../../src/errors.js';
import type { Service } from '../../src/main.js';
import { loadPayload, makePayload } from '../support/alerts.js';
import { eventually, json, startTestService } from '../support/test-service.js';

const TOKEN = 'test-webhook-token-123';

describe('POST /webhook over HTTP', () => {
  let s: Service;
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${s.url}/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}`, ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const rows = async (sql: string) => Number((await s.pool.query<{ n: string }>(sql)).rows[0]?.n);

  before(async () => {
    s = await startTestService({ WEBHOOK_AUTH_TOKEN: TOKEN, WEBHOOK_BODY_LIMIT: '64kb' });
  });
  after(async () => s.stop());

  it('answers 401 with a JSON error when the bearer token is missing or wrong', async () => {
    const missing = await post(loadPayload('kube-pod-crashlooping'), { authorization: '' });
    assert.equal(missing.status, 401);
    assert.match((await json(missing)).error, /missing bearer token/);
    const wrong = await post(loadPayload('kube-pod-crashlooping'), { authorization: `Bearer ${TOKEN}x` });
    assert.equal(wrong.status, 401);
    assert.equal(await rows('SELECT count(*) AS n FROM alerts'), 0);
  });

  it('answers 400 naming the field when the payload is invalid', async () => {
    const p = makePayload([{ fingerprint: 'f' }]) as unknown as { alerts: Record<string, unknown>[] };
    p.alerts[0]!.status = 'exploded';
    const r = await post(p);
    assert.equal(r.status, 400);
    assert.match((await json(r)).error, /alerts\[0\]\.status/);
  });

  it('answers 400 for malformed JSON and 415 for a non-JSON content type', async () => {
    const bad = await post('{"version": "4",');
    assert.equal(bad.status, 400);
    assert.match((await json(bad)).error, /malformed JSON/);
    const form = await post('a=b', { 'content-type': 'application/x-www-form-urlencoded' });
    assert.equal(form.status, 415);
  });

  it('answers 413 when the body exceeds WEBHOOK_BODY_LIMIT', async () => {
    const big = makePayload(Array.from({ length: 40 }, (_, i) => ({ fingerprint: `big${i}`, annotations: { description: 'x'.repeat(4000) } })));
    const r = await post(big);
    assert.equal(r.status, 413);
    assert.match((await json(r)).error, /size limit/);
    assert.equal(await rows(`SELECT count(*) AS n FROM alerts WHERE fingerprint LIKE 'big%'`), 0);
  });

  it('accepts a real payload and completes its investigation', async () => {
    const r = await post(loadPayload('kube-pod-crashlooping'));
    assert.equal(r.status, 200);
    const body = await json(r);
    assert.equal(body.new_incidents.length, 1);
    const id = body.new_incidents[0];
    const incident = await eventually(async () => {
      const res = await fetch(`${s.url}/api/v1/incidents/${id}`);
      const j = await json(res);
      return j.status === 'completed' ? j : undefined;
    });
    assert.equal(incident.alertname, 'KubePodCrashLooping');
    assert.equal(incident.namespace, 'shop');
    assert.equal(incident.category, 'pod-crash');
    assert.ok(incident.analysis.text.includes('## Summary'));
    const list = await json(await fetch(`${s.url}/api/v1/incidents`));
    assert.ok(list.items.some((i: { id: string }) => i.id === id));
  });

  it('answers 503 while the database is down and accepts the same delivery once it is back', async () => {
    const payload = makePayload([{ fingerprint: 'outage-1', labels: { namespace: 'x', deployment: 'outage' } }]);
    await s.embedded!.pause();
    try {
      const during = await post(payload);
      assert.equal(during.status, 503);
      assert.ok((await json(during)).error);
      const ready = await fetch(`${s.url}/readyz`);
      assert.equal(ready.status, 503);
    } finally {
      await s.embedded!.resume();
    }
    const retried = await eventually(async () => {
      const r = await post(payload);
      return r.status === 200 ? r : undefined;
    });
    assert.equal(retried.status, 200);
    assert.equal(await rows(`SELECT count(*) AS n FROM alerts WHERE fingerprint = 'outage-1'`), 1);
  });

  it('answers 404 for an unknown incident and 400 for a malformed id', async () => {
    const unknown = await fetch(`${s.url}/api/v1/incidents/00000000-0000-4000-8000-000000000000`);
    assert.equal(unknown.status, 404);
    assert.match((await json(unknown)).error, /not found/);
    const malformed = await fetch(`${s.url}/api/v1/incidents/not-a-uuid`);
    assert.equal(malformed.status, 400);
  });

  it('serves health, readiness and Prometheus metrics', async () => {
    assert.equal((await fetch(`${s.url}/healthz`)).status, 200);
    assert.equal((await fetch(`${s.url}/readyz`)).status, 200);
    const metrics = await (await fetch(`${s.url}/metrics`)).text();
    assert.match(metrics, /k8flex_webhook_requests_total\{code="200"\} \d+/);
    assert.match(metrics, /k8flex_jobs_total/);
  });
});

describe('configuration', () => {
  it('names every bad variable at once', () => {
    assert.throws(
      () => parseEnv({ PORT: 'eighty', ROLES: 'webhook,cook', K8S_IN_CLUSTER: 'maybe' }),
      (err: unknown) =>
        err instanceof ConfigError &&
        ['PORT', 'ROLES', 'K8S_IN_CLUSTER'].every((v) => err.variables.includes(v) && err.message.includes(v)),
    );
  });
  it('starts with no configuration at all', () => {
    const c = parseEnv({});
    assert.equal(c.PORT, 8080);
    assert.equal(c.DATABASE_URL, null);
    assert.deepEqual(c.ROLES, ['webhook', 'worker', 'watcher', 'dashboard']);
  });
});
