/**
 * Instant PromQL queries against `PROMETHEUS_URL` (`/api/v1/query`), each with its
 * own deadline, which is also sent as Prometheus's `timeout` so the server stops
 * evaluating when we stop waiting. Failures come back as data: Prometheus's error
 * envelope (`{status:"error", errorType, error}` with 400/422/503) is reported as
 * `errorType: error`, anything else by HTTP status or transport error.
 */
export type PromSeries = { labels: Record<string, string>; value: number };
export type PromResult = { query: string; series: PromSeries[]; error: string | null };

type Envelope = {
  status?: unknown;
  errorType?: unknown;
  error?: unknown;
  data?: { resultType?: unknown; result?: unknown };
};

/** Sample values arrive as strings; Go spells the special values NaN, +Inf and -Inf. */
function sampleValue(raw: unknown): number {
  if (raw === '+Inf') return Infinity;
  if (raw === '-Inf') return -Infinity;
  return typeof raw === 'string' ? Number(raw) : NaN;
}

function readEnvelope(status: number, body: Envelope | null): { series: PromSeries[]; error: string | null } {
  if (body?.status === 'error') {
    return { series: [], error: `${String(body.errorType ?? `HTTP ${status}`)}: ${String(body.error ?? 'no message')}` };
  }
  if (status < 200 || status > 299) return { series: [], error: `HTTP ${status}` };
  if (body?.status !== 'success') return { series: [], error: 'the response is not a Prometheus API response' };
  const { resultType, result } = body.data ?? {};
  if (resultType !== 'vector' || !Array.isArray(result)) return { series: [], error: `expected a vector result, got ${String(resultType)}` };
  const series = (result as Array<{ metric?: Record<string, string>; value?: [number, string] }>).map((r) => ({
    labels: r.metric ?? {},
    value: sampleValue(r.value?.[1]),
  }));
  return { series, error: null };
}

function describeFetchError(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  const detail = typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : null;
  const message = (error as Error).message;
  return detail ? `${message} (${detail})` : message;
}

export async function queryPrometheus(baseUrl: string, query: string, timeoutMs: number, signal?: AbortSignal): Promise<PromResult> {
  const url = new URL('api/v1/query', baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  url.searchParams.set('query', query);
  url.searchParams.set('timeout', `${timeoutMs}ms`);
  const deadline = AbortSignal.timeout(timeoutMs);
  try {
    const res = await fetch(url, { signal: signal ? AbortSignal.any([deadline, signal]) : deadline });
    const text = await res.text();
    let body: Envelope | null = null;
    try {
      body = JSON.parse(text) as Envelope;
    } catch {
      body = null;
    }
    return { query, ...readEnvelope(res.status, body) };
  } catch (error) {
    return { query, series: [], error: deadline.aborted ? `timed out after ${timeoutMs} ms` : describeFetchError(error) };
  }
}
