import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { embedLocally, makeLocalEmbedder } from '../../src/embeddings/local-embedder.js';
import { makeKnowledgeBase, type KnowledgeBase } from '../../src/kb/make-knowledge-base.js';
import { withTransaction } from '../../src/db/make-pool.js';
import { caseSearchQuery, EF_SEARCH, setHnswScan, type CaseQuery } from '../../src/kb/search-cases.js';
import { startTestDb, type TestDb } from '../support/test-db.js';
import { withoutHnswIndexes } from '../support/without-hnsw-indexes.js';

/** Past the size (about 2,000 rows) at which the planner starts preferring the HNSW index. */
const CASES = 3_000;
const WORDS = ['timeout', 'refused', 'quota', 'evicted', 'throttled', 'probe', 'volume', 'secret', 'dns', 'tls', 'memory', 'disk', 'image', 'panic'];
const KNOWN = 'KubePodCrashLooping\noom-killed\nworkload shop/orders\norders-7c9d8f6b5-x2k4q was OOMKilled exit code 137 limit 512Mi';

/** Cluster of the i-th case: five common clusters, and one case in a thousand in `rare`. */
const clusterOf = (i: number) => (i % 1000 === 999 ? 'rare' : `prod-${i % 5}`);

async function plan(db: TestDb, q: CaseQuery): Promise<string> {
  const query = caseSearchQuery(q);
  assert.ok(query);
  const r = await db.pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${query.text}`, query.values);
  return r.rows.map((row) => row['QUERY PLAN']).join('\n');
}

describe('knowledge base search plan', () => {
  let db: TestDb;
  let kb: KnowledgeBase;
  const query = (over: Partial<CaseQuery>): CaseQuery => ({ embedding: embedLocally(KNOWN), model: kb.model, cluster: null, threshold: 0, topK: 5, ...over });

  before(async () => {
    db = await startTestDb();
    kb = makeKnowledgeBase({ pool: db.pool, embedder: makeLocalEmbedder() });
    await withoutHnswIndexes(db.pool, async () => {
      for (let from = 0; from < CASES; from += 500) {
        const values: string[] = [];
        const params: unknown[] = [];
        for (let i = from; i < Math.min(CASES, from + 500); i++) {
          const text = i === 1 ? KNOWN : `Synthetic-${i % 17}\ncrashloop\nworkload team-${i % 13}/svc-${i}\n${WORDS[i % WORDS.length]} ${WORDS[(i * 7) % WORDS.length]} after ${i} attempts`;
          const p = params.length;
          values.push(`($${p + 1}, 'Synthetic', 'crashloop', $${p + 2}, 'synthetic', '', 'correct', now(), $${p + 3}, $${p + 4}, $${p + 5})`);
          params.push(randomUUID(), clusterOf(i), text, JSON.stringify(embedLocally(text)), kb.model);
        }
        await db.pool.query(
          `INSERT INTO kb_cases (id, alertname, category, cluster, root_cause, analysis, verdict, validated_at, embedded_text, embedding, embedding_model)
           VALUES ${values.join(', ')}`,
          params,
        );
      }
    });
    // As after any write: the count refreshes the planner's statistics.
    assert.equal(await kb.count(), CASES);
  });
  after(async () => db?.close());

  it('analyzes kb_cases once it has grown, so the planner knows its size', async () => {
    const r = await db.pool.query<{ reltuples: number }>("SELECT reltuples FROM pg_class WHERE oid = 'kb_cases'::regclass");
    assert.equal(Number(r.rows[0]?.reltuples), CASES);
  });

  it('serves a search of every cluster from the HNSW index', async () => {
    assert.match(await plan(db, query({})), /Index Scan using kb_cases_embedding_384/);
  });

  it('serves a search of one common cluster, leaving out an incident, from the HNSW index', async () => {
    assert.match(await plan(db, query({ cluster: 'prod-1', excludeIncidentId: randomUUID() })), /Index Scan using kb_cases_embedding_384/);
  });

  it('serves a search of a rare cluster from kb_cases_scope with an exact sort', async () => {
    const p = await plan(db, query({ cluster: 'rare' }));
    assert.doesNotMatch(p, /kb_cases_embedding_384/);
    assert.match(p, /kb_cases_scope/);
    assert.match(p, /Sort/);
  });

  it('finds the stored case first and fills the top 5 from the filtered cluster', async () => {
    const hits = await kb.search({ text: KNOWN, cluster: 'prod-1', threshold: 0, topK: 5 });
    assert.equal(hits.length, 5);
    assert.equal(hits[0]?.embeddedText, KNOWN);
    assert.ok(hits.every((h) => h.cluster === 'prod-1'));
  });

  it('sets ef_search and the strict-order iterative scan for the search transaction only', async () => {
    const inside = await withTransaction(db.pool, async (client) => {
      await setHnswScan(client, 5);
      const r = await client.query<{ ef: string; iterative: string }>("SELECT current_setting('hnsw.ef_search') AS ef, current_setting('hnsw.iterative_scan') AS iterative");
      return r.rows[0];
    });
    assert.deepEqual(inside, { ef: String(EF_SEARCH), iterative: 'strict_order' });
    const after = await db.pool.query<{ iterative: string }>("SELECT current_setting('hnsw.iterative_scan') AS iterative");
    assert.equal(after.rows[0]?.iterative, 'off');
  });

  it('returns every case of a rare cluster, nearest first', async () => {
    const hits = await kb.search({ text: KNOWN, cluster: 'rare', threshold: 0, topK: 5 });
    assert.equal(hits.length, 3);
    assert.ok(hits.every((h, i) => i === 0 || (hits[i - 1]?.similarity ?? 0) >= h.similarity));
  });
});
