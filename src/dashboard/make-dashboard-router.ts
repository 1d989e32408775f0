import { Router } from 'express';
import type { ApiDeps } from '../http/api/make-api-routers.js';

/** The web dashboard, served by the same process (no CDN, works offline). */
export function makeDashboardRouter(_deps: ApiDeps): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    res.type('html').send('<!doctype html><title>k8flex</title><p>k8flex is running. The API is at <a href="/api/v1/incidents">/api/v1/incidents</a>.</p>');
  });
  return router;
}
