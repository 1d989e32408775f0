import type { Queryable } from '../db/make-pool.js';
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
 * Nearest cases by cosine similarity. The vector is cast to its fixed dimension so
 * the partial HNSW index for that dimension (sql/003_kb_cases.sql) serves the order;
 * the dimension comes from our embedding, never from input.
 */
export async function searchCases(db: Queryable, q: CaseQuery): Promise<CaseMatch[]> {
  const dims = q.embedding.length;
  if (!Number.isInteger(dims) || dims < 1) return [];
  const vec = `$1::vector(${dims})`;
  const params: unknown[] = [JSON.stringify(q.embedding), q.model, q.topK];
  let where = `vector_dims(embedding) = ${dims} AND embedding_model = $2`;
  if (q.cluster !== null) {
    params.push(q.cluster);
    where += ` AND cluster = $${params.length}`;
  }
  if (q.excludeIncidentId) {
    params.push(q.excludeIncidentId);
    where += ` AND incident_id IS DISTINCT FROM $${params.length}::uuid`;
  }
  // Over-fetch from the index, then apply the threshold: the ORDER BY must stay a
  // plain distance for HNSW to serve it.
  const r = await db.query<CaseRow & { distance: number }>(
    `SELECT ${CASE_COLUMNS}, embedding::vector(${dims}) <=> ${vec} AS distance
     FROM kb_cases WHERE ${where}
     ORDER BY embedding::vector(${dims}) <=> ${vec}
     LIMIT $3`,
    params,
  );
  return r.rows
    .map((row) => ({ ...caseFromRow(row), similarity: 1 - Number(row.distance) }))
    .filter((m) => m.similarity >= q.threshold);
}
