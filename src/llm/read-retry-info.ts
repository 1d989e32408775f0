/**
 * The HTTP status and Retry-After of a failed call, read from whichever shape the
 * provider's SDK throws: `status` + `headers` (OpenAI, Anthropic, Gemini),
 * `status_code` (Ollama), `$metadata.httpStatusCode` + `$response` (AWS SDK).
 */
export type RetryInfo = { status: number | null; retryAfterMs: number | null };

type HeaderBag = { get?: (name: string) => string | null } | Record<string, unknown> | undefined;

function header(headers: HeaderBag, name: string): string | null {
  if (!headers) return null;
  if (typeof headers.get === 'function') return (headers.get as (n: string) => string | null)(name);
  const value = (headers as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : null;
}

/** Retry-After is delay-seconds or an HTTP date; `retry-after-ms` is OpenAI's and Anthropic's finer variant. */
export function parseRetryAfter(value: string | null, valueMs: string | null, now: number): number | null {
  if (valueMs && Number.isFinite(Number(valueMs))) return Math.max(0, Number(valueMs));
  if (!value) return null;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

export function readRetryInfo(error: unknown, now: number): RetryInfo {
  if (typeof error !== 'object' || error === null) return { status: null, retryAfterMs: null };
  const e = error as {
    status?: unknown;
    status_code?: unknown;
    headers?: HeaderBag;
    $metadata?: { httpStatusCode?: number };
    $response?: { statusCode?: number; headers?: HeaderBag };
  };
  const candidates = [e.status, e.status_code, e.$metadata?.httpStatusCode, e.$response?.statusCode];
  const status = candidates.find((c): c is number => typeof c === 'number') ?? null;
  const headers = e.headers ?? e.$response?.headers;
  return { status, retryAfterMs: parseRetryAfter(header(headers, 'retry-after'), header(headers, 'retry-after-ms'), now) };
}

/** 408, 429 and 5xx are worth one more try; anything else (401, 404, 400) will fail again. */
export function isRetryableStatus(status: number | null): boolean {
  return status === 408 || status === 429 || (status !== null && status >= 500);
}
