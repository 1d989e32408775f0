import { Router } from 'express';
import type pg from 'pg';
import type { Env } from '../../config/config.js';
import type { Entities } from '../../intake/extract-entities.js';
import type { Logger } from '../../observability/logger.js';
import type { AnalysisBus } from '../../pipeline/analysis-bus.js';
import { makeAlertsRouter } from './alerts-route.js';
import { requireApiAuth } from './api-auth.js';
import { makeClusterRouter } from './cluster-route.js';
import { makeCreateIncidentRouter } from './create-incident-route.js';
import type { DeploymentSummary } from './deployment-summary.js';
import { makeIncidentStreamRouter } from './incident-stream-route.js';
import { makeIncidentsReadRouter } from './incidents-routes.js';
import { makeLaterTablesRouter } from './later-tables-routes.js';
import { OPENAPI_DOCUMENT } from './openapi-document.js';
import { makeStatsRouter } from './stats-route.js';

/** What the REST API needs from the composition root. */
export type ApiDeps = {
  pool: pg.Pool;
  bus: AnalysisBus;
  config: Env;
  cluster: string;
  logger: Logger;
  /** Wake the worker: a job was just enqueued. */
  onJobsCreated: () => void;
  /** Entity extraction by the LLM, when one is configured; fills what the rules miss. */
  extractWithLlm?: (description: string) => Promise<Partial<Entities> | null>;
  /** The cluster view's Deployments (see makeListDeployments); absent without cluster access. */
  listDeployments?: () => Promise<DeploymentSummary[]>;
  /** How often the SSE stream polls the database for analyses written elsewhere. */
  streamPollIntervalMs?: number;
};

/** Every router mounted under /api/v1. The OpenAPI document is public; the rest needs API_AUTH_TOKEN when set. */
export function makeApiRouters(deps: ApiDeps): Router[] {
  const docs = Router();
  docs.get('/openapi.json', (_req, res) => {
    res.json(OPENAPI_DOCUMENT);
  });
  const auth = Router();
  auth.use(requireApiAuth(deps.config.API_AUTH_TOKEN));
  return [
    docs,
    auth,
    makeCreateIncidentRouter(deps),
    makeIncidentStreamRouter({ pool: deps.pool, bus: deps.bus, pollIntervalMs: deps.streamPollIntervalMs }),
    makeIncidentsReadRouter({ pool: deps.pool }),
    makeAlertsRouter({ pool: deps.pool }),
    makeLaterTablesRouter({ pool: deps.pool }),
    makeStatsRouter({ pool: deps.pool }),
    makeClusterRouter({ listDeployments: deps.listDeployments, logger: deps.logger }),
  ];
}
