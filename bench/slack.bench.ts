import { performance } from 'node:perf_hooks';
import { silentLogger } from '../src/observability/logger.js';
import { makeMemorySlackThreadStore } from '../src/slack/make-memory-slack-thread-store.js';
import { makeRateBudget } from '../src/slack/make-rate-budget.js';
import { makeSlackClient } from '../src/slack/make-slack-client.js';
import { makeSlackDeliver } from '../src/slack/make-slack-deliver.js';
import type { SlackClient } from '../src/slack/slack-client.js';
import { makeDeliverInput, makeFakeClock, makeSubject, startFakeSlack, syntheticAnalysisStream } from '../test/support/fake-slack.js';

const INCIDENTS = 20;
const CHUNKS = 60;
const CHUNK_EVERY_MS = 500; // fake time: each analysis streams for 30 s
const SLACK_TIER3_PER_MINUTE = 50;

type Scenario = { name: string; updateIntervalMs: number; updatesPerMinute: number };

async function runScenario(s: Scenario) {
  const clock = makeFakeClock();
  const fake = await startFakeSlack({ clock: clock.now });
  // The fake answers 429 as Slack would past Tier 3 for chat.update.
  fake.enforceRateLimit('chat.update', SLACK_TIER3_PER_MINUTE);
  const raw = makeSlackClient({ token: fake.token, apiUrl: fake.url, timeoutMs: 5000, retries: 1, minRetryDelayMs: 1 });
  const parentAt = new Map<string, number>();
  const client: SlackClient = {
    ...raw,
    postMessage: async (args) => {
      const res = await raw.postMessage(args);
      if (!args.threadTs) parentAt.set(res.ts, performance.now());
      return res;
    },
  };
  const deliver = makeSlackDeliver({
    client, store: makeMemorySlackThreadStore(), clock: clock.now, sleep: clock.sleep, logger: silentLogger(),
    budget: makeRateBudget({ perMinute: s.updatesPerMinute, clock: clock.now }),
    config: { defaultChannel: '#incidents', updateIntervalMs: s.updateIntervalMs, updatesPerMinute: s.updatesPerMinute, publicUrl: 'https://k8flex.example', threadReuseHours: 24 },
  });
  const started = performance.now();
  const startFake = clock.now();
  const results = await Promise.all(
    Array.from({ length: INCIDENTS }, async (_, n) => {
      const t0 = performance.now();
      const stream = syntheticAnalysisStream(Array.from({ length: CHUNKS }, (_, i) => `Incident ${n}, sentence ${i} of the analysis. `), {
        beforeChunk: async () => {
          clock.advance(CHUNK_EVERY_MS / INCIDENTS); // the streams interleave: each advances its share
          await new Promise((resolve) => setTimeout(resolve, 1));
        },
      });
      const result = await deliver(makeDeliverInput(makeSubject({ incidentId: `inc-${n}`, groupKey: `k-${n}` }), stream));
      return { result, t0 };
    }),
  );
  const wallMs = performance.now() - started;
  const fakeMinutes = Math.max(1, (clock.now() - startFake) / 60_000);
  const toParent = results.map(({ result, t0 }) => (parentAt.get(result.parentTs ?? '') ?? NaN) - t0).sort((a, b) => a - b);
  const p95 = toParent[Math.ceil(0.95 * toParent.length) - 1] ?? NaN;
  const updates = fake.callsTo('chat.update');
  const maxPerMinute = Math.max(...updates.map((c) => updates.filter((d) => d.at > c.at - 60_000 && d.at <= c.at).length));
  const row = {
    name: s.name,
    calls: fake.calls.length,
    callsPerMinute: (fake.calls.length / fakeMinutes).toFixed(1),
    updates: updates.length,
    maxUpdatesInAMinute: maxPerMinute,
    rateLimited: fake.calls.filter((c) => c.status === 429).length,
    completed: updates.filter((c) => c.status === 200 && JSON.stringify(c.body).includes('Analysis complete')).length,
    errors: results.filter((r) => r.result.error).length,
    p95ParentMs: p95.toFixed(1),
    fakeMinutes: fakeMinutes.toFixed(2),
    wallMs: wallMs.toFixed(0),
  };
  await fake.close();
  return row;
}

export async function run(): Promise<{ title: string; markdown: string }> {
  const scenarios: Scenario[] = [
    { name: 'defaults (3 s interval, 45/min budget)', updateIntervalMs: 3000, updatesPerMinute: 45 },
    { name: 'no coalescing or budget (every chunk)', updateIntervalMs: 0, updatesPerMinute: 100_000 },
  ];
  const rows = [];
  for (const s of scenarios) rows.push(await runScenario(s));
  const table = [
    '| scenario | Slack calls | calls / min | chat.update | max updates in any minute | 429s | completions sent | errors | parent p95 (ms) | simulated minutes | wall (ms) |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.name} | ${r.calls} | ${r.callsPerMinute} | ${r.updates} | ${r.maxUpdatesInAMinute} | ${r.rateLimited} | ${r.completed}/${INCIDENTS} | ${r.errors} | ${r.p95ParentMs} | ${r.fakeMinutes} | ${r.wallMs} |`),
  ].join('\n');
  return {
    title: 'Slack delivery under concurrent incidents',
    markdown: [
      `${INCIDENTS} incidents delivered at once through the real \`@slack/web-api\` client to the wire-level fake Slack (test/support/fake-slack.ts) on loopback.`,
      `Each analysis is a synthetic AnalysisStream of ${CHUNKS} chunks, one every ${CHUNK_EVERY_MS} ms of simulated time (about 30 s per analysis, all interleaved).`,
      `The fake answers \`chat.update\` with 429 + Retry-After past Slack's Tier 3 (${SLACK_TIER3_PER_MINUTE}/min), counted on the same simulated clock.`,
      'Time to the parent message is real time from the start of delivery to the chat.postMessage answer.',
      '',
      table,
      '',
      'Command: `npm run bench -- slack`.',
    ].join('\n'),
  };
}
