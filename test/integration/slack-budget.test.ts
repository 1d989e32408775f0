import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { silentLogger } from '../../src/observability/logger.js';
import { makeMemorySlackThreadStore } from '../../src/slack/make-memory-slack-thread-store.js';
import { makeRateBudget } from '../../src/slack/make-rate-budget.js';
import { makeSlackClient } from '../../src/slack/make-slack-client.js';
import { makeSlackDeliver } from '../../src/slack/make-slack-deliver.js';
import { makeDeliverInput, makeFakeClock, makeSubject, startFakeSlack, syntheticAnalysisStream, type FakeSlack } from '../support/fake-slack.js';

const fakes: FakeSlack[] = [];
after(async () => {
  await Promise.all(fakes.map((f) => f.close()));
});

describe('Slack workspace budget', () => {
  it('keeps twelve concurrent incidents within the per-minute update budget, with no 429 and every completion sent', async () => {
    const perMinute = 10;
    const clock = makeFakeClock();
    const fake = await startFakeSlack({ clock: clock.now });
    fakes.push(fake);
    // Slack's own limit, the same as ours: the budget must never exceed it.
    fake.enforceRateLimit('chat.update', perMinute);
    const budget = makeRateBudget({ perMinute, clock: clock.now });
    const deliver = makeSlackDeliver({
      client: makeSlackClient({ token: fake.token, apiUrl: fake.url, timeoutMs: 2000, retries: 0 }),
      store: makeMemorySlackThreadStore(),
      clock: clock.now,
      sleep: clock.sleep,
      budget,
      logger: silentLogger(),
      config: { defaultChannel: '#incidents', updateIntervalMs: 1000, updatesPerMinute: perMinute, publicUrl: null, threadReuseHours: 24 },
    });
    const incidents = Array.from({ length: 12 }, (_, n) => {
      const stream = syntheticAnalysisStream(Array.from({ length: 20 }, (_, i) => `incident ${n} line ${i}\n`), {
        beforeChunk: async () => {
          clock.advance(200);
          await new Promise((resolve) => setTimeout(resolve, 1));
        },
      });
      return deliver(makeDeliverInput(makeSubject({ incidentId: `inc-${n}`, groupKey: `key-${n}` }), stream));
    });
    const results = await Promise.all(incidents);

    assert.ok(results.every((r) => r.error === null), JSON.stringify(results.map((r) => r.error)));
    const updates = fake.callsTo('chat.update');
    assert.equal(updates.filter((c) => c.status === 429).length, 0);
    const finals = updates.filter((c) => JSON.stringify(c.body).includes('Analysis complete'));
    assert.equal(finals.length, 12);
    for (const call of updates) {
      const inWindow = updates.filter((c) => c.at > call.at - 60_000 && c.at <= call.at).length;
      assert.ok(inWindow <= perMinute, `${inWindow} updates in the minute before ${call.at}`);
    }
  });
});
