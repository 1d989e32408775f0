import type { Queryable } from '../db/make-pool.js';

/**
 * Autovacuum's analyze rule with its defaults (autovacuum_analyze_threshold 50,
 * autovacuum_analyze_scale_factor 0.1), applied to the change in row count; and a
 * table past the threshold that has no column statistics at all. `rows` is
 * pg_class.reltuples, which CREATE INDEX and VACUUM also set without collecting
 * column statistics.
 */
export function casesNeedAnalyze(s: { count: number; rows: number; hasStatistics: boolean }): boolean {
  const known = s.hasStatistics ? Math.max(s.rows, 0) : 0;
  return Math.abs(s.count - known) > 50 + 0.1 * known;
}

/**
 * Refreshes the planner statistics of kb_cases when its size has drifted from what they
 * describe. Search is served by the HNSW index only when the planner knows the table
 * is large (sql/005); PGlite has no autovacuum and keeps no modification counters, so
 * the row count is what we have. Returns whether it analyzed.
 */
export async function analyzeCasesIfGrown(db: Queryable, count: number): Promise<boolean> {
  const r = await db.query<{ rows: number; has_statistics: boolean }>(
    `SELECT c.reltuples AS rows,
            EXISTS (SELECT 1 FROM pg_stats s WHERE s.schemaname = n.nspname AND s.tablename = c.relname AND s.attname = 'embedding_model') AS has_statistics
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.oid = 'kb_cases'::regclass`,
  );
  const row = r.rows[0];
  if (!casesNeedAnalyze({ count, rows: Number(row?.rows ?? -1), hasStatistics: row?.has_statistics ?? false })) return false;
  await db.query('ANALYZE kb_cases');
  return true;
}
