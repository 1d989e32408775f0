import type { Router } from 'express';
import type pg from 'pg';
import type { Env } from '../../config/config.js';
import type { Logger } from '../../observability/logger.js';
import type { AnalysisBus } from '../../pipeline/analysis-bus.js';
import { makeIncidentsReadRouter } from './incidents-routes.js';

/** What the REST API needs from the composition root. */
export type ApiDeps = {
  pool: pg.Pool;
  bus: AnalysisBus;
  config: Env;
  cluster: string;
  logger: Logger;
  /** Wake the worker: a job was just enqueued. */
  onJobsCreated: () => void;
};

/** Every router mounted under /api/v1. */
export function makeApiRouters(deps: ApiDeps): Router[] {
  return [makeIncidentsReadRouter({ pool: deps.pool })];
}
