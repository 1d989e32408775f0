import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { silentLogger } from '../../src/observability/logger.js';
import { makeMemorySlackThreadStore } from '../../src/slack/make-memory-slack-thread-store.js';
import { makeSlackClient } from '../../src/slack/make-slack-client.js';
import { makeSlackDeliver } from '../../src/slack/make-slack-deliver.js';
import type { SlackClient } from '../../src/slack/slack-client.js';
import { makeDeliverInput, makeFakeClock, makeSubject, startFakeSlack, syntheticAnalysisStream, type FakeSlack } from '../support/fake-slack.js';

const fakes: FakeSlack[] = [];
after(async () => {
  await Promise.all(fakes.map((f) => f.close()));
});

describe('Slack post budget', () => {
  it('paces the parents and replies of twelve concurrent incidents within the per-channel limit, with no 429 and every thread delivered', async () => {
    const perMinute = 10;
    const clock = makeFakeClock();
    const fake = await startFakeSlack({ clock: clock.now });
    fakes.push(fake);
    // Slack's own limit for one channel, the same as ours.
    fake.enforceRateLimit('chat.postMessage', perMinute);
    // Fake time moves only while no call is on the wire, as real calls take milliseconds, not the
    // minute a waiter may skip; concurrent waiters move it to the latest wake-up, not their sum.
    const raw = makeSlackClient({ token: fake.token, apiUrl: fake.url, timeoutMs: 2000, retries: 0 });
    let onTheWire = 0;
    const client: SlackClient = {
      ...raw,
      postMessage: async (args) => {
        onTheWire += 1;
        return raw.postMessage(args).finally(() => (onTheWire -= 1));
      },
    };
    const sleep = async (ms: number): Promise<void> => {
      const wake = clock.now() + ms;
      while (onTheWire > 0) await new Promise((resolve) => setTimeout(resolve, 1));
      if (clock.now() < wake) clock.advance(wake - clock.now());
      await new Promise((resolve) => setImmediate(resolve));
    };
    const deliver = makeSlackDeliver({
      client,
      store: makeMemorySlackThreadStore(),
      clock: clock.now,
      sleep,
      logger: silentLogger(),
      config: { defaultChannel: '#incidents', updateIntervalMs: 0, updatesPerMinute: 1000, postsPerMinute: perMinute, publicUrl: null, threadReuseHours: 24 },
    });
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, n) =>
        deliver(makeDeliverInput(makeSubject({ incidentId: `inc-${n}`, groupKey: `key-${n}` }), syntheticAnalysisStream([`incident ${n}\n`]))),
      ),
    );

    assert.deepEqual(results.map((r) => r.error), Array(12).fill(null));
    const posts = fake.callsTo('chat.postMessage');
    assert.equal(posts.filter((c) => c.status === 429).length, 0);
    assert.equal(posts.length, 24, 'one parent and one reply per incident, none retried');
    for (const call of posts) {
      const inWindow = posts.filter((c) => c.at > call.at - 60_000 && c.at <= call.at).length;
      assert.ok(inWindow <= perMinute, `${inWindow} posts in the minute before ${call.at}`);
    }
  });
});
