import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeExplainer } from '../../src/explain/make-explainer.js';
import { writeOfflineAnalysis } from '../../src/explain/write-offline-analysis.js';
import type { LlmChunk, LlmClient } from '../../src/llm/llm-client.js';
import { llmConfigFromEnv } from '../../src/llm/llm-config.js';
import { metricsRegistry } from '../../src/observability/metrics.js';
import { silentLogger } from '../../src/observability/logger.js';
import { consume } from '../support/fake-llm/describe-llm-provider.js';
import { GOOD_ANSWER_CHUNKS, sampleExplainInput } from '../support/fake-llm/sample-explain-input.js';

const limits = llmConfigFromEnv({}).limits;

function fakeLlm(stream: (signal: AbortSignal) => AsyncIterable<LlmChunk>): LlmClient {
  return {
    provider: 'openai',
    model: 'fake',
    stream: (_req, signal) => stream(signal),
    complete: () => Promise.reject(new Error('not used')),
  };
}

test('without an LLM the offline analysis is delivered as is', async () => {
  const input = sampleExplainInput();
  const { delivered, analysis } = await consume(makeExplainer({ llm: null, limits, logger: silentLogger() })(input));
  assert.deepEqual(analysis, writeOfflineAnalysis(input));
  assert.equal(delivered, analysis.text);
});

test('an LLM analysis records calls, tokens and the analysis outcome as metrics', async () => {
  const llm = fakeLlm(async function* () {
    for (const text of GOOD_ANSWER_CHUNKS) yield { type: 'text', text };
    yield { type: 'usage', tokensIn: 900, tokensOut: 90 };
  });
  const { analysis } = await consume(makeExplainer({ llm, limits, logger: silentLogger() })(sampleExplainInput()));
  assert.equal(analysis.mode, 'llm');
  const metrics = await metricsRegistry.metrics();
  assert.match(metrics, /k8flex_llm_tokens_total\{provider="openai",model="fake",direction="in"\} \d+/);
  assert.match(metrics, /k8flex_analyses_total\{provider="openai",outcome="llm"\} \d+/);
  assert.match(metrics, /k8flex_llm_request_duration_seconds_count\{provider="openai",model="fake",operation="analyze",outcome="ok"\} \d+/);
});

test('done settles even when nobody reads the chunks', async () => {
  const llm = fakeLlm(async function* () {
    for (const text of GOOD_ANSWER_CHUNKS) yield { type: 'text', text };
  });
  const analysis = await makeExplainer({ llm, limits, logger: silentLogger() })(sampleExplainInput()).done;
  assert.equal(analysis.mode, 'llm');
  assert.deepEqual(analysis.llm?.calls, 1);
});

test('a provider that throws before streaming still delivers the offline analysis', async () => {
  const llm = fakeLlm(() => {
    throw new Error('boom');
  });
  const input = sampleExplainInput();
  const { delivered, analysis } = await consume(makeExplainer({ llm, limits, logger: silentLogger() })(input));
  assert.equal(analysis.mode, 'llm-fallback');
  assert.equal(delivered, writeOfflineAnalysis(input).text);
  assert.match(analysis.llm?.error ?? '', /boom/);
});

test('an aborted investigation delivers the offline analysis, marked as a fallback', async () => {
  const controller = new AbortController();
  const llm = fakeLlm(async function* (signal) {
    yield { type: 'text', text: '## Summary\nPartial' };
    await new Promise((_r, reject) => signal.addEventListener('abort', () => reject(new Error('aborted'))));
  });
  const stream = makeExplainer({ llm, limits, logger: silentLogger() })(sampleExplainInput(), controller.signal);
  controller.abort(new Error('worker shutting down'));
  const { delivered, analysis } = await consume(stream);
  assert.equal(analysis.mode, 'llm-fallback');
  assert.equal(delivered, analysis.text);
  assert.match(analysis.llm?.error ?? '', /shutting down/);
});
