import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { serializeExtendedProtocol } from './serialize-extended-protocol.js';

export type EmbeddedDatabase = {
  connectionString: string;
  port: number;
  /** Stop accepting connections (the data stays); `start` serves again on the same port. */
  pause(): Promise<void>;
  resume(): Promise<void>;
  stop(): Promise<void>;
};

/**
 * PGlite (Postgres compiled to WASM) with pgvector, served on a loopback port by
 * pglite-socket so our `pg` pool and a user's `psql` both connect to it. PGlite has
 * a single backend: connections are multiplexed by the socket server, which keeps a
 * transaction's statements together. Session state (advisory locks, SET) is shared
 * by all connections — fine for the single process that owns the data directory.
 */
export async function startEmbeddedDatabase(options: { dataDir: string; port: number; maxConnections?: number }): Promise<EmbeddedDatabase> {
  const inMemory = options.dataDir === 'memory://' || options.dataDir === '';
  if (!inMemory) mkdirSync(options.dataDir, { recursive: true });
  const db = await PGlite.create({ dataDir: inMemory ? 'memory://' : options.dataDir, extensions: { vector } });
  const maxConnections = options.maxConnections ?? 50;
  let port = options.port;
  let server: PGLiteSocketServer | null = null;

  async function serve(): Promise<void> {
    const s = new PGLiteSocketServer({ db, port, host: '127.0.0.1', maxConnections });
    serializeExtendedProtocol(s);
    await s.start();
    port = Number(s.getServerConn().split(':').pop());
    server = s;
  }
  await serve();

  return {
    get connectionString() {
      return `postgres://postgres:postgres@127.0.0.1:${port}/postgres?sslmode=disable`;
    },
    get port() {
      return port;
    },
    async pause() {
      const s = server;
      server = null;
      await s?.stop();
    },
    async resume() {
      if (!server) await serve();
    },
    async stop() {
      const s = server;
      server = null;
      await s?.stop();
      await db.close();
    },
  };
}
