import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type pg from 'pg';
import { makePool } from '../../src/db/make-pool.js';
import { migrate } from '../../src/db/migrate.js';
import { silentLogger } from '../../src/observability/logger.js';
import { makePgRateBudget, type PgRateBudget } from '../../src/slack/make-pg-rate-budget.js';
import type { BudgetPriority } from '../../src/slack/make-rate-budget.js';
import { freePort } from '../support/alertmanager.js';
import { findPostgresBin, startPostgres } from '../support/start-postgres.js';
import { startTestDb } from '../support/test-db.js';

/**
 * Two replicas' budgets on one database: each has its own pool, as two processes
 * would. The window is shortened from a minute so the tests run in seconds; the SQL
 * is the same.
 */
const WINDOW_MS = 1500;
const LIMIT = 5;
const RESERVE = 1;
/** Calls settling later than this after their take are restamped. */
const GRACE_MS = 100;

type Backend = { name: string; skip: string | false; start(): Promise<{ connectionString: string; stop(): Promise<void> }> };

const backends: Backend[] = [
  {
    name: 'embedded PGlite',
    skip: false,
    async start() {
      const db = await startTestDb({ migrate: false });
      await db.pool.end();
      return { connectionString: db.db.connectionString, stop: () => db.close() };
    },
  },
  {
    name: 'PostgreSQL',
    skip: (() => {
      try {
        findPostgresBin();
        return false;
      } catch (err) {
        return (err as Error).message;
      }
    })(),
    start: async () => startPostgres(await freePort()),
  },
];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

for (const backend of backends) {
  describe(`Slack budget shared through ${backend.name}`, { skip: backend.skip }, () => {
    let server: { connectionString: string; stop(): Promise<void> };
    let pools: pg.Pool[] = [];
    let seq = 0;

    before(async () => {
      server = await backend.start();
      pools = [0, 1].map(() => makePool({ connectionString: server.connectionString, max: 4, logger: silentLogger() }));
      await migrate(pools[0]!, silentLogger());
      // Every slot ever taken, with the database's own clock: the window keeps deleting them.
      await pools[0]!.query(`
        CREATE TABLE slot_audit (scope text NOT NULL, slot_at timestamptz NOT NULL);
        CREATE FUNCTION audit_slot() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN INSERT INTO slot_audit VALUES (NEW.scope, NEW.slot_at); RETURN NEW; END $$;
        CREATE TRIGGER slot_audit AFTER INSERT ON slack_rate_slots FOR EACH ROW EXECUTE FUNCTION audit_slot();`);
    });
    after(async () => {
      await Promise.all(pools.map((p) => p.end()));
      await server?.stop();
    });

    /** Replica A's and replica B's budget for a fresh scope. */
    const replicas = (): [PgRateBudget, PgRateBudget] => {
      const scope = `test-${(seq += 1)}`;
      const [a, b] = pools.map((pool) => makePgRateBudget({ pool, scope, perMinute: LIMIT, reserve: RESERVE, clock: Date.now, logger: silentLogger(), windowMs: WINDOW_MS, settleGraceMs: GRACE_MS }));
      return [a!, b!];
    };

    it('lets two replicas together take no more than the limit in any window, and the whole limit', async () => {
      const [a, b] = replicas();
      const deadline = Date.now() + 3.5 * WINDOW_MS;
      const granted = { a: 0, b: 0 };
      // Each replica calls as fast as the budget lets it, two calls at a time; a call takes 20 ms.
      const hammer = async (budget: PgRateBudget, name: 'a' | 'b', priority: BudgetPriority) => {
        while (Date.now() < deadline) {
          const { slot, waitMs } = await budget.take(priority);
          if (!slot) {
            await sleep(Math.min(waitMs, 50));
            continue;
          }
          granted[name] += 1;
          await sleep(20);
          slot.settled();
        }
      };
      await Promise.all([hammer(a, 'a', 'final'), hammer(a, 'a', 'stream'), hammer(b, 'b', 'final'), hammer(b, 'b', 'stream')]);
      await Promise.all([a.flush(), b.flush()]);

      const scope = `test-${seq}`;
      const times = (await pools[0]!.query<{ ms: number }>('SELECT extract(epoch FROM slot_at) * 1000 AS ms FROM slot_audit WHERE scope = $1 ORDER BY slot_at', [scope])).rows.map((r) => Number(r.ms));
      assert.equal(times.length, granted.a + granted.b);
      for (let i = 0; i + LIMIT < times.length; i += 1) {
        const spread = times[i + LIMIT]! - times[i]!;
        assert.ok(spread >= WINDOW_MS, `slots ${i}..${i + LIMIT} (${LIMIT + 1} calls) fell within ${spread.toFixed(1)} ms`);
      }
      // Four windows' worth were available (the first and three more as slots age out).
      assert.ok(times.length >= 3 * LIMIT, `only ${times.length} slots taken`);
      assert.ok(granted.a > 0 && granted.b > 0, `both replicas took slots (${granted.a}, ${granted.b})`);
    });

    it('keeps the reserve for completions across replicas', async () => {
      const [a, b] = replicas();
      let streamed = 0;
      while ((await a.take('stream')).slot) streamed += 1;
      assert.equal(streamed, LIMIT - RESERVE);
      assert.equal((await b.take('stream')).slot, null);
      assert.ok((await b.take('final')).slot, 'a completion on the other replica still gets the reserve');
      assert.equal((await b.take('final')).slot, null);
    });

    it('pauses every replica when one of them is answered 429 with Retry-After', async () => {
      const [a, b] = replicas();
      a.pauseUntil(Date.now() + 800);
      await a.flush();
      const refused = await b.take('final');
      assert.equal(refused.slot, null);
      assert.ok(refused.waitMs > 500 && refused.waitMs <= 800, `waits out the pause (${refused.waitMs} ms)`);
      await sleep(refused.waitMs);
      assert.ok((await b.take('final')).slot, 'takes a slot once the pause is over');
    });

    it('counts a call in the window from when it settled, so a slow call holds its slot longer', async () => {
      const [a, b] = replicas();
      const slots = await Promise.all(Array.from({ length: LIMIT }, () => a.take('final')));
      await sleep(WINDOW_MS / 2);
      for (const { slot } of slots) slot?.settled();
      await a.flush();
      await sleep(WINDOW_MS / 2 + 100);
      const refused = await b.take('final');
      assert.equal(refused.slot, null, 'the slots restamped at settle are still in the window');
      assert.ok(refused.waitMs <= WINDOW_MS / 2 + GRACE_MS, `frees when the restamped slots age out (${refused.waitMs} ms)`);
    });
  });
}
