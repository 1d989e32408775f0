import type pg from 'pg';
import { withTransaction } from '../db/make-pool.js';
import { CASE_COLUMNS, caseFromRow, type CaseRow } from './case-from-row.js';
import type { CaseMatch } from './kb-case.js';

export type CaseQuery = {
  embedding: number[];
  /** Only cases embedded by this model are compared. */
  model: string;
  /** Null searches every cluster. */
  cluster: string | null;
  /** Minimum cosine similarity (0..1). */
  threshold: number;
  topK: number;
  /** Leave out the incident being investigated. */
  excludeIncidentId?: string | null;
};

/**
 * Candidates the HNSW scan keeps (pgvector's default is 40). Higher finds more of the
 * exact top k (bench/kb.bench.ts measures it) for a little more time per search.
 */
export const EF_SEARCH = 100;

/**
 * HNSW settings for the rest of the client's transaction. The iterative scan (pgvector
 * ≥ 0.8) keeps walking the graph until LIMIT rows pass the cluster and model filters,
 * so a filtered search still returns k cases when k exist; with an older pgvector it
 * is not set, since setting an unknown hnsw.* parameter would fail.
 */
export async function setHnswScan(client: pg.PoolClient, topK: number): Promise<void> {
  await client.query(
    `SELECT set_config('hnsw.ef_search', $1, true),
       (SELECT set_config('hnsw.iterative_scan', 'strict_order', true) FROM pg_extension
        WHERE extname = 'vector' AND (regexp_match(extversion, '^(\\d+)\\.(\\d+)'))::int[] >= '{0,8}')`,
    [String(Math.max(EF_SEARCH, topK))],
  );
}

/**
 * The nearest-cases statement, or null for an embedding without dimensions. The vector
 * is cast to its fixed dimension, the dimension filter is a literal (it must imply the
 * partial index's predicate), and the ORDER BY is the bare distance: all three are
 * needed for the HNSW index of that dimension (sql/003_kb_cases.sql) to serve it. The
 * dimension comes from our embedding, never from input.
 */
export function caseSearchQuery(q: CaseQuery): { text: string; values: unknown[] } | null {
  const dims = q.embedding.length;
  if (!Number.isInteger(dims) || dims < 1) return null;
  const vec = `$1::vector(${dims})`;
  const values: unknown[] = [JSON.stringify(q.embedding), q.model, q.topK];
  let where = `vector_dims(embedding) = ${dims} AND embedding_model = $2`;
  if (q.cluster !== null) {
    values.push(q.cluster);
    where += ` AND cluster = $${values.length}`;
  }
  if (q.excludeIncidentId) {
    values.push(q.excludeIncidentId);
    where += ` AND incident_id IS DISTINCT FROM $${values.length}::uuid`;
  }
  return {
    text: `SELECT ${CASE_COLUMNS}, embedding::vector(${dims}) <=> ${vec} AS distance
     FROM kb_cases WHERE ${where}
     ORDER BY embedding::vector(${dims}) <=> ${vec}
     LIMIT $3`,
    values,
  };
}

/**
 * Nearest cases by cosine similarity. Filters are exact: the planner serves a broad
 * scope from the HNSW index and a small one (a rare cluster) from kb_cases_scope with
 * an exact sort, as long as kb_cases has statistics (analyzeCasesIfGrown). The
 * threshold is applied to the top k afterwards, which keeps the same cases as
 * filtering first since it is monotone in distance, and keeps the ORDER BY indexable.
 */
export async function searchCases(pool: pg.Pool, q: CaseQuery): Promise<CaseMatch[]> {
  const query = caseSearchQuery(q);
  if (!query) return [];
  const r = await withTransaction(pool, async (client) => {
    await setHnswScan(client, q.topK);
    return client.query<CaseRow & { distance: number }>(query.text, query.values);
  });
  return r.rows
    .map((row) => ({ ...caseFromRow(row), similarity: 1 - Number(row.distance) }))
    .filter((m) => m.similarity >= q.threshold);
}
