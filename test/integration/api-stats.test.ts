import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import express from 'express';
import { makeStatsRouter } from '../../src/http/api/stats-route.js';
import { startTestDb, type TestDb } from '../support/test-db.js';

/** /stats against the real migrated schema (sql/002_feedback.sql), as the feedback loop writes it. */
describe('GET /stats accuracy with the learning loop schema', () => {
  let db: TestDb;
  let server: Server;
  let url: string;

  async function incident(category: string, verdict: 'correct' | 'incorrect' | null, history: [string, string][]): Promise<void> {
    const id = randomUUID();
    await db.pool.query(`INSERT INTO incidents (id, group_key, source, cluster, alertname, category) VALUES ($1, $2, 'alert', 'prod', 'KubePodCrashLooping', $3)`, [id, `k-${id}`, category]);
    await db.pool.query(`INSERT INTO feedback_state (incident_id, channel, message_ts, open_until, verdict) VALUES ($1, 'C1', $2, now() + interval '1 day', $3)`, [id, id, verdict]);
    for (const [n, [user, v]] of history.entries()) {
      await db.pool.query(`INSERT INTO feedback (incident_id, verdict, user_name, source, created_at) VALUES ($1, $2, $3, 'poll', now() + make_interval(secs => $4))`, [id, v, user, n]);
    }
  }

  before(async () => {
    db = await startTestDb();
    // Changed mind: ✅ then ❌ by the same person — counts once, as ❌.
    await incident('oom-killed', 'incorrect', [['UANA', 'correct'], ['UANA', 'incorrect']]);
    // Two people agree — counts once.
    await incident('oom-killed', 'correct', [['UANA', 'correct'], ['UBO', 'correct']]);
    // ✅ given then withdrawn — no verdict, not counted.
    await incident('oom-killed', null, [['UBO', 'correct'], ['UBO', 'withdrawn']]);
    await incident('image-pull', 'correct', [['UCY', 'correct']]);
    const app = express();
    app.use(makeStatsRouter({ pool: db.pool }));
    server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    await db.close();
  });

  it('counts each incident once, by its current verdict, however many feedback rows it has', async () => {
    const body = (await (await fetch(`${url}/stats`)).json()) as { accuracy: unknown };
    assert.deepEqual(body.accuracy, {
      available: true,
      by_category: [
        { category: 'image-pull', correct: 1, incorrect: 0, accuracy: 1 },
        { category: 'oom-killed', correct: 1, incorrect: 1, accuracy: 0.5 },
      ],
    });
  });

  it('agrees with the feedback_accuracy view people query (docs/sql.md)', async () => {
    const body = (await (await fetch(`${url}/stats`)).json()) as { accuracy: { by_category: { category: string; correct: number; incorrect: number }[] } };
    const view = await db.pool.query<{ category: string; correct: string; incorrect: string }>(
      'SELECT category, sum(correct) AS correct, sum(incorrect) AS incorrect FROM feedback_accuracy GROUP BY 1 ORDER BY 1',
    );
    assert.deepEqual(
      body.accuracy.by_category.map((c) => [c.category, c.correct, c.incorrect]),
      view.rows.map((r) => [r.category, Number(r.correct), Number(r.incorrect)]),
    );
  });
});
