import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Queryable } from '../../src/db/make-pool.js';
import { silentLogger } from '../../src/observability/logger.js';
import { makePgRateBudget } from '../../src/slack/make-pg-rate-budget.js';
import { makeRateBudget } from '../../src/slack/make-rate-budget.js';

type Answer = { slot_id: string | null; wait_ms: number } | Error;

/** A database that answers take_slack_rate_slot from a script and records every statement. */
function fakeDb(answers: Answer[]) {
  const calls: { sql: string; params: unknown[] }[] = [];
  const pool = {
    query: (sql: string, params: unknown[] = []) => {
      calls.push({ sql, params });
      if (!sql.includes('take_slack_rate_slot')) return Promise.resolve({ rows: [] });
      const answer = answers.shift();
      if (!answer) return Promise.reject(new Error('no scripted answer'));
      return answer instanceof Error ? Promise.reject(answer) : Promise.resolve({ rows: [answer] });
    },
  } as unknown as Queryable;
  return { pool, calls, takes: () => calls.filter((c) => c.sql.includes('take_slack_rate_slot')) };
}

function budgetOn(answers: Answer[], perMinute = 10, reserve = 2) {
  let now = 1_000;
  const db = fakeDb(answers);
  const budget = makePgRateBudget({ pool: db.pool, scope: 'chat.update', perMinute, reserve, clock: () => now, logger: silentLogger() });
  return { budget, db, at: (t: number) => (now = t) };
}

describe('makePgRateBudget', () => {
  it('asks the database for a stream slot with all but the reserve and for a completion with the whole limit, over a minute plus the settle grace', async () => {
    const { budget, db } = budgetOn([{ slot_id: '1', wait_ms: 0 }, { slot_id: '2', wait_ms: 0 }]);
    assert.ok((await budget.take('stream')).slot);
    assert.ok((await budget.take('final')).slot);
    assert.deepEqual(db.takes().map((c) => c.params), [['chat.update', 8, 61_000], ['chat.update', 10, 61_000]]);
  });

  it('remembers a full window until the wait it named, without asking again', async () => {
    const { budget, db, at } = budgetOn([{ slot_id: null, wait_ms: 5_000 }, { slot_id: '7', wait_ms: 0 }]);
    assert.deepEqual(await budget.take('stream'), { slot: null, waitMs: 5_000 });
    at(4_000);
    assert.deepEqual(await budget.take('stream'), { slot: null, waitMs: 2_000 });
    assert.equal(db.takes().length, 1);
    at(6_000);
    assert.ok((await budget.take('stream')).slot);
    assert.equal(db.takes().length, 2);
  });

  it('still asks for a completion while streaming updates are refused, since completions have the reserve', async () => {
    const { budget, db } = budgetOn([{ slot_id: null, wait_ms: 5_000 }, { slot_id: '8', wait_ms: 0 }]);
    assert.equal((await budget.take('stream')).slot, null);
    assert.ok((await budget.take('final')).slot);
    assert.equal(db.takes().length, 2);
  });

  it('holds back both priorities after a refused completion', async () => {
    const { budget, db } = budgetOn([{ slot_id: null, wait_ms: 3_000 }]);
    assert.equal((await budget.take('final')).slot, null);
    assert.deepEqual(await budget.take('stream'), { slot: null, waitMs: 3_000 });
    assert.equal(db.takes().length, 1);
  });

  it('restamps a slot by its id when its call settles after the grace', async () => {
    const { budget, db, at } = budgetOn([{ slot_id: '42', wait_ms: 0 }]);
    const { slot } = await budget.take('final');
    at(2_001);
    slot?.settled();
    await budget.flush();
    const restamp = db.calls.find((c) => c.sql.startsWith('UPDATE slack_rate_slots'));
    assert.deepEqual(restamp?.params, ['42']);
  });

  it('writes nothing when a call settles within the grace the window already allows', async () => {
    const { budget, db, at } = budgetOn([{ slot_id: '43', wait_ms: 0 }]);
    const { slot } = await budget.take('final');
    at(2_000);
    slot?.settled();
    await budget.flush();
    assert.equal(db.calls.length, 1);
  });

  it('shares a Retry-After as a duration and stops asking until it ends', async () => {
    const { budget, db, at } = budgetOn([{ slot_id: '9', wait_ms: 0 }]);
    budget.pauseUntil(31_000);
    await budget.flush();
    const pause = db.calls.find((c) => c.sql.includes('slack_rate_pauses'));
    assert.deepEqual(pause?.params, ['chat.update', 30_000]);
    assert.deepEqual(await budget.take('final'), { slot: null, waitMs: 30_000 });
    assert.equal(db.takes().length, 0);
    at(31_000);
    assert.ok((await budget.take('final')).slot);
  });

  it('paces this process alone when the database cannot answer, as an unshared budget would', async () => {
    const down = new Error('connect ECONNREFUSED');
    const { budget } = budgetOn(Array.from({ length: 5 }, () => down), 3, 0);
    const taken = [];
    for (let i = 0; i < 5; i += 1) taken.push((await budget.take('final')).slot !== null);
    assert.deepEqual(taken, [true, true, true, false, false]);
  });
});

describe('makeRateBudget.take', () => {
  it('answers a slot, or the wait until one frees, like tryTake and msUntilFree', async () => {
    let now = 0;
    const budget = makeRateBudget({ perMinute: 1, reserve: 0, clock: () => now });
    assert.ok((await budget.take('final')).slot);
    now = 20_000;
    assert.deepEqual(await budget.take('final'), { slot: null, waitMs: 40_000 });
  });
});
