import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Router } from 'express';
import { parseEnv } from '../../src/config/config.js';
import { summarizeDeployment, type DeploymentSummary } from '../../src/http/api/deployment-summary.js';
import { makeApiRouters, type ApiDeps } from '../../src/http/api/make-api-routers.js';
import { OPENAPI_DOCUMENT } from '../../src/http/api/openapi-document.js';
import { makeApp } from '../../src/http/make-app.js';
import { ingestWebhook } from '../../src/intake/ingest-webhook.js';
import { silentLogger } from '../../src/observability/logger.js';
import { makeAnalysisBus } from '../../src/pipeline/analysis-bus.js';
import { makePayload } from '../support/alerts.js';
import { startTestDb, type TestDb } from '../support/test-db.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function apiDeps(db: TestDb, overrides: Partial<ApiDeps> = {}): ApiDeps {
  return { pool: db.pool, bus: makeAnalysisBus(), config: parseEnv({}), cluster: 'test', logger: silentLogger(), onJobsCreated: () => undefined, ...overrides };
}

async function serveApi(deps: ApiDeps): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = makeApp({ pool: deps.pool, logger: deps.logger, routers: [], apiRouters: makeApiRouters(deps), isShuttingDown: () => false }).listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const getJson = async (url: string, status = 200): Promise<Json> => {
  const r = await fetch(url);
  const body = (await r.json()) as Json;
  assert.equal(r.status, status, `${url}: ${JSON.stringify(body)}`);
  return body;
};

const DEPLOYMENTS: DeploymentSummary[] = [
  { namespace: 'shop', name: 'cart', desired: 3, ready: 3, available: 3, updated: 3, problem: null, failing: false },
  { namespace: 'shop', name: 'checkout', desired: 2, ready: 0, available: 0, updated: 2, problem: 'ProgressDeadlineExceeded: ReplicaSet "checkout-7f" has timed out progressing.', failing: true },
  { namespace: 'auth', name: 'login', desired: 1, ready: 1, available: 1, updated: 1, problem: null, failing: false },
];

