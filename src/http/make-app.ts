import express, { type Express, type Router } from 'express';
import type pg from 'pg';
import { migrationsApplied } from '../db/migrate.js';
import type { Logger } from '../observability/logger.js';
import { metricsRegistry } from '../observability/metrics.js';
import { makeErrorMiddleware } from './error-middleware.js';

export type AppDeps = {
  pool: pg.Pool;
  logger: Logger;
  /** Routers mounted at the root (webhook, Slack events, dashboard). */
  routers: Router[];
  /** Routers mounted under /api/v1. */
  apiRouters: Router[];
  isShuttingDown: () => boolean;
};

export function makeApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    if (deps.isShuttingDown()) {
      res.status(503).json({ status: 'shutting down' });
      return;
    }
    try {
      const ready = await migrationsApplied(deps.pool);
      res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'migrations pending' });
    } catch (err) {
      res.status(503).json({ status: 'database unreachable', error: (err as Error).message });
    }
  });
  app.get('/metrics', async (_req, res) => {
    res.set('Content-Type', metricsRegistry.contentType);
    res.send(await metricsRegistry.metrics());
  });

  for (const r of deps.routers) app.use(r);
  const api = express.Router();
  api.use(express.json({ limit: '256kb' }));
  for (const r of deps.apiRouters) api.use(r);
  api.use((req, res) => {
    res.status(404).json({ error: `no route ${req.method} /api/v1${req.path}` });
  });
  app.use('/api/v1', api);
  app.use(makeErrorMiddleware(deps.logger));
  return app;
}
