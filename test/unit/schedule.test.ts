import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import type pg from 'pg';
import { schedule, type ScheduleOptions } from '../../src/jobs/schedule.js';
import { makeLogger } from '../../src/observability/logger.js';

/**
 * A fake pool whose clients are separate sessions competing for advisory locks, as
 * replicas on PostgreSQL are. PGlite cannot stand in here: all its connections share
 * one backend session, and a session re-takes a lock it already holds.
 */
function fakePool() {
  const held = new Map<string, string>();
  const log: string[] = [];
  let sessions = 0;
  let released = 0;
  const session = (name: string) => ({
    async query(sql: string, params: [number, number]) {
      const key = params.join(':');
      if (sql.includes('pg_try_advisory_lock')) {
        const owner = held.get(key);
        const ok = owner === undefined || owner === name;
        if (ok) held.set(key, name);
        log.push(`${name} lock ${ok}`);
        return { rows: [{ ok }] };
      }
      if (sql.includes('pg_advisory_unlock')) {
        if (held.get(key) === name) held.delete(key);
        log.push(`${name} unlock`);
        return { rows: [{ ok: true }] };
      }
      throw new Error(`unexpected SQL ${sql}`);
    },
    release() {
      released += 1;
    },
  });
  return {
    pool: { connect: async () => session(`s${++sessions}`) } as unknown as pg.Pool,
    /** Another replica takes the lock on its own session. */
    holdElsewhere: (key: readonly [number, number]) => held.set(key.join(':'), 'other-replica'),
    isHeld: (key: readonly [number, number]) => held.has(key.join(':')),
    log,
    released: () => released,
  };
}

function capturedLogger() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  return { logger: makeLogger({ level: 'debug', destination }), lines };
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const KEY = [7, 42] as const;

function work(db: ReturnType<typeof fakePool>, run: ScheduleOptions['run'], logger = capturedLogger().logger) {
  return schedule({ name: 'test-job', cron: '*/30 * * * * *', pool: db.pool, lockKey: KEY, logger, run, autoStart: false, clock: () => Date.parse('2026-11-20T10:00:00Z') });
}

describe('schedule', () => {
  it('runs the work with the clock’s time, holding the lock only during the run', async () => {
    const db = fakePool();
    const seen: string[] = [];
    const w = work(db, async (now) => {
      seen.push(`${now.toISOString()} held=${db.isHeld(KEY)}`);
    });
    assert.equal(await w.tick(), true);
    assert.deepEqual(seen, ['2026-11-20T10:00:00.000Z held=true']);
    assert.equal(db.isHeld(KEY), false);
    assert.equal(db.released(), 1);
  });

  it('skips a tick that comes while the previous run is still going, so runs never overlap', async () => {
    const db = fakePool();
    const gate = deferred();
    let runs = 0;
    let concurrent = 0;
    let maxConcurrent = 0;
    const w = work(db, async () => {
      runs += 1;
      concurrent += 1;
      maxConcurrent = Math.max(maxConcurrent, concurrent);
      await gate.promise;
      concurrent -= 1;
    });
    const first = w.tick();
    assert.equal(await w.tick(), false);
    assert.equal(await w.tick(), false);
    gate.resolve();
    assert.equal(await first, true);
    assert.equal(await w.tick(), true);
    assert.equal(runs, 2);
    assert.equal(maxConcurrent, 1);
  });

  it('never throws out of a tick: a failing run is logged, the lock and the connection are given back', async () => {
    const db = fakePool();
    const { logger, lines } = capturedLogger();
    const w = work(db, async () => {
      throw new Error('slack is down');
    }, logger);
    assert.equal(await w.tick(), false);
    const failure = lines.find((l) => l.msg === 'scheduled tick failed');
    assert.ok(failure, JSON.stringify(lines));
    assert.equal(failure.component, 'test-job');
    assert.equal((failure.err as { message: string }).message, 'slack is down');
    assert.equal(db.isHeld(KEY), false);
    assert.equal(db.released(), 1);
    assert.equal(await w.tick(), false, 'the next tick runs (and fails) again rather than staying stuck');
    assert.equal(db.log.filter((l) => l.endsWith('lock true')).length, 2);
  });

  it('never throws when the database cannot be reached', async () => {
    const { logger, lines } = capturedLogger();
    const pool = { connect: async () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432')) } as unknown as pg.Pool;
    const w = schedule({ name: 'test-job', cron: '* * * * *', pool, lockKey: KEY, logger, run: async () => undefined, autoStart: false });
    assert.equal(await w.tick(), false);
    assert.ok(lines.some((l) => l.msg === 'scheduled tick failed'));
  });

  it('skips the run when another replica holds the advisory lock, and leaves that lock alone', async () => {
    const db = fakePool();
    db.holdElsewhere(KEY);
    let runs = 0;
    const w = work(db, async () => {
      runs += 1;
    });
    assert.equal(await w.tick(), false);
    assert.equal(runs, 0);
    assert.equal(db.isHeld(KEY), true);
    assert.ok(!db.log.some((l) => l.endsWith('unlock')));
    assert.equal(db.released(), 1);
  });

  it('stops on shutdown: stop waits for the running tick, and later ticks do nothing', async () => {
    const db = fakePool();
    const gate = deferred();
    const started = deferred();
    const events: string[] = [];
    const w = work(db, async () => {
      events.push('run started');
      started.resolve();
      await gate.promise;
      events.push('run finished');
    });
    const running = w.tick();
    await started.promise;
    const stopped = w.stop().then(() => events.push('stopped'));
    await new Promise<void>((r) => setImmediate(r));
    assert.deepEqual(events, ['run started'], 'stop has not returned while the run is going');
    gate.resolve();
    await stopped;
    assert.equal(await running, true);
    assert.deepEqual(events, ['run started', 'run finished', 'stopped']);
    assert.equal(await w.tick(), false);
    assert.equal(events.filter((e) => e === 'run started').length, 1);
  });

  it('stops a started cron timer without waiting for its next firing', async () => {
    const db = fakePool();
    const w = schedule({ name: 'test-job', cron: '0 0 1 1 *', pool: db.pool, lockKey: KEY, logger: capturedLogger().logger, run: async () => undefined });
    await w.stop();
    assert.equal(await w.tick(), false);
  });

  it('refuses an invalid cron expression when built', () => {
    const db = fakePool();
    assert.throws(() => schedule({ name: 'bad', cron: 'every minute', pool: db.pool, lockKey: KEY, logger: capturedLogger().logger, run: async () => undefined }), /bad: invalid cron expression "every minute"/);
  });
});