describe('read routes before the later tables exist', () => {
  let db: TestDb;
  let api: Awaited<ReturnType<typeof serveApi>>;
  let noCluster: Awaited<ReturnType<typeof serveApi>>;
  let brokenCluster: Awaited<ReturnType<typeof serveApi>>;

  before(async () => {
    db = await startTestDb();
    // As before the learning loop's and rollout watcher's migrations (002–004) existed.
    await db.pool.query('DROP TABLE IF EXISTS feedback, feedback_state, kb_cases, rollouts CASCADE');
    api = await serveApi(apiDeps(db, { listDeployments: async () => DEPLOYMENTS }));
    noCluster = await serveApi(apiDeps(db));
    brokenCluster = await serveApi(apiDeps(db, { listDeployments: async () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6443')) }));
    await ingestWebhook(
      db.pool,
      makePayload([
        { fingerprint: 'a1', labels: { namespace: 'shop', pod: 'cart-5d8f9c7b6d-x2x4k' } },
        { fingerprint: 'a2', alertname: 'KubeNodeNotReady', labels: { node: 'node-2' } },
        { fingerprint: 'a3', status: 'resolved', labels: { namespace: 'auth', deployment: 'login' } },
      ]),
      { cluster: 'test', maxAttempts: 3 },
    );
  });
  after(async () => {
    await Promise.all([api.close(), noCluster.close(), brokenCluster.close()]);
    await db.close();
  });

  it('lists alerts most recently received first, filtered by status, namespace, alert name and free text', async () => {
    const all = await getJson(`${api.url}/api/v1/alerts`);
    assert.equal(all.items.length, 3);
    assert.ok(all.items.every((a: Json) => typeof a.fingerprint === 'string' && typeof a.labels === 'object' && Date.parse(a.starts_at)));
    assert.deepEqual((await getJson(`${api.url}/api/v1/alerts?status=resolved`)).items.map((a: Json) => a.fingerprint), ['a3']);
    assert.deepEqual((await getJson(`${api.url}/api/v1/alerts?namespace=shop`)).items.map((a: Json) => a.fingerprint), ['a1']);
    assert.deepEqual((await getJson(`${api.url}/api/v1/alerts?alertname=KubeNodeNotReady`)).items.map((a: Json) => a.fingerprint), ['a2']);
    assert.deepEqual((await getJson(`${api.url}/api/v1/alerts?q=x2x4k`)).items.map((a: Json) => a.fingerprint), ['a1']);
    assert.ok((await getJson(`${api.url}/api/v1/alerts?status=maybe`, 400)).error);
  });

  it('answers {"items": []} for rollouts and knowledge base cases while their tables do not exist', async () => {
    assert.deepEqual(await getJson(`${api.url}/api/v1/rollouts`), { items: [] });
    assert.deepEqual(await getJson(`${api.url}/api/v1/kb/cases?q=oom`), { items: [] });
    assert.ok((await getJson(`${api.url}/api/v1/rollouts?limit=-1`, 400)).error);
  });

  it('counts incidents by status, category and source, and says accuracy is not available without feedback', async () => {
    const stats = await getJson(`${api.url}/api/v1/stats`);
    assert.equal(stats.total, 2);
    assert.deepEqual(stats.by_status, { pending: 2 });
    assert.deepEqual(stats.by_source, { alert: 2 });
    assert.deepEqual(stats.by_category, { uncategorized: 2 });
    assert.deepEqual(stats.accuracy, { available: false, by_category: [] });
  });

  it('lists Deployments sorted by namespace, and only the failing ones on request', async () => {
    const all = await getJson(`${api.url}/api/v1/cluster/deployments`);
    assert.equal(all.available, true);
    assert.equal(all.notice, null);
    assert.deepEqual(all.items.map((d: Json) => `${d.namespace}/${d.name}`), ['auth/login', 'shop/cart', 'shop/checkout']);
    const failing = await getJson(`${api.url}/api/v1/cluster/deployments?failing=true`);
    assert.deepEqual(failing.items.map((d: Json) => d.name), ['checkout']);
    assert.deepEqual((await getJson(`${api.url}/api/v1/cluster/deployments?namespace=auth`)).items.map((d: Json) => d.name), ['login']);
    assert.ok((await getJson(`${api.url}/api/v1/cluster/deployments?failing=perhaps`, 400)).error);
  });

  it('says clearly when there is no cluster access, or when the Kubernetes API cannot be read', async () => {
    const none = await getJson(`${noCluster.url}/api/v1/cluster/deployments`);
    assert.equal(none.available, false);
    assert.match(none.notice, /No Kubernetes access is configured/);
    assert.deepEqual(none.items, []);
    const broken = await getJson(`${brokenCluster.url}/api/v1/cluster/deployments`);
    assert.equal(broken.available, false);
    assert.match(broken.notice, /could not be read: connect ECONNREFUSED/);
  });
});

describe('summarizeDeployment', () => {
  it('reads ready/desired replicas and names a failing condition', () => {
    const d = summarizeDeployment({
      metadata: { namespace: 'shop', name: 'checkout' },
      spec: { replicas: 2, selector: {}, template: {} },
      status: {
        readyReplicas: 1,
        updatedReplicas: 2,
        conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'timed out' }],
      },
    });
    assert.deepEqual(d, { namespace: 'shop', name: 'checkout', desired: 2, ready: 1, available: 0, updated: 2, problem: 'ProgressDeadlineExceeded: timed out', failing: true });
  });
});

describe('read routes once the learning loop and rollout watcher tables exist', () => {
  let db: TestDb;
  let api: Awaited<ReturnType<typeof serveApi>>;
  let incidentId: string;

  before(async () => {
    db = await startTestDb();
    api = await serveApi(apiDeps(db));
    // Stand-ins for the later migrations, in a database of their own (whatever those
    // migrations define, this test's schema is the one it reads).
    await db.pool.query('DROP TABLE IF EXISTS feedback, feedback_state, kb_cases, rollouts CASCADE');
    await db.pool.query('CREATE EXTENSION IF NOT EXISTS vector');
    await db.pool.query(`CREATE TABLE feedback (id bigserial PRIMARY KEY, incident_id uuid REFERENCES incidents (id), verdict text,
                           correction text, user_name text, created_at timestamptz NOT NULL DEFAULT now())`);
    await db.pool.query(`CREATE TABLE kb_cases (id bigserial PRIMARY KEY, incident_id uuid, alertname text, category text, root_cause text,
                           embedding vector(3), embedding_model text, validated_at timestamptz NOT NULL DEFAULT now())`);
    await db.pool.query(`CREATE TABLE rollouts (id bigserial PRIMARY KEY, namespace text, deployment text, status text, reason text,
                           incident_id uuid, created_at timestamptz NOT NULL DEFAULT now())`);
    const r = await fetch(`${api.url}/api/v1/incidents`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ description: 'pod api-0 in namespace shop is OOMKilled' }) });
    incidentId = ((await r.json()) as Json).incident_id;
    await db.pool.query(`UPDATE incidents SET category = 'oom-killed' WHERE id = $1`, [incidentId]);
    await db.pool.query(`INSERT INTO feedback (incident_id, verdict, correction, user_name, created_at) VALUES
                           ($1, 'correct', NULL, 'ana', now() - interval '1 minute'), ($1, 'incorrect', 'it was the memory limit of the sidecar', 'bo', now())`, [incidentId]);
    await db.pool.query(`INSERT INTO kb_cases (incident_id, alertname, category, root_cause, embedding, embedding_model) VALUES
                           ($1, 'ManualInvestigation', 'oom-killed', 'Java heap larger than the container limit', '[1,0,0]', 'local'),
                           (NULL, 'KubePodCrashLooping', 'pod-crash', 'Missing DATABASE_URL', '[0,1,0]', 'local')`, [incidentId]);
    await db.pool.query(`INSERT INTO rollouts (namespace, deployment, status, reason, incident_id) VALUES ('shop', 'checkout', 'failed', 'ProgressDeadlineExceeded', $1)`, [incidentId]);
  });
  after(async () => {
    await api.close();
    await db.close();
  });

  it('shows an incident with its feedback, oldest first', async () => {
    const i = await getJson(`${api.url}/api/v1/incidents/${incidentId}`);
    assert.deepEqual(i.feedback.map((f: Json) => [f.verdict, f.user_name, f.correction]), [
      ['correct', 'ana', null],
      ['incorrect', 'bo', 'it was the memory limit of the sidecar'],
    ]);
  });

  it('lists rollouts as whole rows', async () => {
    const { items } = await getJson(`${api.url}/api/v1/rollouts`);
    assert.equal(items.length, 1);
    assert.equal(items[0].deployment, 'checkout');
    assert.equal(items[0].incident_id, incidentId);
    assert.deepEqual((await getJson(`${api.url}/api/v1/rollouts?namespace=elsewhere`)).items, []);
  });

  it('lists knowledge base cases without embeddings, searches them, and attaches each case its verdict history', async () => {
    const { items } = await getJson(`${api.url}/api/v1/kb/cases`);
    assert.equal(items.length, 2);
    assert.ok(items.every((c: Json) => !('embedding' in c) && c.embedding_model === 'local'));
    const heap = await getJson(`${api.url}/api/v1/kb/cases?q=java%20heap`);
    assert.deepEqual(heap.items.map((c: Json) => c.root_cause), ['Java heap larger than the container limit']);
    assert.deepEqual(heap.items[0].verdicts.map((v: Json) => v.verdict), ['correct', 'incorrect']);
    assert.deepEqual((await getJson(`${api.url}/api/v1/kb/cases?category=pod-crash`)).items[0].verdicts, []);
  });

  it('computes accuracy by category from feedback verdicts', async () => {
    const stats = await getJson(`${api.url}/api/v1/stats`);
    assert.deepEqual(stats.accuracy, { available: true, by_category: [{ category: 'oom-killed', correct: 1, incorrect: 1, accuracy: 0.5 }] });
  });

  it('counts each incident once, by its current verdict, when feedback_state exists', async () => {
    await db.pool.query(`CREATE TABLE feedback_state (incident_id uuid PRIMARY KEY, verdict text)`);
    await db.pool.query(`INSERT INTO feedback_state VALUES ($1, 'incorrect')`, [incidentId]);
    const stats = await getJson(`${api.url}/api/v1/stats`);
    assert.deepEqual(stats.accuracy, { available: true, by_category: [{ category: 'oom-killed', correct: 0, incorrect: 1, accuracy: 0 }] });
  });
});

