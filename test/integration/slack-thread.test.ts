import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { silentLogger } from '../../src/observability/logger.js';
import { COMPLETION_MARKER, FEEDBACK_INSTRUCTIONS, PROGRESS_MARKER } from '../../src/slack/format-analysis-message.js';
import { makeMemorySlackThreadStore } from '../../src/slack/make-memory-slack-thread-store.js';
import { makeSlackClient } from '../../src/slack/make-slack-client.js';
import { makeSlackDeliver, type SlackDeliverConfig } from '../../src/slack/make-slack-deliver.js';
import type { SimilarCase } from '../../src/domain/analysis.js';
import type { IncidentSubject } from '../../src/domain/types.js';
import {
  makeDeliverInput,
  makeFakeClock,
  makeSubject,
  startFakeSlack,
  syntheticAnalysisStream,
  type FakeSlack,
  type FakeSlackMessage,
} from '../support/fake-slack.js';

const fakes: FakeSlack[] = [];
after(async () => {
  await Promise.all(fakes.map((f) => f.close()));
});

async function setup(config: Partial<SlackDeliverConfig> = {}, annotations: Record<string, Record<string, string>> = {}) {
  const clock = makeFakeClock();
  const fake = await startFakeSlack({ clock: clock.now });
  fakes.push(fake);
  const store = makeMemorySlackThreadStore();
  const client = makeSlackClient({ token: fake.token, apiUrl: fake.url, timeoutMs: 2000, retries: 1, minRetryDelayMs: 1 });
  const deliver = makeSlackDeliver({
    client,
    store,
    namespaceAnnotations: async (ns) => annotations[ns] ?? {},
    config: { defaultChannel: '#incidents', updateIntervalMs: 3000, updatesPerMinute: 45, publicUrl: 'https://k8flex.example', threadReuseHours: 24, ...config },
    clock: clock.now,
    sleep: clock.sleep,
    logger: silentLogger(),
  });
  /** Streams `chunks` with `stepMs` of fake time before each, letting Slack calls complete. */
  const stream = (chunks: string[], stepMs = 1000, analysis = {}) =>
    syntheticAnalysisStream(chunks, {
      analysis,
      beforeChunk: async () => {
        clock.advance(stepMs);
        await new Promise((resolve) => setTimeout(resolve, 2));
      },
    });
  const run = (subject: IncidentSubject, chunks: string[], similar: SimilarCase[] = []) => {
    if (subject.groupKey) store.setGroupKey(subject.incidentId, subject.groupKey);
    return deliver(makeDeliverInput(subject, stream(chunks), similar));
  };
  return { clock, fake, store, deliver, run, stream };
}

const textOf = (m: FakeSlackMessage | undefined): string => JSON.stringify(m?.blocks ?? []) + (m?.text ?? '');
const topLevelPosts = (fake: FakeSlack) => fake.callsTo('chat.postMessage').filter((c) => c.body.thread_ts === undefined);
const analysisChunks = ['## Root cause\n', 'The container ', 'exits with **code 1** ', 'because `DATABASE_URL` is unset.\n\n', '## Actions\n', '- Set the variable\n', '- Roll out again\n'];

