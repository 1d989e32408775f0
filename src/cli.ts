#!/usr/bin/env node
import { connect } from 'node:net';
import { loadConfig } from './config/load-config.js';
import { makePool } from './db/make-pool.js';
import { migrate } from './db/migrate.js';
import { startEmbeddedDatabase } from './db/start-embedded-database.js';
import { ConfigError } from './errors.js';
import { buildKnowledgeBase } from './kb/build-knowledge-base.js';
import { KB_USAGE, runKbCommand } from './kb/cli/run-kb-command.js';
import { startService } from './main.js';
import { makeLogger } from './observability/logger.js';

const USAGE = `usage: k8flex [serve|migrate|kb]
  serve     run the service (default): webhook, worker, watcher and dashboard roles
  migrate   apply database migrations and exit
  kb        search, list, export and import knowledge base cases (k8flex kb help)`;

async function serve(): Promise<void> {
  const service = await startService(process.env);
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) {
      service.logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    service.logger.info({ signal }, 'shutting down');
    service.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        service.logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

async function migrateOnly(): Promise<void> {
  const config = loadConfig(process.env).env;
  const logger = makeLogger({ level: config.LOG_LEVEL });
  const embedded = config.DATABASE_URL ? null : await startEmbeddedDatabase({ dataDir: config.DATA_DIR, port: 0 });
  const connectionString = config.DATABASE_URL ?? embedded?.connectionString ?? '';
  const pool = makePool({ connectionString, max: 2, logger });
  const result = await migrate(pool, logger);
  logger.info(result, 'migrations done');
  await pool.end();
  await embedded?.stop();
}

/**
 * `k8flex kb <sub>`: opens the database as `migrate` does. The embedded database is
 * one PGlite process over DATA_DIR and cannot be opened twice, so when something
 * already answers on EMBEDDED_DB_PORT (k8flex serve) we refuse instead of corrupting it.
 */
async function kbCommand(args: string[]): Promise<void> {
  if (args[0] === undefined || args[0] === 'help' || args[0] === '--help') {
    console.log(KB_USAGE);
    return;
  }
  const { env, llm } = loadConfig(process.env);
  const logger = makeLogger({ level: env.LOG_LEVEL, destination: process.stderr });
  if (!env.DATABASE_URL && env.EMBEDDED_DB_PORT > 0 && (await listening(env.EMBEDDED_DB_PORT))) {
    console.error(
      `k8flex: the embedded database in ${env.DATA_DIR} is in use (something listens on 127.0.0.1:${env.EMBEDDED_DB_PORT}, k8flex serve?).\n` +
        'Use the API (/api/v1/kb/cases) or psql against that port (docs/sql.md), or stop k8flex first.',
    );
    process.exit(75);
  }
  const embedded = env.DATABASE_URL ? null : await startEmbeddedDatabase({ dataDir: env.DATA_DIR, port: 0 });
  const pool = makePool({ connectionString: env.DATABASE_URL ?? embedded?.connectionString ?? '', max: 2, logger });
  let code = 1;
  try {
    const kb = await buildKnowledgeBase({ env, llm, pool, logger });
    if (!kb) console.error('k8flex: the knowledge base is off (KB_ENABLED=false, or no kb_cases table: run k8flex migrate with pgvector)');
    else code = await runKbCommand(args, { db: pool, kb }, { stdout: process.stdout, stderr: process.stderr });
  } finally {
    await pool.end();
    await embedded?.stop();
  }
  process.exitCode = code;
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function main(argv: string[]): Promise<void> {
  const command = argv[0] ?? 'serve';
  if (command === 'serve') return serve();
  if (command === 'migrate') return migrateOnly();
  if (command === 'kb') return kbCommand(argv.slice(1));
  if (command === '--help' || command === 'help') {
    console.log(USAGE);
    return;
  }
  console.error(`unknown command ${command}\n${USAGE}`);
  process.exit(2);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof ConfigError) {
    console.error(`k8flex: ${err.message}`);
    process.exit(78);
  }
  console.error('k8flex: failed to start:', err);
  process.exit(1);
});
