import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestDb, type TestDb } from '../support/test-db.js';

/**
 * Many connections multiplexed onto PGlite's single backend: extended-protocol
 * exchanges (Parse/Bind/Execute/Sync) and transactions from different connections
 * must not interleave. Large parameters split messages across TCP reads, which is
 * what exposed the interleaving (see src/db/serialize-extended-protocol.ts).
 */
describe('embedded database under concurrent connections', () => {
  let t: TestDb;
  before(async () => {
    t = await startTestDb({ poolMax: 10 });
    await t.pool.query('CREATE TABLE concurrency_probe (id int PRIMARY KEY, v text)');
  });
  after(async () => t.close());

  it('answers 300 concurrent parameterised queries and transactions each with its own result', async () => {
    const errors: string[] = [];
    let wrong = 0;
    await Promise.all(
      Array.from({ length: 300 }, async (_, i) => {
        try {
          if (i % 3 === 0) {
            const c = await t.pool.connect();
            try {
              await c.query('BEGIN');
              await c.query('INSERT INTO concurrency_probe VALUES ($1, $2)', [i, 'y'.repeat(50_000)]);
              await c.query('COMMIT');
            } finally {
              c.release();
            }
          } else {
            const r = await t.pool.query(
              i % 2 ? 'SELECT $1::int AS a, $2::text AS b, $3::int AS c' : 'SELECT $1::int AS a',
              i % 2 ? [i, 'x'.repeat(30_000), i] : [i],
            );
            if (r.rows[0].a !== i) wrong += 1;
          }
        } catch (err) {
          errors.push((err as Error).message);
        }
      }),
    );
    assert.deepEqual(errors, []);
    assert.equal(wrong, 0);
    const rows = await t.pool.query('SELECT count(*)::int AS n FROM concurrency_probe');
    assert.equal(rows.rows[0].n, 100);
  });

  it('keeps serving after a statement fails mid-exchange', async () => {
    await assert.rejects(t.pool.query('SELECT $1::int / 0 AS boom', [1]), /division by zero/);
    const r = await t.pool.query('SELECT $1::text AS ok', ['still here']);
    assert.equal(r.rows[0].ok, 'still here');
  });
});
