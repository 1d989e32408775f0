import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import pg from 'pg';
import { migrate } from '../../src/db/migrate.js';
import { ingestWebhook } from '../../src/intake/ingest-webhook.js';
import { silentLogger } from '../../src/observability/logger.js';
import { makePayload } from '../support/alerts.js';
import { freePort } from '../support/alertmanager.js';
import { startPostgres, type RunningPostgres } from '../support/start-postgres.js';

/**
 * ingest_alerts (sql/007) on real PostgreSQL, where deliveries really run at the
 * same time (PGlite runs one transaction at a time): the open-incident index is the
 * only arbiter between them.
 */
describe('ingestWebhook with concurrent deliveries on PostgreSQL', () => {
  let postgres: RunningPostgres;
  let pool: pg.Pool;
  const opts = { cluster: 'test', maxAttempts: 5 };
  const count = async (sql: string) => Number((await pool.query<{ n: string }>(sql)).rows[0]?.n);
  const podAlerts = (webhook: number, namespace = 'shop') =>
    Array.from({ length: 10 }, (_, i) => ({
      fingerprint: `${namespace}-${webhook}-${i}`,
      labels: { namespace, pod: `checkout-6c9f8d7b5d-x${'bcdfghjklm'[webhook % 10]}${'bcdfghjklm'[i]}zz` },
    }));

  before(async () => {
    postgres = await startPostgres(await freePort());
    pool = new pg.Pool({ connectionString: postgres.connectionString, max: 16 });
    await migrate(pool, silentLogger());
  });
  after(async () => {
    await pool?.end();
    await postgres?.stop();
  });
  beforeEach(async () => {
    await pool.query('TRUNCATE alerts, jobs, analyses, incidents CASCADE');
  });

  it('opens one incident and one job for 20 deliveries of one Deployment sent at once, each twice', async () => {
    const payloads = Array.from({ length: 20 }, (_, n) => makePayload(podAlerts(n)));
    const results = await Promise.all([...payloads, ...payloads].map((p) => ingestWebhook(pool, p, opts)));
    assert.equal(results.flatMap((r) => r.newIncidents).length, 1);
    assert.equal(await count('SELECT count(*) AS n FROM incidents'), 1);
    assert.equal(await count('SELECT count(*) AS n FROM jobs'), 1);
    assert.equal(await count('SELECT count(*) AS n FROM alerts WHERE incident_id IS NOT NULL'), 200);
    assert.equal(await count('SELECT alert_count AS n FROM incidents'), 200);
    assert.equal(await count('SELECT sum(receive_count) AS n FROM alerts'), 400);
  });

  it('opens one incident per Deployment when deliveries for 10 Deployments interleave', async () => {
    const payloads = Array.from({ length: 40 }, (_, n) => makePayload(podAlerts(n, `ns${n % 10}`)));
    await Promise.all(payloads.map((p) => ingestWebhook(pool, p, opts)));
    assert.equal(await count('SELECT count(*) AS n FROM incidents'), 10);
    assert.equal(await count(`SELECT count(*) AS n FROM jobs WHERE kind = 'investigate'`), 10);
    assert.equal(await count('SELECT min(alert_count) AS n FROM incidents'), 40);
  });

  it('resolves each incident once when the halves of its alerts resolve in concurrent deliveries', async () => {
    const deployments = Array.from({ length: 20 }, (_, n) => podAlerts(0, `ns${n}`));
    await Promise.all(deployments.map((alerts) => ingestWebhook(pool, makePayload(alerts), opts)));
    const halves = deployments.flatMap((alerts) => {
      const resolved = alerts.map((a) => ({ ...a, status: 'resolved' as const }));
      return [makePayload(resolved.slice(0, 5)), makePayload(resolved.slice(5))];
    });
    const results = await Promise.all(halves.map((p) => ingestWebhook(pool, p, opts)));
    assert.equal(results.flatMap((r) => r.resolvedIncidents).length, 20);
    assert.equal(await count('SELECT count(*) AS n FROM incidents WHERE resolved_at IS NULL'), 0);
    assert.equal(await count(`SELECT count(*) AS n FROM jobs WHERE kind = 'resolved'`), 20);
  });
});
