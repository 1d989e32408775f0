import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { makeLlmCategorize } from '../../../src/categorize/llm-categorize.js';
import type { Analysis } from '../../../src/domain/analysis.js';
import { makeExplainer } from '../../../src/explain/make-explainer.js';
import { PROMPT_VERSION } from '../../../src/explain/build-prompt.js';
import { writeOfflineAnalysis } from '../../../src/explain/write-offline-analysis.js';
import { extractEntitiesWithLlm } from '../../../src/llm/extract-entities.js';
import type { LlmClient } from '../../../src/llm/llm-client.js';
import { llmConfigFromEnv } from '../../../src/llm/llm-config.js';
import { makeLlmClient } from '../../../src/llm/make-llm-client.js';
import { silentLogger } from '../../../src/observability/logger.js';
import type { AnalysisStream } from '../../../src/pipeline/stages.js';
import { GOOD_ANSWER, GOOD_ANSWER_CHUNKS, PLANTED_SECRETS, sampleExplainInput } from './sample-explain-input.js';
import { startFakeLlmServer, type FakeLlmServer, type WireFormat } from './start-fake-llm-server.js';

/** Short limits so failure cases end quickly; only outcomes are asserted, never durations. */
export const TEST_LIMITS_ENV = {
  LLM_FIRST_TOKEN_TIMEOUT_MS: '5000',
  LLM_IDLE_TIMEOUT_MS: '500',
  LLM_TOTAL_TIMEOUT_MS: '15000',
  LLM_MAX_RETRY_DELAY_MS: '5000',
};

export async function consume(stream: AnalysisStream): Promise<{ delivered: string; chunks: number; analysis: Analysis }> {
  let delivered = '';
  let chunks = 0;
  for await (const chunk of stream.chunks) {
    delivered += chunk;
    chunks++;
  }
  return { delivered, chunks, analysis: await stream.done };
}

/**
 * The same wire-level cases for every provider, driven through its real SDK:
 * `env` is the provider's environment pointing at the fake's URL.
 */
