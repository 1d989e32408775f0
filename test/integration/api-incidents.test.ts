import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { parseEnv } from '../../src/config/config.js';
import { makeApiRouters, type ApiDeps } from '../../src/http/api/make-api-routers.js';
import { makeApp } from '../../src/http/make-app.js';
import type { Service } from '../../src/main.js';
import { silentLogger } from '../../src/observability/logger.js';
import { makeAnalysisBus } from '../../src/pipeline/analysis-bus.js';
import { startTestDb, type TestDb } from '../support/test-db.js';
import { eventually, startTestService } from '../support/test-service.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The API alone over a test database: no worker, so incidents stay as the API left them. */
async function serveApi(db: TestDb, overrides: Partial<ApiDeps> = {}): Promise<{ url: string; woken: () => number; close(): Promise<void> }> {
  let wakes = 0;
  const deps: ApiDeps = {
    pool: db.pool,
    bus: makeAnalysisBus(),
    config: parseEnv({}),
    cluster: 'test-cluster',
    logger: silentLogger(),
    onJobsCreated: () => void wakes++,
    ...overrides,
  };
  const app = makeApp({ pool: db.pool, logger: deps.logger, routers: [], apiRouters: makeApiRouters(deps), isShuttingDown: () => false });
  const server: Server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    woken: () => wakes,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const postJson = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${url}/api/v1/incidents`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('POST /api/v1/incidents', () => {
  let db: TestDb;
  let api: Awaited<ReturnType<typeof serveApi>>;
  const llmCalls: string[] = [];

  before(async () => {
    db = await startTestDb();
    api = await serveApi(db, {
      extractWithLlm: async (description) => {
        llmCalls.push(description);
        if (description.includes('llm-fails')) throw new Error('model unavailable');
        return description.includes('the payments thing') ? { namespace: 'payments', workload: 'ledger', pod: 'NOT A NAME' } : null;
      },
    });
  });
  after(async () => {
    await api.close();
    await db.close();
  });

  it('answers 202 with the incident id and opens an api incident with extracted entities, labels and one investigate job', async () => {
    const before = api.woken();
    const r = await postJson(api.url, { description: 'Pod auth-7d9f in namespace prod is OOMKilled' });
    assert.equal(r.status, 202);
    const { incident_id: id } = (await r.json()) as Json;
    assert.match(id, /^[0-9a-f-]{36}$/);
    assert.equal(r.headers.get('location'), `/api/v1/incidents/${id}`);
    assert.equal(api.woken(), before + 1);

    const row = (await db.pool.query('SELECT * FROM incidents WHERE id = $1', [id])).rows[0];
    assert.equal(row.source, 'api');
    assert.equal(row.notify, true);
    assert.equal(row.group_key, `api/${id}`);
    assert.equal(row.namespace, 'prod');
    assert.equal(row.cluster, 'test-cluster');
    assert.deepEqual(row.entities, { namespace: 'prod', pod: 'auth-7d9f' });
    assert.deepEqual(row.labels, { namespace: 'prod', pod: 'auth-7d9f' });
    assert.equal(row.workload_kind, 'Pod');
    assert.equal(row.workload_name, 'auth-7d9f');
    const jobs = (await db.pool.query('SELECT kind, status FROM jobs WHERE incident_id = $1', [id])).rows;
    assert.deepEqual(jobs, [{ kind: 'investigate', status: 'queued' }]);
  });

  it('lets the LLM fill only the entities the rules missed, keeping only valid names', async () => {
    const r = await postJson(api.url, { description: 'the payments thing is broken again, see node ip-10-0-0-7' });
    const { incident_id: id } = (await r.json()) as Json;
    const row = (await db.pool.query('SELECT entities, labels FROM incidents WHERE id = $1', [id])).rows[0];
    assert.deepEqual(row.entities, { node: 'ip-10-0-0-7', namespace: 'payments', workload: 'ledger' });
    assert.equal(row.labels.deployment, 'ledger');
    assert.ok(llmCalls.includes('the payments thing is broken again, see node ip-10-0-0-7'));
  });

  it('still opens the incident from the rules alone when the LLM extractor fails', async () => {
    const r = await postJson(api.url, { description: 'llm-fails: deploy/cart in -n shop' });
    assert.equal(r.status, 202);
    const { incident_id: id } = (await r.json()) as Json;
    const row = (await db.pool.query('SELECT entities FROM incidents WHERE id = $1', [id])).rows[0];
    assert.deepEqual(row.entities, { namespace: 'shop', workload: 'cart', workloadKind: 'Deployment' });
  });

  it('accepts a namespace and workload without a description', async () => {
    const r = await postJson(api.url, { namespace: 'shop', workload: 'sts/postgres' });
    assert.equal(r.status, 202);
    const { incident_id: id } = (await r.json()) as Json;
    const row = (await db.pool.query('SELECT * FROM incidents WHERE id = $1', [id])).rows[0];
    assert.equal(row.namespace, 'shop');
    assert.equal(row.workload_kind, 'StatefulSet');
    assert.equal(row.workload_name, 'postgres');
    assert.equal(row.labels.statefulset, 'postgres');
    assert.match(row.description, /StatefulSet shop\/postgres/);
  });

  it('opens dashboard investigations that never post to Slack', async () => {
    const r = await postJson(api.url, { description: 'checkout is slow', source: 'dashboard' });
    const { incident_id: id } = (await r.json()) as Json;
    const row = (await db.pool.query('SELECT source, notify, group_key FROM incidents WHERE id = $1', [id])).rows[0];
    assert.deepEqual(row, { source: 'dashboard', notify: false, group_key: `dashboard/${id}` });
  });

  it('returns the same incident, again with 202, for a repeated Idempotency-Key, even concurrently', async () => {
    const send = () => postJson(api.url, { description: 'svc/web in ns edge returns 502' }, { 'idempotency-key': 'req-42' });
    const answers = await Promise.all([send(), send(), send()]);
    const ids = await Promise.all(answers.map(async (r) => ((await r.json()) as Json).incident_id));
    assert.deepEqual(answers.map((r) => r.status), [202, 202, 202]);
    assert.equal(new Set(ids).size, 1);
    const n = (await db.pool.query(`SELECT count(*)::int AS n FROM incidents WHERE idempotency_key = 'req-42'`)).rows[0].n;
    assert.equal(n, 1);
    const jobs = (await db.pool.query('SELECT count(*)::int AS n FROM jobs WHERE incident_id = $1', [ids[0]])).rows[0].n;
    assert.equal(jobs, 1);
  });

  it('answers 400 with a JSON error when the description is missing or empty', async () => {
    for (const body of [{}, { description: '' }, { description: '   ' }]) {
      const r = await postJson(api.url, body);
      assert.equal(r.status, 400);
      assert.match(((await r.json()) as Json).error, /description: required/);
    }
  });

  it('answers 400 naming the field for invalid names, unknown kinds and wrong types', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ namespace: 'Prod Space', workload: 'x' }, /namespace/],
      [{ workload: 'widget/x' }, /workload: unknown kind "widget"/],
      [{ description: 42 }, /description/],
      [{ description: 'x'.repeat(4001) }, /description: at most 4000/],
      [{ description: 'x', source: 'alert' }, /source/],
    ];
    for (const [body, error] of cases) {
      const r = await postJson(api.url, body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.match(((await r.json()) as Json).error, error);
    }
  });

  it('answers 400 for malformed JSON and 415 for a body that is not JSON', async () => {
    const bad = await postJson(api.url, '{"description": ');
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as Json).error, /malformed JSON/);
    const text = await fetch(`${api.url}/api/v1/incidents`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'pod x' });
    assert.equal(text.status, 415);
    assert.ok(((await text.json()) as Json).error);
  });
});

describe('GET /api/v1/incidents and /api/v1/incidents/{id}', () => {
  let db: TestDb;
  let api: Awaited<ReturnType<typeof serveApi>>;
  const ids: Record<string, string> = {};

  before(async () => {
    db = await startTestDb();
    api = await serveApi(db);
    for (const [key, body] of Object.entries({
      oom: { description: 'Pod auth-7d9f in namespace prod is OOMKilled' },
      cart: { namespace: 'shop', workload: 'cart' },
      dns: { description: 'lookups of db.internal fail with NXDOMAIN in namespace payments', source: 'dashboard' },
    })) {
      ids[key] = (((await (await postJson(api.url, body)).json()) as Json).incident_id) as string;
    }
    await db.pool.query(`UPDATE incidents SET status = 'completed', category = 'oom-killed', completed_at = now() WHERE id = $1`, [ids.oom]);
  });
  after(async () => {
    await api.close();
    await db.close();
  });

  const list = async (query: string) => {
    const r = await fetch(`${api.url}/api/v1/incidents${query}`);
    assert.equal(r.status, 200);
    return (await r.json()) as Json;
  };

  it('lists newest first and filters by status, category, namespace and source', async () => {
    assert.deepEqual((await list('')).items.map((i: Json) => i.id), [ids.dns, ids.cart, ids.oom]);
    assert.deepEqual((await list('?status=completed')).items.map((i: Json) => i.id), [ids.oom]);
    assert.deepEqual((await list('?category=oom-killed')).items.map((i: Json) => i.id), [ids.oom]);
    assert.deepEqual((await list('?namespace=shop')).items.map((i: Json) => i.id), [ids.cart]);
    assert.deepEqual((await list('?source=dashboard')).items.map((i: Json) => i.id), [ids.dns]);
    assert.equal((await list(`?since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).items.length, 0);
  });

  it('searches free text over alert name, namespace, workload and description, treating % and _ literally', async () => {
    assert.deepEqual((await list('?q=NXDOMAIN')).items.map((i: Json) => i.id), [ids.dns]);
    assert.deepEqual((await list('?q=cart')).items.map((i: Json) => i.id), [ids.cart]);
    assert.deepEqual((await list('?q=PROD')).items.map((i: Json) => i.id), [ids.oom]);
    assert.equal((await list('?q=%25')).items.length, 0);
    assert.equal((await list('?q=ManualInvestigation')).items.length, 3);
  });

  it('pages with next_cursor until the last page, which has none', async () => {
    const first = await list('?limit=2');
    assert.equal(first.items.length, 2);
    assert.ok(first.next_cursor);
    const second = await list(`?limit=2&cursor=${first.next_cursor}`);
    assert.deepEqual(second.items.map((i: Json) => i.id), [ids.oom]);
    assert.equal(second.next_cursor, null);
  });

  it('answers 400 with a JSON error for a bad filter or cursor', async () => {
    for (const query of ['?status=exploded', '?limit=0', '?since=yesterday', '?cursor=garbage', `?q=${'x'.repeat(201)}`]) {
      const r = await fetch(`${api.url}/api/v1/incidents${query}`);
      assert.equal(r.status, 400, query);
      assert.ok(((await r.json()) as Json).error);
    }
  });

  it('shows one incident with its entities, status, times and empty analysis fields before it is analysed', async () => {
    const r = await fetch(`${api.url}/api/v1/incidents/${ids.cart}`);
    assert.equal(r.status, 200);
    const i = (await r.json()) as Json;
    assert.equal(i.status, 'pending');
    assert.equal(i.source, 'api');
    assert.deepEqual(i.entities, { namespace: 'shop', workload: 'cart', workloadKind: 'Deployment' });
    assert.deepEqual(i.workload, { kind: 'Deployment', name: 'cart' });
    assert.ok(Date.parse(i.created_at));
    assert.equal(i.completed_at, null);
    assert.equal(i.analysis, null);
    assert.equal(i.confidence, null);
    assert.equal(i.suggested_root_cause, null);
    assert.deepEqual(i.findings, []);
    assert.deepEqual(i.similar_cases, []);
    assert.deepEqual(i.feedback, []);
    assert.deepEqual(i.slack, { channel: null, permalink: null, error: null });
  });

  it('answers 404 for an unknown incident and 400 for a malformed id', async () => {
    const unknown = await fetch(`${api.url}/api/v1/incidents/00000000-0000-4000-8000-000000000000`);
    assert.equal(unknown.status, 404);
    assert.match(((await unknown.json()) as Json).error, /not found/);
    const malformed = await fetch(`${api.url}/api/v1/incidents/42`);
    assert.equal(malformed.status, 400);
    assert.match(((await malformed.json()) as Json).error, /UUID/);
  });

  it('answers 404 with a JSON error for an unknown API route', async () => {
    const r = await fetch(`${api.url}/api/v1/nothing-here`);
    assert.equal(r.status, 404);
    assert.match(((await r.json()) as Json).error, /no route GET/);
  });
});

describe('an incident opened through the API in the running service', () => {
  let s: Service;
  before(async () => {
    s = await startTestService();
  });
  after(async () => s.stop());

  it('runs the same pipeline as alerts and ends completed with a category, root cause, confidence and analysis text', async () => {
    const r = await postJson(s.url, { description: 'Pod auth-7d9f in namespace prod is OOMKilled' });
    assert.equal(r.status, 202);
    const { incident_id: id } = (await r.json()) as Json;
    const done = await eventually(async () => {
      const j = (await (await fetch(`${s.url}/api/v1/incidents/${id}`)).json()) as Json;
      return j.status === 'completed' ? j : undefined;
    });
    assert.equal(done.category, 'oom-killed');
    assert.ok(['high', 'medium', 'low'].includes(done.confidence));
    assert.equal(typeof done.suggested_root_cause, 'string');
    assert.ok(done.analysis.text.length > 0);
    assert.ok(done.completed_at);
    assert.ok(done.evidence);
  });
});
