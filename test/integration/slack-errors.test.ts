import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, describe, it } from 'node:test';
import { makeLogger, silentLogger, type Logger } from '../../src/observability/logger.js';
import { makeMemorySlackThreadStore } from '../../src/slack/make-memory-slack-thread-store.js';
import { makeSlackClient } from '../../src/slack/make-slack-client.js';
import { makeSlackDeliver } from '../../src/slack/make-slack-deliver.js';
import { makeDeliverInput, makeFakeClock, makeSubject, startFakeSlack, syntheticAnalysisStream, type FakeSlack, type FakeSlackOptions } from '../support/fake-slack.js';

const fakes: FakeSlack[] = [];
after(async () => {
  await Promise.all(fakes.map((f) => f.close()));
});

async function setup(options: { token?: string; fake?: FakeSlackOptions; logger?: Logger; timeoutMs?: number } = {}) {
  const clock = makeFakeClock();
  const fake = await startFakeSlack({ clock: clock.now, ...options.fake });
  fakes.push(fake);
  const store = makeMemorySlackThreadStore();
  const client = makeSlackClient({ token: options.token ?? fake.token, apiUrl: fake.url, timeoutMs: options.timeoutMs ?? 2000, retries: 1, minRetryDelayMs: 1 });
  const deliver = makeSlackDeliver({
    client, store, clock: clock.now, sleep: clock.sleep, logger: options.logger ?? silentLogger(),
    config: { defaultChannel: '#incidents', updateIntervalMs: 1000, updatesPerMinute: 45, publicUrl: 'https://k8flex.example', threadReuseHours: 24 },
  });
  const run = (chunks: string[] = ['## Root cause\n', 'bad config\n']) => {
    const stream = syntheticAnalysisStream(chunks, {
      beforeChunk: async () => {
        clock.advance(1500);
        await new Promise((resolve) => setTimeout(resolve, 2));
      },
    });
    return { stream, result: deliver(makeDeliverInput(makeSubject(), stream)) };
  };
  return { clock, fake, store, deliver, run };
}

describe('Slack failures', () => {
  it('records invalid_auth on the incident without retrying and still completes the analysis', async () => {
    const { fake, store, run } = await setup({ token: 'xoxb-wrong' });
    const { stream, result } = run();
    const delivered = await result;
    assert.match(delivered.error ?? '', /invalid_auth.*SLACK_BOT_TOKEN is not valid/);
    assert.equal(store.errorOf('inc-1'), delivered.error);
    assert.equal(fake.calls.length, 1);
    assert.equal((await stream.done).text, '## Root cause\nbad config\n');
  });

  it('records channel_not_found when the routed channel does not exist', async () => {
    const { fake, run } = await setup({ fake: { channels: ['#elsewhere'] } });
    const delivered = await run().result;
    assert.match(delivered.error ?? '', /channel_not_found/);
    assert.equal(delivered.parentTs, null);
    assert.equal(fake.calls.length, 1);
  });

  it('records not_in_channel with the hint to invite the bot', async () => {
    const { fake, run } = await setup();
    fake.fail('chat.postMessage', { error: 'not_in_channel' });
    const delivered = await run().result;
    assert.match(delivered.error ?? '', /not_in_channel.*\/invite/);
    assert.equal(fake.calls.length, 1);
  });

  it('logs a configuration error once however many incidents hit it', async () => {
    const lines: string[] = [];
    const logger = makeLogger({ level: 'info', destination: new Writable({ write: (c: Buffer, _e, cb) => { lines.push(c.toString()); cb(); } }) });
    const { run } = await setup({ token: 'xoxb-wrong', logger });
    await run().result;
    await run().result;
    assert.equal(lines.filter((l) => l.includes('invalid_auth')).length, 1);
  });

  it('waits out Retry-After on the parent post and then posts it once', async () => {
    const { fake, clock, run } = await setup();
    const start = clock.now();
    fake.fail('chat.postMessage', { status: 429, retryAfterSec: 7 }, 1);
    const delivered = await run().result;
    assert.equal(delivered.error, null);
    assert.ok(clock.now() - start >= 7000);
    const parents = fake.callsTo('chat.postMessage').filter((c) => c.body.thread_ts === undefined);
    assert.deepEqual(parents.map((c) => c.status), [429, 200]);
  });

  it('skips a rate-limited streaming update and still sends the completion', async () => {
    const { fake, run } = await setup();
    fake.fail('chat.update', { status: 429, retryAfterSec: 2 }, 1);
    const delivered = await run(Array.from({ length: 8 }, (_, i) => `line ${i}\n`)).result;
    assert.equal(delivered.error, null);
    const updates = fake.callsTo('chat.update');
    assert.equal(updates[0]?.status, 429);
    assert.ok(JSON.stringify(updates.at(-1)?.body).includes('Analysis complete'));
    assert.equal(updates.at(-1)?.status, 200);
  });

  it('retries the completion after a Slack 500', async () => {
    const { fake, run } = await setup();
    fake.fail('chat.update', { status: 500 }, 2);
    const delivered = await run(['only chunk']).result;
    assert.equal(delivered.error, null);
    const updates = fake.callsTo('chat.update');
    assert.deepEqual(updates.map((c) => c.status), [500, 500, 200]);
  });

  it('gives up on a hanging Slack within the bounded timeouts and records the failure', async () => {
    const { fake, run } = await setup({ timeoutMs: 50 });
    fake.fail('*', { hang: true });
    const delivered = await run().result;
    assert.match(delivered.error ?? '', /chat\.postMessage failed: request_failed/);
    assert.ok(fake.calls.length <= 6, `${fake.calls.length} attempts`);
  });

  it('records a failed completion when the reply disappeared mid-stream', async () => {
    const { fake, run } = await setup();
    fake.fail('chat.update', { error: 'message_not_found' });
    const delivered = await run().result;
    assert.match(delivered.error ?? '', /message_not_found/);
    assert.equal(fake.callsTo('chat.update').filter((c) => JSON.stringify(c.body).includes('Analysis complete')).length, 1);
  });
});
