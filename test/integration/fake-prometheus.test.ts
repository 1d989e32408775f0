import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startFakePrometheus, type FakePrometheus } from '../support/fake-prometheus.js';

/**
 * The fake Prometheus answers the way the real HTTP API does, so tests built on it
 * (prometheus-metrics.test.ts) fail for the reasons a real server would fail them.
 */

const NOW_MS = 1_718_000_000_000;

describe('fake Prometheus HTTP API', () => {
  let prom: FakePrometheus;
  before(async () => {
    prom = await startFakePrometheus({ clock: () => NOW_MS });
    prom.answer(/^up\{/, [{ metric: { __name__: 'up', job: 'a', pod: 'p1' }, value: 1 }, { metric: { __name__: 'up', job: 'b', pod: 'p2' }, value: NaN }]);
  });
  after(() => prom.close());

  const get = async (path: string, params: Record<string, string>) => {
    const res = await fetch(`${prom.url}${path}?${new URLSearchParams(params)}`);
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('answers an instant query with a vector at the server clock, values as strings, filtered by = matchers', async () => {
    const { status, body } = await get('/api/v1/query', { query: 'up{pod="p2"}' });
    assert.equal(status, 200);
    assert.deepEqual(body, { status: 'success', data: { resultType: 'vector', result: [{ metric: { __name__: 'up', job: 'b', pod: 'p2' }, value: [NOW_MS / 1000, 'NaN'] }] } });
  });

  it('answers a form-encoded POST range query with a matrix of one point per step', async () => {
    const res = await fetch(`${prom.url}/api/v1/query_range`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ query: 'up{pod="p1"}', start: '2024-06-10T06:18:00Z', end: '1718000400', step: '2m' }),
    });
    const body = (await res.json()) as { data: { resultType: string; result: Array<{ values: unknown[] }> } };
    assert.equal(res.status, 200);
    assert.equal(body.data.resultType, 'matrix');
    assert.deepEqual(body.data.result[0]?.values, [[1718000280, '1'], [1718000400, '1']]);
    assert.equal(prom.queries.at(-1)?.method, 'POST');
  });

  it('rejects a query whose string literal is broken by a quote with 400 bad_data', async () => {
    const { status, body } = await get('/api/v1/query', { query: 'up{pod="a"b"}' });
    assert.equal(status, 400);
    assert.equal(body.status, 'error');
    assert.equal(body.errorType, 'bad_data');
    assert.match(String(body.error), /^invalid parameter "query": 1:\d+: parse error/);
  });

  it('rejects a trailing backslash that escapes the closing quote', async () => {
    assert.equal((await get('/api/v1/query', { query: 'up{pod="a\\"}' })).status, 400);
  });

  it('reads back matchers unquoted, and ranges, of what it accepted', async () => {
    await get('/api/v1/query', { query: 'rate(up{pod="a\\"b\\\\",job!~"x"}[5m])' });
    const last = prom.queries.at(-1);
    assert.deepEqual(last?.selectors, [{ metric: 'up', matchers: [{ label: 'pod', op: '=', value: 'a"b\\' }, { label: 'job', op: '!~', value: 'x' }] }]);
    assert.deepEqual(last?.ranges, ['5m']);
  });

  it('rejects range queries without a step, or ending before they start', async () => {
    assert.equal((await get('/api/v1/query_range', { query: 'up{}', start: '100', end: '200' })).status, 400);
    assert.match(String((await get('/api/v1/query_range', { query: 'up{}', start: '200', end: '100', step: '15' })).body.error), /end timestamp must not be before start time/);
  });

  it('answers injected failures with the error envelope and status they carry', async () => {
    prom.fail(/slow/, { status: 503, errorType: 'timeout', error: 'query timed out in expression evaluation' }, 1);
    assert.deepEqual(await get('/api/v1/query', { query: 'slow{}' }), { status: 503, body: { status: 'error', errorType: 'timeout', error: 'query timed out in expression evaluation' } });
    assert.equal((await get('/api/v1/query', { query: 'slow{}' })).status, 200, 'the failure was used up');
  });

  it('answers 404 outside the query endpoints', async () => {
    assert.equal((await fetch(`${prom.url}/api/v1/labels`)).status, 404);
  });
});
