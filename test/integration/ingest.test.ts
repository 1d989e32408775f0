import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ingestWebhook } from '../../src/intake/ingest-webhook.js';
import { migrate } from '../../src/db/migrate.js';
import { silentLogger } from '../../src/observability/logger.js';
import { loadPayload, makePayload } from '../support/alerts.js';
import { startTestDb, type TestDb } from '../support/test-db.js';

const opts = { cluster: 'test', maxAttempts: 5 };

describe('ingestWebhook against embedded PGlite', () => {
  let t: TestDb;
  before(async () => {
    t = await startTestDb();
  });
  after(async () => t.close());
  beforeEach(async () => {
    await t.pool.query('TRUNCATE alerts, jobs, analyses, incidents CASCADE');
  });

  const count = async (sql: string) => Number((await t.pool.query<{ n: string }>(sql)).rows[0]?.n);

  it('applies migrations once and records them', async () => {
    const again = await migrate(t.pool, silentLogger());
    assert.deepEqual(again.applied, []);
    assert.ok((await count('SELECT count(*) AS n FROM schema_migrations')) >= 1);
  });

  it('opens one incident with one job for a real crash-looping payload', async () => {
    const r = await ingestWebhook(t.pool, loadPayload('kube-pod-crashlooping'), opts);
    assert.equal(r.newIncidents.length, 1);
    assert.equal(await count('SELECT count(*) AS n FROM alerts'), 2);
    assert.equal(await count(`SELECT count(*) AS n FROM jobs WHERE kind = 'investigate'`), 1);
    const inc = (await t.pool.query('SELECT * FROM incidents')).rows[0];
    assert.equal(inc.group_key, 'test/workload-unavailable/shop/Deployment/checkout-api');
    assert.equal(inc.alert_count, 2);
  });

  it('treats a repeated delivery of the same alerts as an update, not a new incident', async () => {
    const payload = loadPayload('kube-pod-crashlooping');
    await ingestWebhook(t.pool, payload, opts);
    const second = await ingestWebhook(t.pool, payload, opts);
    assert.deepEqual(second.newIncidents, []);
    assert.equal(await count('SELECT count(*) AS n FROM incidents'), 1);
    assert.equal(await count('SELECT count(*) AS n FROM jobs'), 1);
    assert.equal(await count('SELECT sum(receive_count) AS n FROM alerts'), 4);
  });

  it('groups 200 firing alerts from one Deployment into one incident and one job', async () => {
    const alerts = Array.from({ length: 200 }, (_, i) => ({
      fingerprint: `fp${i}`,
      labels: { namespace: 'shop', pod: `checkout-api-6c9f8d7b5d-${'bcdfg'[i % 5]}${'hjklm'[Math.floor(i / 5) % 5]}${'npqrs'[Math.floor(i / 25) % 5]}xz` },
    }));
    for (let i = 0; i < alerts.length; i += 20) await ingestWebhook(t.pool, makePayload(alerts.slice(i, i + 20)), opts);
    assert.equal(await count('SELECT count(*) AS n FROM alerts'), 200);
    assert.equal(await count('SELECT count(*) AS n FROM incidents'), 1);
    assert.equal(await count('SELECT count(*) AS n FROM jobs'), 1);
    assert.equal(await count('SELECT alert_count AS n FROM incidents'), 200);
  });

  it('keeps concurrent deliveries from two Alertmanagers to one incident', async () => {
    const payload = loadPayload('kube-pod-crashlooping');
    await Promise.all([ingestWebhook(t.pool, payload, opts), ingestWebhook(t.pool, payload, opts), ingestWebhook(t.pool, payload, opts)]);
    assert.equal(await count('SELECT count(*) AS n FROM incidents'), 1);
    assert.equal(await count('SELECT count(*) AS n FROM alerts'), 2);
    assert.equal(await count('SELECT count(*) AS n FROM jobs'), 1);
    assert.equal(await count('SELECT alert_count AS n FROM incidents'), 2);
  });

  it('resolves the incident only when its last alert resolves, and queues one resolved job', async () => {
    const firing = loadPayload('kube-pod-crashlooping');
    const [first] = (await ingestWebhook(t.pool, firing, opts)).newIncidents;
    const resolved = loadPayload('kube-pod-crashlooping-resolved');
    const half = { ...resolved, alerts: resolved.alerts.slice(0, 1) };
    assert.deepEqual((await ingestWebhook(t.pool, half, opts)).resolvedIncidents, []);
    assert.deepEqual((await ingestWebhook(t.pool, resolved, opts)).resolvedIncidents, [first]);
    assert.equal(await count(`SELECT count(*) AS n FROM incidents WHERE resolved_at IS NOT NULL`), 1);
    assert.equal(await count(`SELECT count(*) AS n FROM jobs WHERE kind = 'resolved'`), 1);
    // A stale 'firing' redelivery from an HA peer does not reopen the alert.
    await ingestWebhook(t.pool, firing, opts);
    assert.equal(await count(`SELECT count(*) AS n FROM alerts WHERE status = 'firing'`), 0);
    assert.equal(await count('SELECT count(*) AS n FROM incidents'), 1);
  });

  it('opens a new incident when the same problem fires again after resolving', async () => {
    await ingestWebhook(t.pool, makePayload([{ fingerprint: 'a', labels: { namespace: 'x', deployment: 'web' } }]), opts);
    await ingestWebhook(t.pool, makePayload([{ fingerprint: 'a', status: 'resolved', labels: { namespace: 'x', deployment: 'web' } }]), opts);
    const again = await ingestWebhook(
      t.pool,
      makePayload([{ fingerprint: 'a', startsAt: '2026-11-22T07:00:00Z', labels: { namespace: 'x', deployment: 'web' } }]),
      opts,
    );
    assert.equal(again.newIncidents.length, 1);
    assert.equal(await count('SELECT count(*) AS n FROM incidents'), 2);
  });

  it('stores a resolved alert never seen firing without opening an incident', async () => {
    await ingestWebhook(t.pool, makePayload([{ fingerprint: 'late', status: 'resolved' }]), opts);
    assert.equal(await count('SELECT count(*) AS n FROM alerts'), 1);
    assert.equal(await count('SELECT count(*) AS n FROM incidents'), 0);
  });

  it('stores hostile label text verbatim', async () => {
    const evil = `'); DROP TABLE alerts; -- <script>alert(1)</script> <!channel>`;
    await ingestWebhook(t.pool, makePayload([{ fingerprint: 'evil', labels: { namespace: 'x', pod: evil } }]), opts);
    const row = (await t.pool.query(`SELECT labels->>'pod' AS pod FROM alerts`)).rows[0];
    assert.equal(row.pod, evil);
  });
});
