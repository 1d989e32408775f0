import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { readPromql, type Selector } from './fake-prometheus/read-promql.js';

/**
 * A wire-level fake of the Prometheus HTTP API
 * (https://prometheus.io/docs/prometheus/latest/querying/api/): `GET` and
 * form-encoded `POST` on `/api/v1/query` and `/api/v1/query_range`, parameters
 * merged from URL and body as Prometheus does. It answers from canned series chosen
 * by a pattern on the PromQL text, in Prometheus's envelope (`vector` with `value`,
 * `matrix` with `values`, sample values as strings), and rejects what Prometheus
 * rejects with its error envelope: 400 `bad_data` for missing or bad parameters and
 * PromQL that does not parse (unterminated strings, unbalanced brackets, bad matchers).
 *
 * Canned series are filtered by the query's `label="value"` matchers for the labels
 * a series carries, so a query scoped to the wrong pod gets nothing back. Every
 * request is recorded with its matchers and range durations as Prometheus read them.
 * Failures can be injected per pattern: an error envelope (422/503), a bare 500 from
 * something in front of the API, a hang, or headers followed by a body that never ends.
 */

export type CannedSeries = { metric: Record<string, string>; value: number };

export type FakePrometheusFailure =
  | { status: 400 | 422 | 503; errorType: string; error: string }
  | { status: 500 | 502; body: string }
  | { hang: true }
  | { stallBody: true }
  | { delayMs: number };

export type FakePrometheusQuery = {
  endpoint: 'query' | 'query_range';
  method: string;
  contentType: string | null;
  query: string;
  /** Raw parameters as received (`time`, `start`, `end`, `step`, `timeout`), null when absent. */
  params: Record<'time' | 'start' | 'end' | 'step' | 'timeout', string | null>;
  /** Evaluation time in Unix seconds: `time`, or the server clock when absent (instant queries). */
  evaluatedAt: number | null;
  /** Label matchers of every selector, unquoted; empty when the query did not parse. */
  selectors: Selector[];
  /** Range durations (`[1h]` → `1h`). */
  ranges: string[];
  status: number;
};

export type FakePrometheusOptions = { clock?: () => number };

export type FakePrometheus = {
  /** Base URL, as `PROMETHEUS_URL` takes it. */
  url: string;
  queries: FakePrometheusQuery[];
  /** Answers queries whose PromQL matches `pattern` with these series (the first matching pattern wins). */
  answer(pattern: RegExp, series: CannedSeries[]): void;
  /** Fails the next `times` queries matching `pattern` (every one when `times` is omitted). */
  fail(pattern: RegExp, failure: FakePrometheusFailure, times?: number): void;
  close(): Promise<void>;
};

/** Prometheus refuses range queries that would return more points per series than this. */
const MAX_POINTS = 11_000;

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function sendError(res: ServerResponse, status: number, errorType: string, error: string): void {
  sendJson(res, status, { status: 'error', errorType, error });
}

/** `<rfc3339 | unix_timestamp>` → Unix seconds. */
function parseTime(raw: string): number | null {
  if (/^-?\d+(\.\d+)?$/.test(raw)) return Number(raw);
  const ms = Date.parse(raw);
  return Number.isNaN(ms) || !/^\d{4}-\d{2}-\d{2}T/.test(raw) ? null : ms / 1000;
}

const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86_400, w: 604_800, y: 31_536_000 };

/** `<duration | float seconds>` → seconds (`step`, `timeout`). */
function parseDuration(raw: string): number | null {
  if (/^\d+(\.\d+)?$/.test(raw)) return Number(raw);
  const parts = [...raw.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== raw) return null;
  return parts.reduce((sum, p) => sum + Number(p[1]) * (UNIT_SECONDS[p[2] ?? 's'] ?? 1), 0);
}

/** Sample values go over the wire as strings, with Go's spelling of the special values. */
function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const type = req.headers['content-type'] ?? '';
  return type.startsWith('application/x-www-form-urlencoded') ? new URLSearchParams(Buffer.concat(chunks).toString('utf8')) : new URLSearchParams();
}

function scoped(series: CannedSeries, selectors: Selector[]): boolean {
  return selectors.every((s) => s.matchers.every((m) => m.op !== '=' || series.metric[m.label] === undefined || series.metric[m.label] === m.value));
}