describe('the OpenAPI document at /api/v1/openapi.json', () => {
  let db: TestDb;
  let deps: ApiDeps;
  let api: Awaited<ReturnType<typeof serveApi>>;
  const doc = OPENAPI_DOCUMENT as unknown as Json;

  before(async () => {
    db = await startTestDb();
    deps = apiDeps(db, { listDeployments: async () => DEPLOYMENTS });
    api = await serveApi(deps);
  });
  after(async () => {
    await api.close();
    await db.close();
  });

  /** Every method + path the API routers register, in OpenAPI spelling. */
  function registeredRoutes(routers: Router[]): string[] {
    const routes: string[] = [];
    for (const router of routers) {
      for (const layer of (router as unknown as { stack: Json[] }).stack) {
        if (!layer.route) continue;
        const path = String(layer.route.path).replace(/:(\w+)/g, '{$1}');
        for (const method of Object.keys(layer.route.methods)) routes.push(`${method.toUpperCase()} ${path}`);
      }
    }
    return routes.sort();
  }

  function documentedRoutes(): string[] {
    return Object.entries(doc.paths as Json)
      .flatMap(([path, item]) => Object.keys(item as Json).map((method) => `${method.toUpperCase()} ${path}`))
      .sort();
  }

  function resolve(schema: Json): Json {
    return schema.$ref ? doc.components.schemas[String(schema.$ref).split('/').pop()!] : schema;
  }

  /** Checks the required properties (through $ref and allOf) of a JSON answer, and array items. */
  function conforms(schema: Json, value: unknown, where: string): void {
    const s = resolve(schema);
    for (const part of s.allOf ?? []) conforms(part, value, where);
    if (s.required) {
      assert.equal(typeof value, 'object', where);
      for (const key of s.required) assert.ok(key in (value as Json), `${where}: missing ${key}`);
    }
    if (s.properties && value && typeof value === 'object') {
      for (const [key, sub] of Object.entries(s.properties as Json)) {
        const v = (value as Json)[key];
        if (Array.isArray(v) && (sub as Json).items) v.forEach((item, i) => conforms((sub as Json).items, item, `${where}.${key}[${i}]`));
      }
    }
  }

  it('is served as JSON and is OpenAPI 3', async () => {
    const served = await getJson(`${api.url}/api/v1/openapi.json`);
    assert.match(served.openapi, /^3\./);
    assert.deepEqual(served, JSON.parse(JSON.stringify(OPENAPI_DOCUMENT)));
  });

  it('documents exactly the routes the API registers', () => {
    assert.deepEqual(documentedRoutes(), registeredRoutes(makeApiRouters(deps)));
  });

  it('matches what every documented route answers: a documented status and the documented required fields', async () => {
    const created = await fetch(`${api.url}/api/v1/incidents`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"description":"pod web-1 in namespace edge is Pending"}' });
    const { incident_id: id } = (await created.json()) as Json;
    assert.ok(doc.paths['/incidents'].post.responses[String(created.status)]);
    await db.pool.query(`UPDATE incidents SET status = 'failed', error = 'x', completed_at = now() WHERE id = $1`, [id]);

    const calls: Array<[path: string, url: string]> = [
      ['/incidents', '/incidents'],
      ['/incidents', '/incidents?status=nope'],
      ['/incidents/{id}', `/incidents/${id}`],
      ['/incidents/{id}', '/incidents/00000000-0000-4000-8000-000000000000'],
      ['/incidents/{id}', '/incidents/bad'],
      ['/incidents/{id}/stream', '/incidents/bad/stream'],
      ['/alerts', '/alerts'],
      ['/rollouts', '/rollouts'],
      ['/kb/cases', '/kb/cases'],
      ['/stats', '/stats'],
      ['/cluster/deployments', '/cluster/deployments'],
      ['/openapi.json', '/openapi.json'],
    ];
    for (const [path, url] of calls) {
      const r = await fetch(`${api.url}/api/v1${url}`);
      const documented = doc.paths[path].get.responses[String(r.status)];
      assert.ok(documented, `GET ${url} answered ${r.status}, which ${path} does not document`);
      conforms(documented.content['application/json'].schema, await r.json(), `GET ${url}`);
    }
    const stream = await fetch(`${api.url}/api/v1/incidents/${id}/stream`);
    assert.ok(doc.paths['/incidents/{id}/stream'].get.responses[String(stream.status)]);
    assert.ok(doc.paths['/incidents/{id}/stream'].get.responses['200'].content[stream.headers.get('content-type')!.split(';')[0]!]);
    await stream.text();
  });
});
