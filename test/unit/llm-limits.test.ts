import assert from 'node:assert/strict';
import { test } from 'node:test';
import { limitStream } from '../../src/llm/limit-stream.js';
import type { LlmChunk, ProviderStream } from '../../src/llm/llm-client.js';
import { parseRetryAfter, readRetryInfo } from '../../src/llm/read-retry-info.js';
import { retryOnce } from '../../src/llm/retry-once.js';

const limits = { firstTokenMs: 50, idleMs: 50, totalMs: 5000 };
const req = { system: 's', user: 'u', maxTokens: 10 };

async function drain(stream: AsyncIterable<LlmChunk>): Promise<string[]> {
  const texts: string[] = [];
  for await (const c of stream) if (c.type === 'text') texts.push(c.text);
  return texts;
}

/** A provider that never answers but does honour abort, like a stalled HTTP request. */
function silentUntilAborted(onAbort: () => void) {
  return (signal: AbortSignal): AsyncIterable<LlmChunk> => ({
    [Symbol.asyncIterator]: () => ({
      next: () =>
        new Promise<IteratorResult<LlmChunk>>((_resolve, reject) => {
          signal.addEventListener('abort', () => {
            onAbort();
            reject(new Error('aborted'));
          });
        }),
    }),
  });
}

test('a provider that sends nothing fails with the first-token limit and is aborted', async () => {
  let aborted = false;
  await assert.rejects(drain(limitStream(silentUntilAborted(() => (aborted = true)), limits)), /no text within 50 ms/);
  assert.equal(aborted, true);
});

test('a provider that ignores abort still cannot hold the stream past its limit', async () => {
  const never = (): AsyncIterable<LlmChunk> => ({ [Symbol.asyncIterator]: () => ({ next: () => new Promise(() => undefined) }) });
  await assert.rejects(drain(limitStream(never, limits)), /no text within/);
});

test("the caller's abort ends the stream with the caller's reason", async () => {
  const controller = new AbortController();
  const pending = drain(limitStream(silentUntilAborted(() => undefined), { ...limits, firstTokenMs: 60_000 }, controller.signal));
  controller.abort(new Error('shutting down'));
  await assert.rejects(pending, /shutting down/);
});

function scripted(failures: Array<{ status: number; headers?: Record<string, string> } | 'text-then-fail'>): ProviderStream & { calls: number } {
  const provider = {
    provider: 'openai' as const,
    model: 'm',
    calls: 0,
    async *stream(): AsyncIterable<LlmChunk> {
      const failure = failures[provider.calls++];
      if (failure === 'text-then-fail') {
        yield { type: 'text', text: 'partial' };
        throw Object.assign(new Error('reset'), { status: 503 });
      }
      if (failure) throw Object.assign(new Error(`HTTP ${failure.status}`), failure);
      yield { type: 'text', text: 'ok' };
    },
  };
  return provider;
}

test('a 503 before any text is retried once, announced by a retry chunk', async () => {
  const provider = scripted([{ status: 503, headers: { 'retry-after': '0' } }]);
  const chunks: LlmChunk[] = [];
  for await (const c of retryOnce(provider, { maxRetries: 1, maxRetryDelayMs: 1000 })(req, new AbortController().signal)) chunks.push(c);
  assert.deepEqual(chunks, [{ type: 'retry', status: 503, delayMs: 0 }, { type: 'text', text: 'ok' }]);
});

test('a second 5xx is not retried again', async () => {
  const provider = scripted([{ status: 500, headers: { 'retry-after': '0' } }, { status: 502 }]);
  await assert.rejects(drain(retryOnce(provider, { maxRetries: 1, maxRetryDelayMs: 1000 })(req, new AbortController().signal)), /HTTP 502/);
  assert.equal(provider.calls, 2);
});

test('a 401 is never retried', async () => {
  const provider = scripted([{ status: 401 }]);
  await assert.rejects(drain(retryOnce(provider, { maxRetries: 1, maxRetryDelayMs: 1000 })(req, new AbortController().signal)), /HTTP 401/);
  assert.equal(provider.calls, 1);
});

test('a failure after text was streamed is not retried, so nothing is delivered twice', async () => {
  const provider = scripted(['text-then-fail']);
  await assert.rejects(drain(retryOnce(provider, { maxRetries: 1, maxRetryDelayMs: 1000 })(req, new AbortController().signal)), /reset/);
  assert.equal(provider.calls, 1);
});

test('Retry-After is read as seconds, as an HTTP date, or as retry-after-ms', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  assert.equal(parseRetryAfter('2', null, now), 2000);
  assert.equal(parseRetryAfter('Wed, 01 Jan 2025 00:00:05 GMT', null, now), 5000);
  assert.equal(parseRetryAfter('2', '150', now), 150);
  assert.equal(parseRetryAfter('soon', null, now), null);
});

test('status and Retry-After are read from the AWS SDK error shape', () => {
  const info = readRetryInfo({ $metadata: { httpStatusCode: 429 }, $response: { headers: { 'retry-after': '3' } } }, 0);
  assert.deepEqual(info, { status: 429, retryAfterMs: 3000 });
});