export async function startFakePrometheus(options: FakePrometheusOptions = {}): Promise<FakePrometheus> {
  const clock = options.clock ?? Date.now;
  const canned: { pattern: RegExp; series: CannedSeries[] }[] = [];
  const failures: { pattern: RegExp; failure: FakePrometheusFailure; remaining: number }[] = [];
  const queries: FakePrometheusQuery[] = [];

  function takeFailure(query: string): FakePrometheusFailure | null {
    const found = failures.find((f) => f.remaining > 0 && f.pattern.test(query));
    if (!found) return null;
    found.remaining -= 1;
    return found.failure;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const endpoint = url.pathname === '/api/v1/query' ? 'query' : url.pathname === '/api/v1/query_range' ? 'query_range' : null;
    if (!endpoint) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('404 page not found\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'POST') {
      res.writeHead(405, { allow: 'GET, POST' });
      res.end();
      return;
    }
    // Like Go's Request.FormValue: the body's form fields take precedence over the URL's.
    const params = new URLSearchParams(url.searchParams);
    if (req.method === 'POST') for (const [k, v] of await readForm(req)) params.set(k, v);
    const query = params.get('query') ?? '';
    const raw = { time: params.get('time'), start: params.get('start'), end: params.get('end'), step: params.get('step'), timeout: params.get('timeout') };
    const parsed = readPromql(query);
    const record: FakePrometheusQuery = {
      endpoint, method: req.method, contentType: req.headers['content-type'] ?? null, query, params: raw, evaluatedAt: null,
      selectors: parsed.ok ? parsed.selectors : [], ranges: parsed.ok ? parsed.ranges : [], status: 200,
    };
    queries.push(record);
    const reply = (status: number, errorType: string, error: string) => {
      record.status = status;
      sendError(res, status, errorType, error);
    };

    const failure = takeFailure(query);
    if (failure && 'delayMs' in failure) await sleep(failure.delayMs);
    if (failure && 'hang' in failure) return;
    if (failure && 'stallBody' in failure) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"status":"success","data":{"resultType":"vector","result":[');
      return;
    }
    if (failure && 'errorType' in failure) return reply(failure.status, failure.errorType, failure.error);
    if (failure && 'body' in failure) {
      record.status = failure.status;
      res.writeHead(failure.status, { 'content-type': 'text/plain' });
      res.end(failure.body);
      return;
    }

    if (!parsed.ok) return reply(400, 'bad_data', `invalid parameter "query": ${parsed.error}`);
    if (raw.timeout !== null && parseDuration(raw.timeout) === null) return reply(400, 'bad_data', `invalid parameter "timeout": cannot parse "${raw.timeout}" to a valid duration`);
    const series = canned.find((c) => c.pattern.test(query))?.series.filter((s) => scoped(s, parsed.selectors)) ?? [];

    if (endpoint === 'query') {
      const at = raw.time === null ? clock() / 1000 : parseTime(raw.time);
      if (at === null) return reply(400, 'bad_data', `invalid parameter "time": cannot parse "${raw.time ?? ''}" to a valid timestamp`);
      record.evaluatedAt = at;
      return sendJson(res, 200, { status: 'success', data: { resultType: 'vector', result: series.map((s) => ({ metric: s.metric, value: [at, formatValue(s.value)] })) } });
    }

    for (const name of ['start', 'end', 'step'] as const) {
      if (raw[name] === null) return reply(400, 'bad_data', `invalid parameter "${name}": cannot parse "" to a valid ${name === 'step' ? 'duration' : 'timestamp'}`);
    }
    const start = parseTime(raw.start ?? '');
    const end = parseTime(raw.end ?? '');
    const step = parseDuration(raw.step ?? '');
    if (start === null) return reply(400, 'bad_data', `invalid parameter "start": cannot parse "${raw.start ?? ''}" to a valid timestamp`);
    if (end === null) return reply(400, 'bad_data', `invalid parameter "end": cannot parse "${raw.end ?? ''}" to a valid timestamp`);
    if (step === null) return reply(400, 'bad_data', `invalid parameter "step": cannot parse "${raw.step ?? ''}" to a valid duration`);
    if (end < start) return reply(400, 'bad_data', 'invalid parameter "end": end timestamp must not be before start time');
    if (step <= 0) return reply(400, 'bad_data', 'invalid parameter "step": zero or negative query resolution step widths are not accepted. Try a positive integer');
    if ((end - start) / step > MAX_POINTS) return reply(400, 'bad_data', 'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)');
    const times: number[] = [];
    for (let t = start; t <= end; t += step) times.push(t);
    return sendJson(res, 200, { status: 'success', data: { resultType: 'matrix', result: series.map((s) => ({ metric: s.metric, values: times.map((t) => [t, formatValue(s.value)]) })) } });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendError(res, 500, 'internal', String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    queries,
    answer(pattern, series) {
      canned.push({ pattern, series });
    },
    fail(pattern, failure, times = Infinity) {
      failures.unshift({ pattern, failure, remaining: times });
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
