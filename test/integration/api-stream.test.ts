import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { parseEnv } from '../../src/config/config.js';
import { makeApiRouters, type ApiDeps } from '../../src/http/api/make-api-routers.js';
import { makeApp } from '../../src/http/make-app.js';
import { silentLogger } from '../../src/observability/logger.js';
import { makeAnalysisBus, type AnalysisBus } from '../../src/pipeline/analysis-bus.js';
import { failIncident } from '../../src/store/incident-queries.js';
import { startTestDb, type TestDb } from '../support/test-db.js';
import { eventually } from '../support/test-service.js';

type SseEvent = { event: string; data: Record<string, unknown> };

/** Reads Server-Sent Events from a fetch response, one at a time. */
function sseReader(res: Response): { next(): Promise<SseEvent | null> } {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  return {
    async next() {
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (block.startsWith(':')) continue;
          const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
          const data = JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? '{}') as Record<string, unknown>;
          return { event, data };
        }
        const { value, done } = await reader.read();
        if (done) return null;
        buffer += decoder.decode(value, { stream: true });
      }
    },
  };
}

describe('GET /api/v1/incidents/{id}/stream', () => {
  let db: TestDb;
  let server: Server;
  let url: string;
  let subscribed = 0;
  const inner = makeAnalysisBus();
  // Counts live subscriptions so the test can see a closed stream let go of the bus.
  const bus: AnalysisBus = {
    publish: inner.publish,
    partial: inner.partial,
    subscribe(id, listener) {
      subscribed++;
      const off = inner.subscribe(id, listener);
      return () => {
        subscribed--;
        off();
      };
    },
  };

  before(async () => {
    db = await startTestDb();
    const deps: ApiDeps = {
      pool: db.pool,
      bus,
      config: parseEnv({}),
      cluster: 'test',
      logger: silentLogger(),
      onJobsCreated: () => undefined,
      streamPollIntervalMs: 100,
    };
    server = makeApp({ pool: db.pool, logger: deps.logger, routers: [], apiRouters: makeApiRouters(deps), isShuttingDown: () => false }).listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await db.close();
  });

  const newIncident = async () => {
    const r = await fetch(`${url}/api/v1/incidents`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ description: 'deploy/api in -n shop keeps crashing' }),
    });
    return ((await r.json()) as { incident_id: string }).incident_id;
  };
  const complete = async (id: string, text: string) => {
    await db.pool.query(
      `INSERT INTO analyses (incident_id, mode, category, summary, root_cause, confidence, owner, text, sections)
       VALUES ($1, 'offline', 'pod-crash', 's', 'r', 'high', 'application', $2, '{}')`,
      [id, text],
    );
    await db.pool.query(`UPDATE incidents SET status = 'completed', completed_at = now() WHERE id = $1`, [id]);
  };
  const open = async (id: string) => {
    const res = await fetch(`${url}/api/v1/incidents/${id}/stream`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
    return sseReader(res);
  };

  it('sends the stored analysis and done at once for a completed incident, then ends', async () => {
    const id = await newIncident();
    await complete(id, '## Summary\nThe container ran out of memory.');
    const events = await open(id);
    assert.deepEqual(await events.next(), { event: 'chunk', data: { text: '## Summary\nThe container ran out of memory.' } });
    assert.deepEqual(await events.next(), { event: 'done', data: { status: 'completed', error: null } });
    assert.equal(await events.next(), null);
  });

  it('sends the text written so far first, then each new chunk live, then done', async () => {
    const id = await newIncident();
    bus.publish(id, { type: 'chunk', text: '## Summary\n' });
    bus.publish(id, { type: 'chunk', text: 'The pod ' });
    const events = await open(id);
    assert.deepEqual(await events.next(), { event: 'chunk', data: { text: '## Summary\nThe pod ' } });
    bus.publish(id, { type: 'chunk', text: 'crashed.' });
    assert.deepEqual(await events.next(), { event: 'chunk', data: { text: 'crashed.' } });
    await complete(id, '## Summary\nThe pod crashed.');
    bus.publish(id, { type: 'done', status: 'completed' });
    assert.deepEqual(await events.next(), { event: 'done', data: { status: 'completed', error: null } });
    assert.equal(await events.next(), null);
  });

  it('polls the database when nothing streams in this process and sends the stored text once the incident completes', async () => {
    const id = await newIncident();
    const events = await open(id);
    await complete(id, 'written by another replica');
    assert.deepEqual(await events.next(), { event: 'chunk', data: { text: 'written by another replica' } });
    assert.deepEqual(await events.next(), { event: 'done', data: { status: 'completed', error: null } });
  });

  it('ends with done and the error when the investigation fails', async () => {
    const id = await newIncident();
    const events = await open(id);
    await failIncident(db.pool, id, 'cluster exploded');
    bus.publish(id, { type: 'done', status: 'failed' });
    assert.deepEqual(await events.next(), { event: 'done', data: { status: 'failed', error: 'cluster exploded' } });
  });

  it('lets go of the analysis bus when the client disconnects', async () => {
    const id = await newIncident();
    const before = subscribed;
    const controller = new AbortController();
    const res = await fetch(`${url}/api/v1/incidents/${id}/stream`, { signal: controller.signal });
    assert.equal(res.status, 200);
    await eventually(async () => (subscribed === before + 1 ? true : undefined), 5000, 'the stream to subscribe');
    controller.abort();
    await eventually(async () => (subscribed === before ? true : undefined), 5000, 'the stream to unsubscribe');
  });

  it('answers 404 for an unknown incident and 400 for a malformed id, as JSON', async () => {
    const unknown = await fetch(`${url}/api/v1/incidents/00000000-0000-4000-8000-000000000000/stream`);
    assert.equal(unknown.status, 404);
    assert.match(((await unknown.json()) as { error: string }).error, /not found/);
    const malformed = await fetch(`${url}/api/v1/incidents/abc/stream`);
    assert.equal(malformed.status, 400);
    assert.ok(((await malformed.json()) as { error: string }).error);
  });
});
