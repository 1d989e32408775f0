import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { migrate } from '../../src/db/migrate.js';
import { schedule, type ScheduledWork } from '../../src/jobs/schedule.js';
import { silentLogger } from '../../src/observability/logger.js';
import { freePort } from '../support/alertmanager.js';
import { startPostgres, type RunningPostgres } from '../support/start-postgres.js';

/**
 * The schedule wrapper on real PostgreSQL, two pools standing in for two replicas
 * (PGlite shares one session between connections, so its advisory locks cannot).
 * Each replica's cron fires on its own timer: one that fires late, after the other
 * finished the slot and released the lock, must not run the slot again.
 */
describe('scheduled work on two replicas sharing PostgreSQL', () => {
  let postgres: RunningPostgres;
  const pools: pg.Pool[] = [];
  const runs: string[] = [];
  let a: ScheduledWork;
  let b: ScheduledWork;

  before(async () => {
    postgres = await startPostgres(await freePort());
    for (let i = 0; i < 2; i++) pools.push(new pg.Pool({ connectionString: postgres.connectionString, max: 2 }));
    await migrate(pools[0]!, silentLogger());
    const make = (pool: pg.Pool, replica: string, slowMs = 0) =>
      schedule({
        name: 'test-poll',
        cron: '*/30 * * * * *',
        pool,
        lockKey: [0x6b38666c, 0x74657374],
        logger: silentLogger(),
        autoStart: false,
        run: async () => {
          runs.push(replica);
          await new Promise((r) => setTimeout(r, slowMs));
        },
      });
    a = make(pools[0]!, 'a', 200);
    b = make(pools[1]!, 'b', 200);
  });

  after(async () => {
    await a?.stop();
    await b?.stop();
    for (const p of pools) await p.end();
    await postgres?.stop();
  });

  it('a replica whose timer fires after the other ran the slot skips it', async () => {
    runs.length = 0;
    const slot = new Date('2026-01-01T00:00:00Z');
    assert.equal(await a.tick(slot), true);
    assert.equal(await b.tick(slot), false);
    assert.deepEqual(runs, ['a']);
  });

  it('the next slot runs on whichever replica fires first', async () => {
    runs.length = 0;
    assert.equal(await b.tick(new Date('2026-01-01T00:00:30Z')), true);
    assert.equal(await a.tick(new Date('2026-01-01T00:00:30Z')), false);
    assert.equal(await a.tick(new Date('2026-01-01T00:01:00Z')), true);
    assert.deepEqual(runs, ['b', 'a']);
  });

  it('two replicas firing for the same slot at once run it once', async () => {
    runs.length = 0;
    const slot = new Date('2026-01-01T00:01:30Z');
    const results = await Promise.all([a.tick(slot), b.tick(slot)]);
    assert.deepEqual(results.filter(Boolean), [true]);
    assert.equal(runs.length, 1);
  });

  it('a tick without a slot (run by hand) needs only the lock', async () => {
    runs.length = 0;
    assert.equal(await a.tick(), true);
    assert.equal(await b.tick(), true);
    assert.deepEqual(runs, ['a', 'b']);
  });
});
