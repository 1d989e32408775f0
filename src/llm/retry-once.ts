import type { LlmChunk, LlmRequest, ProviderStream } from './llm-client.js';
import { isRetryableStatus, readRetryInfo } from './read-retry-info.js';

export type RetryPolicy = { maxRetries: number; maxRetryDelayMs: number; defaultDelayMs?: number };

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Wraps a provider's stream with bounded retries: only a failure before the first
 * chunk (the HTTP status stage) is retried, only for 408/429/5xx, waiting Retry-After
 * when the provider sent one. A Retry-After beyond `maxRetryDelayMs` is not waited
 * for — the offline analysis is a better answer than a long silence.
 */
export function retryOnce(provider: ProviderStream, policy: RetryPolicy): ProviderStream['stream'] {
  return async function* stream(req: LlmRequest, signal: AbortSignal): AsyncIterable<LlmChunk> {
    for (let attempt = 0; ; attempt++) {
      let yielded = false;
      try {
        for await (const chunk of provider.stream(req, signal)) {
          yielded = true;
          yield chunk;
        }
        return;
      } catch (error) {
        if (yielded || signal.aborted || attempt >= policy.maxRetries) throw error;
        const { status, retryAfterMs } = readRetryInfo(error, Date.now());
        if (!isRetryableStatus(status)) throw error;
        const delayMs = retryAfterMs ?? policy.defaultDelayMs ?? 1000;
        if (delayMs > policy.maxRetryDelayMs) throw error;
        yield { type: 'retry', status, delayMs };
        await sleep(delayMs, signal);
      }
    }
  };
}
