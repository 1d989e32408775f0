import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { embedLocally } from '../../src/embeddings/local-embedder.js';
import { makeEmbedder } from '../../src/embeddings/make-embedder.js';
import { makeKnowledgeBase } from '../../src/kb/make-knowledge-base.js';
import { startTestDb } from '../support/test-db.js';

type Seen = { method: string; url: string; headers: IncomingHttpHeaders; body: Record<string, unknown> };
type Reply = { status: number; json: unknown };

/** A loopback server answering each request with `answer(request)`, recording what the SDK sent. */
async function fakeApi(answer: (req: Seen) => Reply) {
  const seen: Seen[] = [];
  const server = createServer(async (req, res) => {
    let raw = '';
    for await (const part of req) raw += String(part);
    const request = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: raw ? (JSON.parse(raw) as Record<string, unknown>) : {} };
    seen.push(request);
    const { status, json } = answer(request);
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(json));
  }).listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** Small deterministic vectors, so the reply says which text it belongs to. */
const DIMS = 8;
const vectorOf = (text: string) => embedLocally(text, DIMS);

describe('OpenAI embedder on the wire', () => {
  let api: Awaited<ReturnType<typeof fakeApi>>;
  let status = 200;
  before(async () => {
    api = await fakeApi((req) => {
      if (status !== 200) return { status, json: { error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' } } };
      const input = req.body.input as string[];
      // Out of order on purpose: clients must place each vector by its index.
      const data = input.map((t, index) => ({ object: 'embedding', index, embedding: vectorOf(t) })).reverse();
      return { status: 200, json: { object: 'list', data, model: req.body.model, usage: { prompt_tokens: 4, total_tokens: 4 } } };
    });
  });
  after(() => api.close());
  const embedder = () => makeEmbedder({ provider: 'openai', model: 'text-embedding-3-small', apiKey: 'sk-test', baseUrl: `${api.url}/v1` });

  it('posts the texts to /v1/embeddings with the key and returns one vector per text in input order', async () => {
    const e = embedder();
    assert.equal(e.model, 'openai/text-embedding-3-small');
    const vectors = await e.embed(['pod OOMKilled', 'connection refused']);
    assert.deepEqual(vectors, [vectorOf('pod OOMKilled'), vectorOf('connection refused')]);
    const req = api.seen.at(-1);
    assert.equal(req?.method, 'POST');
    assert.equal(req?.url, '/v1/embeddings');
    assert.equal(req?.headers.authorization, 'Bearer sk-test');
    assert.deepEqual(req?.body, { model: 'text-embedding-3-small', input: ['pod OOMKilled', 'connection refused'], encoding_format: 'float' });
  });

  it('sends nothing for no texts', async () => {
    const before = api.seen.length;
    assert.deepEqual(await embedder().embed([]), []);
    assert.equal(api.seen.length, before);
  });

  it('rejects with the API’s message when the key is refused', async () => {
    status = 401;
    try {
      await assert.rejects(embedder().embed(['x']), /Incorrect API key provided/);
    } finally {
      status = 200;
    }
  });

  it('serves the knowledge base: a case stored and searched with these vectors is found', async () => {
    const db = await startTestDb();
    try {
      const kb = makeKnowledgeBase({ pool: db.pool, embedder: embedder() });
      const id = await kb.put({
        id: '0b0e9f5e-7a0c-4f8e-9d36-3f5a8f0b1c2d', incidentId: null, alertname: 'KubePodCrashLooping', severity: null, category: 'oom-killed',
        cluster: 'prod', namespace: 'shop', workloadKind: null, workloadName: null, title: null, rootCause: 'heap above limit', analysis: '',
        evidence: [], findings: [], correction: null, verdict: 'correct', validatedBy: 'U1', validatedAt: '2026-11-20T10:00:00Z', embeddedText: 'pod OOMKilled',
      });
      const hits = await kb.search({ text: 'pod OOMKilled', cluster: null, threshold: 0.99, topK: 5 });
      assert.deepEqual(hits.map((h) => [h.id, h.embeddingModel]), [[id, 'openai/text-embedding-3-small']]);
    } finally {
      await db.close();
    }
  });
});

describe('Gemini embedder on the wire', () => {
  let api: Awaited<ReturnType<typeof fakeApi>>;
  let drop = false;
  before(async () => {
    api = await fakeApi((req) => {
      const requests = req.body.requests as { content: { parts: { text: string }[] } }[];
      const embeddings = requests.map((r) => ({ values: vectorOf(r.content.parts.map((p) => p.text).join('')) }));
      return { status: 200, json: { embeddings: drop ? embeddings.slice(1) : embeddings } };
    });
  });
  after(() => api.close());
  const embedder = () => makeEmbedder({ provider: 'gemini', model: 'text-embedding-004', apiKey: 'g-test', baseUrl: api.url });

  it('posts one batchEmbedContents request for similarity and returns the vectors in order', async () => {
    const e = embedder();
    assert.equal(e.model, 'gemini/text-embedding-004');
    assert.deepEqual(await e.embed(['pod OOMKilled', 'connection refused']), [vectorOf('pod OOMKilled'), vectorOf('connection refused')]);
    const req = api.seen.at(-1);
    assert.equal(req?.url, '/v1beta/models/text-embedding-004:batchEmbedContents');
    assert.equal(req?.headers['x-goog-api-key'], 'g-test');
    const requests = req?.body.requests as Record<string, unknown>[];
    assert.equal(requests.length, 2);
    assert.deepEqual(requests[0], { model: 'models/text-embedding-004', content: { parts: [{ text: 'pod OOMKilled' }], role: 'user' }, taskType: 'SEMANTIC_SIMILARITY' });
  });

  it('rejects a reply with fewer vectors than texts rather than misaligning cases', async () => {
    drop = true;
    try {
      await assert.rejects(embedder().embed(['a', 'b']), /Gemini returned 1 embeddings for 2 texts/);
    } finally {
      drop = false;
    }
  });
});

describe('Ollama embedder on the wire', () => {
  let api: Awaited<ReturnType<typeof fakeApi>>;
  before(async () => {
    api = await fakeApi((req) => {
      if (req.body.model !== 'nomic-embed-text') return { status: 404, json: { error: `model "${String(req.body.model)}" not found, try pulling it first` } };
      const input = req.body.input as string[];
      return { status: 200, json: { model: req.body.model, embeddings: input.map(vectorOf), total_duration: 1, load_duration: 1, prompt_eval_count: 2 } };
    });
  });
  after(() => api.close());

  it('posts the texts to /api/embed with the default model and returns the vectors', async () => {
    const e = makeEmbedder({ provider: 'ollama', model: null, apiKey: null, baseUrl: api.url });
    assert.equal(e.model, 'ollama/nomic-embed-text');
    assert.deepEqual(await e.embed(['pod OOMKilled', 'connection refused']), [vectorOf('pod OOMKilled'), vectorOf('connection refused')]);
    const req = api.seen.at(-1);
    assert.equal(req?.url, '/api/embed');
    assert.deepEqual(req?.body, { model: 'nomic-embed-text', input: ['pod OOMKilled', 'connection refused'] });
  });

  it('rejects with Ollama’s message when the model is not pulled', async () => {
    const e = makeEmbedder({ provider: 'ollama', model: 'mxbai-embed-large', apiKey: null, baseUrl: api.url });
    await assert.rejects(e.embed(['x']), /model "mxbai-embed-large" not found, try pulling it first/);
  });
});
