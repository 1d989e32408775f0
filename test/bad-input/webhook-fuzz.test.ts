import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Service } from '../../src/main.js';
import { makePayload } from '../support/alerts.js';
import { startTestService } from '../support/test-service.js';

/**
 * 10,000 generated malformed webhook bodies from a seeded PRNG (rerun a failure with
 * FUZZ_SEED): each body carries at least one defect that makes it invalid, plus
 * optional noise (huge strings, deep nesting, invalid UTF-8) that alone would not.
 * Every answer must be a 4xx with a JSON error, nothing may be written, the process
 * must keep serving, and the heap must not grow with the number of requests.
 */

const COUNT = 10_000;
const CONCURRENCY = 16;
const SEED = Number(process.env.FUZZ_SEED ?? 11);
const TOKEN = 'fuzz-token';

/** mulberry32: small, fast, good enough for test data. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Case = { body: Buffer; contentType: string; defect: string };
type Obj = Record<string, unknown>;

function generator(seed: number): () => Case {
  const rnd = prng(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const junkString = (len: number) => Array.from({ length: len }, () => String.fromCharCode(int(0x2fff) + 1)).join('');
  const nested = (depth: number): unknown => {
    let v: unknown = 'x';
    for (let i = 0; i < depth; i++) v = pick([[v], { a: v }]);
    return v;
  };
  const basePayload = (): Obj => makePayload([{ fingerprint: `fz${int(1e9)}`, labels: { namespace: 'fuzz', pod: 'p-1' } }]) as unknown as Obj;
  const alert0 = (p: Obj): Obj => (p.alerts as Obj[])[0]!;

  const wrongValues: unknown[] = [null, 0, -1, 1.5, true, 'x', [], {}, [1, 2], { a: 1 }, '\u0000', Number.MAX_VALUE];
  /** Each of these alone makes the payload invalid. */
  const defects: Record<string, (p: Obj) => unknown> = {
    'no version': (p) => (delete p.version, p),
    'wrong version': (p) => ((p.version = pick(['3', 4, '', null, ['4']])), p),
    'no alerts': (p) => (delete p.alerts, p),
    'alerts of wrong type': (p) => ((p.alerts = pick(wrongValues.filter((v) => !Array.isArray(v) || v.length > 0))), p),
    'empty alerts': (p) => ((p.alerts = []), p),
    'deeply nested alerts': (p) => ((p.alerts = nested(200 + int(2000))), p),
    'labels of wrong type': (p) => ((alert0(p).labels = pick([null, 1, 'a=b', [], [['alertname', 'x']]])), p),
    'no alertname': (p) => (delete (alert0(p).labels as Obj).alertname, p),
    'label value not a string': (p) => (((alert0(p).labels as Obj).pod = pick([1, null, {}, ['a'], true])), p),
    'huge label value': (p) => (((alert0(p).labels as Obj).pod = junkString(16 * 1024 + 1 + int(4000))), p),
    'bad startsAt': (p) => ((alert0(p).startsAt = pick(['yesterday', '', 12345, null, '2026-13-45T99:99:99Z'])), p),
    'bad fingerprint': (p) => ((alert0(p).fingerprint = pick(['', 7, null, 'f'.repeat(257)])), p),
    'NUL in a label or annotation': (p) => ((pick([alert0(p).labels, alert0(p).annotations]) as Obj)[pick(['pod', 'summary', 'x\u0000y'])] = 'a\u0000b', p),
    'bad alert status': (p) => ((alert0(p).status = pick(['burning', '', 1, null])), p),
    'bad payload status': (p) => ((p.status = pick(['FIRING', 'ok', 0])), p),
    'negative truncatedAlerts': (p) => ((p.truncatedAlerts = pick([-1, 'many', 1.5])), p),
    'body not an object': () => pick([[], 1, 'alerts', null, true, [{ version: '4' }]]),
  };
  /** Harmless alone; layered on top of a defect. */
  const noise: ((p: Obj) => void)[] = [
    (p) => void (p[junkString(1 + int(20))] = junkString(int(2000))),
    (p) => void (p.extra = nested(1 + int(500))),
    (p) => void ((alert0(p).annotations as Obj).description = junkString(int(8000))),
    (p) => void ((p.commonLabels as Obj)['a'.repeat(int(900))] = 'b'),
  ];

  return () => {
    const kind = rnd();
    if (kind < 0.04) return { body: Buffer.from(JSON.stringify(basePayload())), contentType: pick(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml']), defect: 'wrong content type' };
    if (kind < 0.06) return { body: Buffer.alloc(64 * 1024 + 1 + int(64 * 1024), 0x7b), contentType: 'application/json', defect: 'oversize' };
    if (kind < 0.12) {
      const text = JSON.stringify(basePayload());
      const broken = pick([text.slice(0, int(text.length)), text.replace(/"/, ''), `${text}}`, `{${text}`, junkString(int(300)), '', 'null x', "{'version':'4'}", 'NaN']);
      return { body: Buffer.from(broken), contentType: 'application/json', defect: 'not JSON' };
    }
    const payload = basePayload();
    const defect = pick(Object.keys(defects));
    for (let i = int(3); i > 0; i--) pick(noise)(payload);
    const invalidUtf8 = rnd() < 0.1;
    // Invalid UTF-8 (0xff, a lone continuation byte, a truncated sequence) goes into a
    // noise field of its own, so it can never mask the defect by corrupting a key.
    if (invalidUtf8) payload.noise = '@@BYTES@@';
    const value = defects[defect]!(payload);
    let body = Buffer.from(JSON.stringify(value) ?? 'undefined');
    if (invalidUtf8) {
      const at = body.indexOf('@@BYTES@@');
      if (at >= 0) body = Buffer.concat([body.subarray(0, at), Buffer.from([0xff, 0xfe, 0x80, 0xc3]), body.subarray(at + 9)]);
    }
    return { body, contentType: pick(['application/json', 'application/json; charset=utf-8', 'application/vnd.alertmanager+json']), defect };
  };
}

function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  gc();
}

describe('fuzzed webhook bodies', () => {
  let s: Service;
  before(async () => {
    s = await startTestService({ WEBHOOK_AUTH_TOKEN: TOKEN, WEBHOOK_BODY_LIMIT: '64kb' });
  });
  after(async () => {
    await s.stop();
  });

  it(`answers ${COUNT} malformed bodies with a 4xx JSON error, writes nothing and keeps its heap flat`, async () => {
    const next = generator(SEED);
    const statuses = new Map<number, number>();
    const bad: string[] = [];
    let sent = 0;
    const send = async (c: Case) => {
      const res = await fetch(`${s.url}/webhook`, { method: 'POST', headers: { 'content-type': c.contentType, authorization: `Bearer ${TOKEN}` }, body: c.body });
      const text = await res.text();
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      let error: unknown;
      try {
        error = (JSON.parse(text) as { error?: unknown }).error;
      } catch {
        error = undefined;
      }
      const isJson = /^application\/json/.test(res.headers.get('content-type') ?? '');
      if (res.status < 400 || res.status >= 500 || !isJson || typeof error !== 'string') {
        if (bad.length < 5) bad.push(`${c.defect}: ${res.status} ${text.slice(0, 200)}`);
      }
    };
    const worker = async (n: number) => {
      while (sent < n) {
        sent++;
        await send(next());
      }
    };
    // Warm up, then measure the heap across the bulk of the run.
    await Promise.all(Array.from({ length: CONCURRENCY }, () => worker(500)));
    collectGarbage();
    const heapBefore = process.memoryUsage().heapUsed;
    await Promise.all(Array.from({ length: CONCURRENCY }, () => worker(COUNT)));
    collectGarbage();
    const heapAfter = process.memoryUsage().heapUsed;

    assert.equal(sent, COUNT);
    assert.deepEqual(bad, [], `seed ${SEED}: every answer is a 4xx with {"error": string}; statuses ${JSON.stringify([...statuses])}`);
    assert.ok([...statuses.keys()].every((code) => code === 400 || code === 413 || code === 415), JSON.stringify([...statuses]));
    const growthMiB = (heapAfter - heapBefore) / 2 ** 20;
    assert.ok(growthMiB < 48, `heap grew by ${growthMiB.toFixed(1)} MiB over ${COUNT - 500} requests`);

    const rows = await s.pool.query(`SELECT (SELECT count(*) FROM alerts)::int AS alerts, (SELECT count(*) FROM incidents)::int AS incidents, (SELECT count(*) FROM jobs)::int AS jobs`);
    assert.deepEqual(rows.rows[0], { alerts: 0, incidents: 0, jobs: 0 }, 'no row written');

    const ok = await fetch(`${s.url}/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify(makePayload([{ fingerprint: 'after-fuzz', labels: { namespace: 'fuzz' } }])),
    });
    assert.equal(ok.status, 200, 'the service still accepts a valid webhook afterwards');
  });
});
