import type pg from 'pg';
import { makePool } from '../../src/db/make-pool.js';
import { migrate } from '../../src/db/migrate.js';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../src/db/start-embedded-database.js';
import { silentLogger } from '../../src/observability/logger.js';

export type TestDb = { pool: pg.Pool; db: EmbeddedDatabase; close(): Promise<void> };

/** A fresh in-memory PGlite (with pgvector), served on a random loopback port and migrated. */
export async function startTestDb(options: { migrate?: boolean; poolMax?: number } = {}): Promise<TestDb> {
  const db = await startEmbeddedDatabase({ dataDir: 'memory://', port: 0 });
  const pool = makePool({ connectionString: db.connectionString, max: options.poolMax ?? 5, logger: silentLogger() });
  if (options.migrate !== false) await migrate(pool, silentLogger());
  return {
    pool,
    db,
    async close() {
      await pool.end().catch(() => undefined);
      await db.stop();
    },
  };
}
