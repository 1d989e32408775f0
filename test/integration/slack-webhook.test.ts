import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { silentLogger } from '../../src/observability/logger.js';
import { makeMemorySlackThreadStore } from '../../src/slack/make-memory-slack-thread-store.js';
import { makeSlackDeliver } from '../../src/slack/make-slack-deliver.js';
import { makeDeliverInput, makeFakeClock, makeSubject, syntheticAnalysisStream } from '../support/fake-slack.js';

type Received = { contentType: string; body: { text: string; blocks: { type: string; text?: { text: string } }[] } };

/** A stand-in for hooks.slack.com: answers each POST with the next scripted reply. */
async function startWebhook(replies: { status: number; body: string; headers?: Record<string, string> }[]): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ contentType: req.headers['content-type'] ?? '', body: JSON.parse(Buffer.concat(chunks).toString()) as Received['body'] });
      const reply = replies.shift() ?? { status: 200, body: 'ok' };
      res.writeHead(reply.status, { 'content-type': 'text/plain', ...reply.headers });
      res.end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/services/T0/B0/xyz`, received, server };
}

const servers: Server[] = [];
after(() => {
  for (const s of servers) s.close();
});

function deliverVia(url: string) {
  const clock = makeFakeClock();
  const store = makeMemorySlackThreadStore();
  const deliver = makeSlackDeliver({
    client: null, webhookUrl: url, store, clock: clock.now, sleep: clock.sleep, logger: silentLogger(),
    config: { defaultChannel: null, updateIntervalMs: 3000, updatesPerMinute: 45, publicUrl: 'https://k8flex.example', threadReuseHours: 24 },
  });
  const run = (chunks: string[]) => deliver(makeDeliverInput(makeSubject(), syntheticAnalysisStream(chunks)));
  return { store, run };
}

describe('Slack incoming webhook mode', () => {
  it('posts one JSON message with the alert and the finished analysis', async () => {
    const hook = await startWebhook([]);
    const result = await deliverVia(hook.url).run(['## Root cause\n', 'Missing **secret** <!channel>\n']);
    assert.deepEqual(result, { channel: null, parentTs: null, replyTs: null, permalink: null, error: null });
    assert.equal(hook.received.length, 1);
    const [message] = hook.received;
    assert.equal(message?.contentType, 'application/json');
    const all = JSON.stringify(message?.body);
    assert.ok(all.includes('KubePodCrashLooping') && all.includes('*Root cause*') && all.includes('Missing *secret* &lt;!channel&gt;'));
    assert.ok(all.includes('Analysis complete'));
    assert.ok((message?.body.blocks.length ?? 99) <= 50);
  });

  it('records the webhook error text on the incident for a 404', async () => {
    const hook = await startWebhook([{ status: 404, body: 'channel_not_found' }]);
    const { store, run } = deliverVia(hook.url);
    const result = await run(['x']);
    assert.equal(result.error, 'Slack webhook answered 404: channel_not_found');
    assert.equal(store.errorOf('inc-1'), result.error);
    assert.equal(hook.received.length, 1);
  });

  it('retries a 500 and a 429 then delivers', async () => {
    const hook = await startWebhook([{ status: 500, body: 'oops' }, { status: 429, body: 'rate limited', headers: { 'retry-after': '3' } }]);
    const result = await deliverVia(hook.url).run(['x']);
    assert.equal(result.error, null);
    assert.equal(hook.received.length, 3);
  });

  it('keeps a very long analysis within one message\'s limits', async () => {
    const hook = await startWebhook([]);
    await deliverVia(hook.url).run(Array.from({ length: 80 }, () => `${'evidence line '.repeat(200)}\n\n`));
    const blocks = hook.received[0]?.body.blocks ?? [];
    assert.ok(blocks.length <= 50);
    assert.ok(blocks.every((b) => (b.text?.text.length ?? 0) <= 3000));
    assert.ok(JSON.stringify(blocks).includes('Shortened to fit Slack'));
  });
});