describe('Slack thread per incident', () => {
  it('posts one parent, streams the analysis into a thread reply and ends with the completion marker', async () => {
    const { fake, store, run } = await setup();
    const similar: SimilarCase[] = [{ caseId: 'c1', incidentId: 'old-1', alertname: 'KubePodCrashLooping', category: 'pod-crash', rootCause: 'Missing env var', verdict: 'correct', correction: null, validatedBy: 'ana', validatedAt: null, similarity: 0.91, link: 'https://k8flex.example/incidents/old-1' }];
    const result = await run(makeSubject(), analysisChunks, similar);

    assert.equal(result.error, null);
    assert.equal(topLevelPosts(fake).length, 1);
    const [parent, reply, ...others] = fake.thread(result.channel ?? '', result.parentTs ?? '');
    assert.equal(others.length, 0);
    assert.equal(reply?.ts, result.replyTs);
    const final = textOf(reply);
    assert.ok(final.includes(COMPLETION_MARKER));
    assert.ok(final.includes('Confidence: *high*'));
    assert.ok(final.includes(FEEDBACK_INSTRUCTIONS));
    assert.ok(final.includes('<https://k8flex.example/incidents/old-1|KubePodCrashLooping: Missing env var>'));
    assert.ok(final.includes('*Root cause*') && final.includes('*code 1*') && final.includes('• Set the variable'));
    assert.ok(!final.includes(PROGRESS_MARKER));
    assert.ok(textOf(parent).includes('KubePodCrashLooping'));
    const saved = await store.get('inc-1');
    assert.deepEqual(saved, { incidentId: 'inc-1', channel: 'CINCIDENTS', parentTs: result.parentTs, replyTs: result.replyTs, permalink: result.permalink });
    assert.match(result.permalink ?? '', /^https:\/\/fake\.slack\.com\/archives\/CINCIDENTS\/p\d+/);
  });

  it('shows the progress marker in the reply while the analysis streams', async () => {
    const { fake, run } = await setup({ updateIntervalMs: 1000 });
    await run(makeSubject(), analysisChunks);
    const reply = fake.callsTo('chat.postMessage')[1];
    assert.ok(JSON.stringify(reply?.body).includes('Analysing'));
    const updates = fake.callsTo('chat.update');
    assert.ok(updates.length >= 2, `expected a streaming update and the completion, got ${updates.length}`);
    assert.ok(JSON.stringify(updates[0]?.body).includes('Analysing'));
    assert.ok(JSON.stringify(updates.at(-1)?.body).includes('Analysis complete'));
  });

  it('puts alert name, severity, workload, cluster, team, summary and links on the parent message', async () => {
    const { fake, run } = await setup({}, { shop: { 'k8flex/team': 'payments' } });
    const result = await run(makeSubject(), ['ok']);
    const parent = textOf(fake.message(result.channel ?? '', result.parentTs ?? ''));
    for (const expected of ['KubePodCrashLooping', 'critical', 'shop / deployment/api', 'prod-eu', 'payments', 'Pod shop/api-7d9f-x2 is crash looping', '<http://prometheus.example/graph?g0.expr=up|Source>', '<http://alertmanager.example|Alertmanager>', '<https://k8flex.example/incidents/inc-1|Incident in k8flex>']) {
      assert.ok(parent.includes(expected), `parent lacks ${expected}`);
    }
  });

  it('never lets alert text ping a channel or a user', async () => {
    const { fake, run } = await setup();
    const result = await run(makeSubject({ annotations: { summary: 'Hey <!channel> and <@U123> & friends' }, alertname: '<!here>' }), ['Log says <!everyone>']);
    const thread = fake.thread(result.channel ?? '', result.parentTs ?? '').map(textOf).join('\n');
    assert.ok(!/<!channel>|<@U123>|<!everyone>/.test(thread));
    assert.ok(thread.includes('&lt;!channel&gt;') && thread.includes('&lt;@U123&gt;') && thread.includes('&amp; friends'));
  });

  it('coalesces streaming updates to at most one per interval per message', async () => {
    const { fake, run } = await setup({ updateIntervalMs: 3000 });
    const chunks = Array.from({ length: 60 }, (_, i) => `word${i} `);
    await run(makeSubject(), chunks); // 60 chunks × 1 s of fake time = 60 s
    const updates = fake.callsTo('chat.update');
    const streaming = updates.slice(0, -1);
    assert.ok(streaming.length >= 1 && streaming.length <= 20, `${streaming.length} streaming updates for 60 s at 3 s intervals`);
    assert.ok(JSON.stringify(updates.at(-1)?.body).includes('word59'));
  });

  it('sends the completion even when every streaming update was skipped', async () => {
    const { fake, run } = await setup({ updateIntervalMs: 3_600_000 });
    await run(makeSubject(), analysisChunks);
    const updates = fake.callsTo('chat.update');
    assert.equal(updates.length, 1);
    assert.ok(JSON.stringify(updates[0]?.body).includes('Analysis complete'));
  });

  it('replies "Resolved after 14 min" in the thread and marks the parent resolved', async () => {
    const { fake, deliver, run } = await setup();
    const subject = makeSubject();
    const result = await run(subject, ['done']);
    const outcome = await deliver.notifyResolved({ subject, resolvedAt: '2025-06-01T12:00:00Z' });
    assert.deepEqual(outcome, { posted: true, error: null });
    const [parent, , note] = fake.thread(result.channel ?? '', result.parentTs ?? '');
    assert.equal(note?.text, '✅ Resolved after 14 min');
    assert.ok(textOf(parent).includes('Resolved: KubePodCrashLooping'));
    assert.ok(textOf(parent).includes('*Resolved* after 14 min'));
  });

  it('does nothing on resolve when the incident never reached Slack', async () => {
    const { fake, deliver } = await setup();
    assert.deepEqual(await deliver.notifyResolved({ subject: makeSubject({ incidentId: 'never' }), resolvedAt: '2025-06-01T12:00:00Z' }), { posted: false, error: null });
    assert.equal(fake.calls.length, 0);
  });

  it('reuses the stored parent when a job is retried after a crash, posting no second parent', async () => {
    const { fake, run } = await setup();
    const first = await run(makeSubject(), ['first try']);
    const again = await run(makeSubject(), ['second try']);
    assert.equal(topLevelPosts(fake).length, 1);
    assert.equal(fake.callsTo('chat.postMessage').length, 2);
    assert.equal(again.parentTs, first.parentTs);
    assert.equal(again.replyTs, first.replyTs);
    assert.ok(textOf(fake.message(again.channel ?? '', again.replyTs ?? '')).includes('second try'));
  });

  it('posts only the reply when the parent was stored before the crash', async () => {
    const { fake, store, run } = await setup();
    const client = makeSlackClient({ token: fake.token, apiUrl: fake.url, timeoutMs: 2000 });
    const parent = await client.postMessage({ channel: '#incidents', message: { text: 'parent', blocks: [] } });
    await store.saveParent('inc-1', parent.channel, parent.ts);
    const result = await run(makeSubject(), ['analysis']);
    assert.equal(topLevelPosts(fake).length, 1);
    assert.equal(result.parentTs, parent.ts);
    assert.equal(fake.thread(parent.channel, parent.ts).length, 2);
  });

  it('puts a repeat of the same incident key into the recent thread with a note', async () => {
    const { fake, clock, run } = await setup();
    const first = await run(makeSubject(), ['first']);
    clock.advance(2 * 3_600_000);
    const repeat = await run(makeSubject({ incidentId: 'inc-2', startsAt: '2025-06-01T14:00:00Z' }), ['second']);
    assert.equal(topLevelPosts(fake).length, 1);
    assert.equal(repeat.parentTs, first.parentTs);
    const thread = fake.thread(first.channel ?? '', first.parentTs ?? '');
    assert.equal(thread.length, 4);
    assert.match(thread[2]?.text ?? '', /firing again/);
    assert.ok(textOf(thread[3]).includes('second'));
    assert.ok(textOf(thread[0]).includes('Firing again'));
  });

  it('starts a new thread when the same key fires again after the reuse window', async () => {
    const { fake, clock, run } = await setup({ threadReuseHours: 24 });
    const first = await run(makeSubject(), ['first']);
    clock.advance(25 * 3_600_000);
    const later = await run(makeSubject({ incidentId: 'inc-2' }), ['second']);
    assert.equal(topLevelPosts(fake).length, 2);
    assert.notEqual(later.parentTs, first.parentTs);
  });

  it('notes a refiring incident in its own thread and marks the parent firing again', async () => {
    const { fake, deliver, run } = await setup();
    const subject = makeSubject();
    const result = await run(subject, ['x']);
    await deliver.notifyResolved({ subject, resolvedAt: '2025-06-01T12:00:00Z' });
    assert.deepEqual(await deliver.noteRepeat({ subject, firedAt: '2025-06-01T13:00:00Z' }), { posted: true, error: null });
    const thread = fake.thread(result.channel ?? '', result.parentTs ?? '');
    assert.equal(thread.at(-1)?.text, '🔁 Firing again since 2025-06-01T13:00:00Z');
    assert.ok(!textOf(thread[0]).includes('Resolved:'));
  });

  it('keeps a long analysis within Slack limits and links to the full text', async () => {
    const { fake, run } = await setup();
    const paragraph = `${'The pod restarted because the liveness probe failed. '.repeat(40)}\n\n`;
    const result = await run(makeSubject(), Array.from({ length: 60 }, () => paragraph));
    const reply = fake.message(result.channel ?? '', result.replyTs ?? '');
    const blocks = (reply?.blocks ?? []) as { type: string; text?: { text: string } }[];
    assert.ok(blocks.length <= 50);
    for (const b of blocks) assert.ok((b.text?.text.length ?? 0) <= 3000);
    assert.ok(blocks.reduce((n, b) => n + (b.text?.text.length ?? 0), 0) <= 40_000);
    assert.ok(textOf(reply).includes('Shortened to fit Slack'));
    assert.ok(textOf(reply).includes('<https://k8flex.example/incidents/inc-1|dashboard>'));
    assert.ok(textOf(reply).includes(COMPLETION_MARKER));
  });
});

