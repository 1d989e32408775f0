import type pg from 'pg';

/**
 * Runs a bulk load of kb_cases with its HNSW indexes dropped, then builds them again
 * from their own definitions: building once over all rows is several times faster than
 * inserting each row into the graph (bench/kb.bench.ts), as for any large import.
 */
export async function withoutHnswIndexes<T>(pool: pg.Pool, load: () => Promise<T>): Promise<T> {
  const r = await pool.query<{ name: string; def: string }>(
    `SELECT c.relname AS name, pg_get_indexdef(c.oid) AS def
     FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam
     WHERE i.indrelid = 'kb_cases'::regclass AND am.amname = 'hnsw'`,
  );
  for (const idx of r.rows) await pool.query(`DROP INDEX ${idx.name}`);
  const result = await load();
  const client = await pool.connect();
  try {
    // The build is fast while the graph fits in maintenance_work_mem (64 MB by default,
    // about 30,000 384-dimensional cases); past it pgvector goes on much more slowly.
    await client.query("SET maintenance_work_mem = '512MB'");
    for (const idx of r.rows) await client.query(idx.def);
  } finally {
    await client.query('RESET maintenance_work_mem').catch(() => undefined);
    client.release();
  }
  return result;
}
