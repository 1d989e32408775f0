#!/usr/bin/env node
import { loadConfig } from './config/load-config.js';
import { makePool } from './db/make-pool.js';
import { migrate } from './db/migrate.js';
import { startEmbeddedDatabase } from './db/start-embedded-database.js';
import { ConfigError } from './errors.js';
import { startService } from './main.js';
import { makeLogger } from './observability/logger.js';

const USAGE = `usage: k8flex [serve|migrate]
  serve     run the service (default): webhook, worker, watcher and dashboard roles
  migrate   apply database migrations and exit`;

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

async function main(argv: string[]): Promise<void> {
  const command = argv[0] ?? 'serve';
  if (command === 'serve') return serve();
  if (command === 'migrate') return migrateOnly();
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
