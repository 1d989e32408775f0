import { UpstreamError } from '../errors.js';
import type { LlmChunk } from './llm-client.js';

export type StreamLimits = { firstTokenMs: number; idleMs: number; totalMs: number };

/**
 * Runs `open` under three limits — time to first text, gap between chunks, whole
 * call — and the caller's signal. When one is hit the request is aborted and the
 * iterator throws an UpstreamError naming the limit, even if the SDK ignores the
 * abort: the wait is raced, never trusted.
 */
export async function* limitStream(
  open: (signal: AbortSignal) => AsyncIterable<LlmChunk>,
  limits: StreamLimits,
  outer?: AbortSignal,
): AsyncGenerator<LlmChunk> {
  const controller = new AbortController();
  const onOuterAbort = () => controller.abort(outer?.reason);
  if (outer?.aborted) onOuterAbort();
  outer?.addEventListener('abort', onOuterAbort, { once: true });
  const started = Date.now();
  let iterator: AsyncIterator<LlmChunk> | undefined;
  let sawText = false;
  try {
    iterator = open(controller.signal)[Symbol.asyncIterator]();
    for (;;) {
      const left = limits.totalMs - (Date.now() - started);
      const stepMs = sawText ? limits.idleMs : limits.firstTokenMs;
      const [waitMs, reason] =
        left <= stepMs
          ? [left, `LLM total time limit of ${limits.totalMs} ms reached`]
          : sawText
            ? [stepMs, `LLM stream idle for ${limits.idleMs} ms`]
            : [stepMs, `LLM sent no text within ${limits.firstTokenMs} ms`];
      const result = await race(iterator.next(), Math.max(0, waitMs), reason, controller.signal);
      if (result.done) return;
      if (result.value.type === 'text') sawText = true;
      yield result.value;
    }
  } finally {
    outer?.removeEventListener('abort', onOuterAbort);
    controller.abort(new UpstreamError('LLM stream closed'));
    // Closing a generator that is mid-await would wait for it; fire and forget.
    void iterator?.return?.().catch(() => undefined);
  }
}

function race<T>(next: Promise<T>, ms: number, reason: string, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const fail = (error: Error) => {
      cleanup();
      reject(error);
    };
    const onAbort = () => fail(signal.reason instanceof Error ? signal.reason : new UpstreamError('LLM call aborted'));
    const timer = setTimeout(() => {
      fail(new UpstreamError(reason));
      signal.removeEventListener('abort', onAbort);
    }, ms);
    const cleanup = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    next.then(
      (value) => {
        cleanup();
        resolve(value);
      },
      (error: unknown) => fail(error instanceof Error ? error : new Error(String(error))),
    );
  });
}
