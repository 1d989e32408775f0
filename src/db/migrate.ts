import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import type { Logger } from '../observability/logger.js';

/** Arbitrary constant shared by every k8flex replica: "k8flex migrate" as two int4s. */
const MIGRATION_LOCK = [0x6b38666c, 0x6d696772] as const;


export type Migration = { version: string; sql: string; requires: string | null };

/** Migrations named `NNN_name.sql`; a first line `-- requires: vector` marks an optional one. */
export function readMigrations(dir = findSqlDir()): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3}_.+\.sql$/.test(f))
    .sort()
    .map((f) => {
      const sql = readFileSync(join(dir, f), 'utf8');
      const requires = /^-- requires: (\w+)/m.exec(sql)?.[1] ?? null;
      return { version: f.replace(/\.sql$/, ''), sql, requires };
    });
}

function findSqlDir(): string {
  // src/db → ../../sql when run with tsx; dist/src/db → ../../../sql when compiled.
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [join(here, '..', '..', 'sql'), join(here, '..', '..', '..', 'sql')]) {
    try {
      readdirSync(candidate);
      return candidate;
    } catch {
      // try the next layout
    }
  }
  throw new Error(`sql/ directory not found near ${here}`);
}

export type MigrationResult = { applied: string[]; skipped: string[] };

/**
 * Applies pending migrations in order, each in its own transaction, under a
 * session advisory lock so concurrent replicas starting together are safe.
 * A migration that needs an extension the server lacks (pgvector) is skipped and
 * retried at the next start; the core runs without it.
 */
export async function migrate(pool: pg.Pool, logger: Logger, migrations = readMigrations()): Promise<MigrationResult> {
  const client = await pool.connect();
  const applied: string[] = [];
  const skipped: string[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1, $2)', [...MIGRATION_LOCK]);
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const done = new Set((await client.query<{ version: string }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version));
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      if (m.requires && !(await extensionAvailable(client, m.requires))) {
        logger.warn({ migration: m.version, extension: m.requires }, 'extension not available; migration skipped');
        skipped.push(m.version);
        continue;
      }
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [m.version]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${m.version} failed: ${(err as Error).message}`, { cause: err });
      }
      applied.push(m.version);
      logger.info({ migration: m.version }, 'migration applied');
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1, $2)', [...MIGRATION_LOCK]).catch(() => undefined);
    client.release();
  }
  return { applied, skipped };
}

async function extensionAvailable(client: pg.PoolClient, name: string): Promise<boolean> {
  const r = await client.query('SELECT 1 FROM pg_available_extensions WHERE name = $1', [name]);
  return (r.rowCount ?? 0) > 0;
}

/** True when every non-optional migration has been applied (readiness). */
export async function migrationsApplied(pool: pg.Pool, migrations = readMigrations()): Promise<boolean> {
  const r = await pool.query<{ version: string }>('SELECT version FROM schema_migrations');
  const done = new Set(r.rows.map((row) => row.version));
  return migrations.every((m) => m.requires !== null || done.has(m.version));
}