describe('Slack channel routing', () => {
  const channelOf = async (annotations: Record<string, Record<string, string>>, labels: Record<string, string>, defaultChannel: string | null) => {
    const { run } = await setup({ defaultChannel }, annotations);
    return run(makeSubject({ labels: { alertname: 'X', ...labels } }), ['x']);
  };

  it('routes by the namespace annotation first', async () => {
    const result = await channelOf({ shop: { 'k8flex/slack-channel': '#shop-alerts' } }, { slack_channel: '#from-label' }, '#incidents');
    assert.equal(result.channel, 'CSHOPALERTS');
  });

  it('routes by the alert label when the namespace has no annotation', async () => {
    assert.equal((await channelOf({}, { slack_channel: '#from-label' }, '#incidents')).channel, 'CFROMLABEL');
  });

  it('routes to the default channel otherwise', async () => {
    assert.equal((await channelOf({}, {}, '#incidents')).channel, 'CINCIDENTS');
  });

  it('records an error naming the settings when no channel is configured', async () => {
    const result = await channelOf({}, {}, null);
    assert.equal(result.parentTs, null);
    assert.match(result.error ?? '', /SLACK_DEFAULT_CHANNEL/);
  });
});

describe('Slack not configured', () => {
  it('drains the analysis and returns an empty delivery', async () => {
    const deliver = makeSlackDeliver({
      client: null, store: makeMemorySlackThreadStore(), clock: Date.now, logger: silentLogger(),
      config: { defaultChannel: null, updateIntervalMs: 3000, updatesPerMinute: 45, publicUrl: null, threadReuseHours: 24 },
    });
    const stream = syntheticAnalysisStream(['a', 'b']);
    const result = await deliver(makeDeliverInput(makeSubject(), stream));
    assert.deepEqual(result, { channel: null, parentTs: null, replyTs: null, permalink: null, error: null });
    assert.equal((await stream.done).text, 'ab');
  });

  it('posts nothing when the input says not to notify', async () => {
    const { fake, deliver, stream } = await setup();
    const result = await deliver({ ...makeDeliverInput(makeSubject(), stream(['a'])), notify: false });
    assert.equal(result.parentTs, null);
    assert.equal(fake.calls.length, 0);
  });
});
