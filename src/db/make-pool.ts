import pg from 'pg';
import type { Logger } from '../observability/logger.js';

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;
export type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;

/** The one `pg` pool every SQL statement goes through, embedded or PostgreSQL. */
export function makePool(options: { connectionString: string; max: number; logger: Logger }): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max,
    // Fail fast when the database is down so intake answers 503 instead of hanging.
    connectionTimeoutMillis: 3000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client's error (server restarted) must not crash the process.
  pool.on('error', (err) => options.logger.warn({ err }, 'idle database connection failed'));
  // A checked-out client whose connection drops between queries emits 'error' with no
  // pool listener attached; without this the process would crash on a database restart.
  pool.on('connect', (client) => {
    client.on('error', (err) => options.logger.warn({ err }, 'database connection lost'));
  });
  return pool;
}

/** Runs `fn` in a transaction; rolls back and rethrows on error. */
export async function withTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
