import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { silentLogger } from '../../src/observability/logger.js';
import { makeMemorySlackThreadStore } from '../../src/slack/make-memory-slack-thread-store.js';
import { makeSlackClient } from '../../src/slack/make-slack-client.js';
import { makeSlackDeliver } from '../../src/slack/make-slack-deliver.js';
import type { SlackThreadStore } from '../../src/slack/slack-thread-store.js';
import { makeDeliverInput, makeFakeClock, makeSubject, startFakeSlack, syntheticAnalysisStream, type FakeSlack } from '../support/fake-slack.js';

/**
 * A process killed after Slack accepted a parent but before `saveParent` committed it:
 * the retried delivery (a new process, the same store) must find that parent by its
 * metadata instead of posting a second one.
 */

const fakes: FakeSlack[] = [];
after(async () => {
  await Promise.all(fakes.map((f) => f.close()));
});

/** The memory store, except that the first `saveParent` of `incidentId` dies as a kill -9 would. */
function storeDyingOnSave(incidentId: string) {
  const store = makeMemorySlackThreadStore();
  let died = false;
  const dying: SlackThreadStore = {
    ...store,
    saveParent: async (id, channel, ts) => {
      if (id === incidentId && !died) {
        died = true;
        throw new Error('killed before saveParent committed');
      }
      return store.saveParent(id, channel, ts);
    },
  };
  return dying;
}

async function setup(defaultChannel: string) {
  const clock = makeFakeClock();
  const fake = await startFakeSlack({ clock: clock.now });
  fakes.push(fake);
  /** A fresh `makeSlackDeliver`, as a restarted process builds it: nothing learned in memory. */
  const processOn = (store: SlackThreadStore) =>
    makeSlackDeliver({
      client: makeSlackClient({ token: fake.token, apiUrl: fake.url, timeoutMs: 2000, retries: 0 }),
      store,
      config: { defaultChannel, updateIntervalMs: 0, updatesPerMinute: 1000, publicUrl: null, threadReuseHours: 0 },
      clock: clock.now,
      sleep: clock.sleep,
      logger: silentLogger(),
    });
  const deliverTo = (deliver: ReturnType<typeof processOn>, incidentId: string) =>
    deliver(makeDeliverInput(makeSubject({ incidentId }), syntheticAnalysisStream(['## Root cause\n', 'OOMKilled.\n'])));
  const parents = () => fake.messages().filter((m) => m.threadTs === null);
  return { clock, fake, processOn, deliverTo, parents };
}

describe('a parent posted by an attempt killed before saving it', () => {
  it('is adopted by the retry (one parent, the analysis in its thread) when the route is a channel ID', async () => {
    const { fake, processOn, deliverTo, parents } = await setup('C0INCIDENTS');
    const store = storeDyingOnSave('inc-lost');
    await assert.rejects(deliverTo(processOn(store), 'inc-lost'), /killed before saveParent/);
    assert.equal(parents().length, 1, 'Slack accepted the first parent');
    assert.equal(await store.get('inc-lost'), null, 'the store never learned it');

    const result = await deliverTo(processOn(store), 'inc-lost');

    assert.equal(result.error, null);
    assert.equal(parents().length, 1, 'no second parent');
    assert.equal(result.parentTs, parents()[0]?.ts);
    assert.equal((await store.get('inc-lost'))?.parentTs, parents()[0]?.ts);
    assert.equal(fake.thread('C0INCIDENTS', result.parentTs!).length, 2, 'the analysis went into the adopted thread');
    const history = fake.callsTo('conversations.history');
    assert.equal(history.length, 1, 'one history page read');
    assert.equal(history[0]?.body.include_all_metadata, 'true');
  });

  it('is adopted when the route is a #name whose ID the killed process had already learned', async () => {
    const { fake, processOn, deliverTo, parents } = await setup('#incidents');
    const store = storeDyingOnSave('inc-lost');
    const first = processOn(store);
    await deliverTo(first, 'inc-before');
    await assert.rejects(deliverTo(first, 'inc-lost'), /killed before saveParent/);

    const result = await deliverTo(processOn(store), 'inc-lost');

    assert.equal(result.error, null);
    assert.equal(parents().length, 2, 'one parent per incident');
    assert.equal(result.channel, fake.channelId('#incidents'));
    assert.equal(parents().find((m) => m.ts === result.parentTs)?.metadata?.event_payload.incident_id, 'inc-lost');
  });

  it('is posted again (the documented residual window) when the killed post was the first to a #name since start', async () => {
    const { fake, processOn, deliverTo, parents } = await setup('#incidents');
    const store = storeDyingOnSave('inc-lost');
    await assert.rejects(deliverTo(processOn(store), 'inc-lost'), /killed before saveParent/);

    const result = await deliverTo(processOn(store), 'inc-lost');

    assert.equal(result.error, null);
    assert.equal(parents().length, 2);
    assert.equal(fake.callsTo('conversations.history').length, 0, 'no ID to search by');
  });

  it('costs no history read on a first attempt or a normal retry', async () => {
    const { fake, processOn, deliverTo, parents } = await setup('C0INCIDENTS');
    const store = makeMemorySlackThreadStore();
    await deliverTo(processOn(store), 'inc-1');
    await deliverTo(processOn(store), 'inc-1');
    assert.equal(parents().length, 1);
    assert.equal(fake.callsTo('conversations.history').length, 0);
    assert.deepEqual(parents()[0]?.metadata, { event_type: 'k8flex_incident', event_payload: { incident_id: 'inc-1' } });
  });
});

describe('the fake conversations.history', () => {
  const call = async (fake: FakeSlack, body: Record<string, string>) => {
    const res = await fetch(`${fake.url}conversations.history`, {
      method: 'POST',
      headers: { authorization: `Bearer ${fake.token}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(body).toString(),
    });
    return (await res.json()) as { ok: boolean; error?: string; messages?: { ts: string; metadata?: unknown }[]; has_more?: boolean; response_metadata?: { next_cursor: string } };
  };

  it('pages top-level messages after oldest, newest first, with metadata only when asked', async () => {
    const { clock, fake, processOn, deliverTo } = await setup('C0INCIDENTS');
    const store = makeMemorySlackThreadStore();
    const deliver = processOn(store);
    for (const id of ['a', 'b', 'c']) {
      clock.advance(1000);
      await deliverTo(deliver, id);
    }
    const parents = fake.messages().filter((m) => m.threadTs === null).map((m) => m.ts);
    const first = await call(fake, { channel: 'C0INCIDENTS', oldest: parents[0]!, limit: '1' });
    assert.deepEqual(first.messages?.map((m) => m.ts), [parents[2]], 'oldest is exclusive; replies are left out');
    assert.equal(first.messages?.[0]?.metadata, undefined);
    assert.equal(first.has_more, true);
    const second = await call(fake, { channel: 'C0INCIDENTS', oldest: parents[0]!, limit: '1', cursor: first.response_metadata!.next_cursor, include_all_metadata: 'true' });
    assert.deepEqual(second.messages?.map((m) => m.ts), [parents[1]]);
    assert.deepEqual(second.messages?.[0]?.metadata, { event_type: 'k8flex_incident', event_payload: { incident_id: 'b' } });
    assert.equal(second.has_more, false);
    assert.equal(second.response_metadata?.next_cursor, '');
    assert.equal((await call(fake, { channel: '#incidents' })).error, 'channel_not_found', 'a name is not a channel ID');
  });
});