export function describeLlmProvider(wire: WireFormat, env: (url: string) => Record<string, string>): void {
  describe(`${wire.name} provider over its real wire format`, () => {
    let server: FakeLlmServer;
    let llm: LlmClient;
    const explain = () => makeExplainer({ llm, limits: llmConfigFromEnv({ ...env(server.url), ...TEST_LIMITS_ENV }).limits, logger: silentLogger() });

    before(async () => {
      server = await startFakeLlmServer(wire);
      const client = makeLlmClient(llmConfigFromEnv({ ...env(server.url), ...TEST_LIMITS_ENV }));
      assert.ok(client);
      llm = client;
    });
    after(() => server.close());

    test('streams the answer in chunks and parses it into the analysis sections', async () => {
      server.reply({ kind: 'stream', chunks: GOOD_ANSWER_CHUNKS, usage: { tokensIn: 1234, tokensOut: 321 } });
      const { delivered, chunks, analysis } = await consume(explain()(sampleExplainInput()));
      assert.equal(delivered, GOOD_ANSWER);
      assert.equal(analysis.text, GOOD_ANSWER);
      assert.ok(chunks >= 2, `expected several chunks, got ${chunks}`);
      assert.equal(analysis.mode, 'llm');
      assert.equal(analysis.provider, wire.name);
      assert.equal(analysis.promptVersion, PROMPT_VERSION);
      assert.match(analysis.summary, /cannot log in to Postgres/);
      assert.match(analysis.rootCause, /password authentication failed/);
      assert.equal(analysis.evidence.length, 2);
      assert.deepEqual(analysis.actions, ['Compare Secret api-db with the database user.', 'Restart the Deployment.']);
      assert.equal(analysis.confidence, 'high');
      assert.deepEqual(analysis.llm, { calls: 1, tokensIn: 1234, tokensOut: 321, error: null });
      assert.ok(analysis.budget && analysis.budget.tokensAfter > 0);
      assert.match(server.requests.at(-1)?.url ?? '', wire.requestPath);
    });

    test('sends a prompt with the system role, the fenced alert and the evidence but none of the planted secrets', async () => {
      server.reply({ kind: 'stream', chunks: GOOD_ANSWER_CHUNKS });
      const sent = server.requests.length;
      await consume(explain()(sampleExplainInput()));
      const body = server.requests.slice(sent).map((r) => r.body).join('\n');
      assert.match(body, /untrusted data/);
      assert.match(body, /<<<DATA alert>>>/);
      assert.match(body, /pod\/shop\/api-7d9f\/logs\/app\/previous/);
      for (const secret of PLANTED_SECRETS) assert.ok(!body.includes(secret), `prompt contains ${secret.slice(0, 8)}…`);
      // The alert's forged end marker is defused: one closing marker only.
      assert.equal(body.split('<<<END DATA alert>>>').length, 2);
    });

    test('appends the offline analysis after a separator when the answer lacks the required sections', async () => {
      server.reply({ kind: 'stream', chunks: ['I think ', 'the pod is sad.'] });
      const input = sampleExplainInput();
      const { delivered, analysis } = await consume(explain()(input));
      const offline = writeOfflineAnalysis(input);
      assert.equal(analysis.mode, 'llm-fallback');
      assert.equal(delivered, analysis.text);
      assert.ok(analysis.text.startsWith('I think the pod is sad.'));
      assert.ok(analysis.text.endsWith(offline.text));
      assert.equal(analysis.rootCause, offline.rootCause);
      assert.match(analysis.llm?.error ?? '', /required sections/);
      assert.ok(analysis.degraded.some((d) => d.includes('offline analysis was delivered')));
    });

    test('retries once after a 429 with Retry-After: 0 and delivers the LLM analysis', async () => {
      server.reply({ kind: 'status', status: 429, headers: { 'retry-after': '0' } }, { kind: 'stream', chunks: GOOD_ANSWER_CHUNKS });
      const sent = server.requests.length;
      const { analysis } = await consume(explain()(sampleExplainInput()));
      assert.equal(analysis.mode, 'llm');
      assert.equal(analysis.llm?.calls, 2);
      assert.equal(server.requests.length - sent, 2);
    });

    test('does not wait for a Retry-After beyond the configured maximum and delivers the offline analysis', async () => {
      server.reply({ kind: 'status', status: 429, headers: { 'retry-after': '3600' } });
      const sent = server.requests.length;
      const input = sampleExplainInput();
      const { delivered, analysis } = await consume(explain()(input));
      assert.equal(server.requests.length - sent, 1);
      assert.equal(analysis.mode, 'llm-fallback');
      assert.equal(delivered, writeOfflineAnalysis(input).text);
      assert.match(analysis.llm?.error ?? '', /429/);
    });

    test('falls back to the offline analysis after a 500 and one retry', async () => {
      server.reply({ kind: 'status', status: 500, headers: { 'retry-after': '0' } });
      const sent = server.requests.length;
      const input = sampleExplainInput();
      const { delivered, analysis } = await consume(explain()(input));
      assert.equal(server.requests.length - sent, 2);
      assert.equal(analysis.mode, 'llm-fallback');
      assert.equal(analysis.text, writeOfflineAnalysis(input).text);
      assert.equal(delivered, analysis.text);
      assert.equal(analysis.llm?.calls, 2);
      assert.match(analysis.llm?.error ?? '', /500/);
    });

    test('reports rejected credentials without retrying', async () => {
      server.reply({ kind: 'status', status: wire.name === 'bedrock' ? 403 : 401 });
      const sent = server.requests.length;
      const { analysis } = await consume(explain()(sampleExplainInput()));
      assert.equal(server.requests.length - sent, 1);
      assert.equal(analysis.mode, 'llm-fallback');
      assert.match(analysis.llm?.error ?? '', /credentials/);
    });

    test('names the model when the provider does not know it', async () => {
      server.reply({ kind: 'status', status: 404, message: 'model not found' });
      const { analysis } = await consume(explain()(sampleExplainInput()));
      assert.equal(analysis.mode, 'llm-fallback');
      assert.match(analysis.llm?.error ?? '', /model "fake-model"/);
    });

    test('ends a stalled stream at the idle timeout and delivers the offline analysis after a separator', async () => {
      server.reply({ kind: 'stream', chunks: GOOD_ANSWER_CHUNKS, stallAfter: 2 });
      const input = sampleExplainInput();
      const { delivered, analysis } = await consume(explain()(input));
      assert.equal(analysis.mode, 'llm-fallback');
      assert.equal(delivered, analysis.text);
      assert.ok(analysis.text.startsWith(GOOD_ANSWER_CHUNKS.slice(0, 2).join('')));
      assert.match(analysis.text, /---\n\n_The LLM answer above is incomplete/);
      assert.ok(analysis.text.endsWith(writeOfflineAnalysis(input).text));
      assert.match(analysis.llm?.error ?? '', /idle/);
    });

    test('categorizes with the model when the rules are unsure', async () => {
      server.reply({ kind: 'stream', chunks: ['{"category": "oom-', 'killed", "reason": "exit code 137"}'] });
      const subject = sampleExplainInput().subject;
      const decision = await makeLlmCategorize(llm, silentLogger())(subject, { category: 'unknown', confidence: 0.3, reason: 'no rule', decidedBy: 'rules' });
      assert.deepEqual(decision, { category: 'oom-killed', confidence: 0.7, reason: 'exit code 137', decidedBy: 'llm' });
    });

    test("keeps the rules' decision when the model names no valid category", async () => {
      server.reply({ kind: 'stream', chunks: ['{"category": "cosmic-rays", "reason": "?"}'] });
      const rules = { category: 'unknown', confidence: 0.3, reason: 'no rule', decidedBy: 'rules' } as const;
      const decision = await makeLlmCategorize(llm, silentLogger())(sampleExplainInput().subject, rules);
      assert.deepEqual(decision, rules);
    });

    test('extracts validated object names from a description', async () => {
      server.reply({ kind: 'stream', chunks: ['```json\n{"namespace": "shop", "pod": null, "workload": "api", "node": "../../etc", "service": ""}\n```'] });
      const entities = await extractEntitiesWithLlm(llm, 'the api deployment in shop keeps restarting');
      assert.deepEqual(entities, { namespace: 'shop', workload: 'api' });
    });

    test('never sent a planted secret in any request of this suite (analyze, categorize, extract)', () => {
      assert.ok(server.requests.length >= 10);
      for (const request of server.requests) {
        for (const secret of PLANTED_SECRETS) assert.ok(!request.body.includes(secret), `${request.url} carried ${secret.slice(0, 8)}…`);
      }
    });
  });
}
