import type { MetricSample } from '../domain/types.js';

/**
 * Instant PromQL queries against `PROMETHEUS_URL` (`/api/v1/query`), each with its
 * own deadline. Failures come back as data.
 */
export type PromResult = { query: string; samples: MetricSample[]; error: string | null };

export async function queryPrometheus(baseUrl: string, query: string, timeoutMs: number, signal?: AbortSignal): Promise<PromResult> {
  const url = new URL('api/v1/query', baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  url.searchParams.set('query', query);
  const deadline = AbortSignal.timeout(timeoutMs);
  try {
    const res = await fetch(url, { signal: signal ? AbortSignal.any([deadline, signal]) : deadline });
    if (!res.ok) return { query, samples: [], error: `HTTP ${res.status}` };
    const body = (await res.json()) as { data?: { result?: Array<{ metric?: Record<string, string>; value?: [number, string] }> } };
    const samples = (body.data?.result ?? []).map((r) => ({ query, labels: r.metric ?? {}, value: Number(r.value?.[1] ?? NaN) }));
    return { query, samples, error: null };
  } catch (error) {
    return { query, samples: [], error: deadline.aborted ? `timed out after ${timeoutMs} ms` : (error as Error).message };
  }
}
