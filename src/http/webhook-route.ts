import express, { Router } from 'express';
import type pg from 'pg';
import { Counter, Histogram } from 'prom-client';
import { InputError } from '../errors.js';
import { ingestWebhook } from '../intake/ingest-webhook.js';
import { describeZodError, webhookPayloadSchema } from '../intake/webhook-schema.js';
import type { Logger } from '../observability/logger.js';
import { metricsRegistry } from '../observability/metrics.js';
import { requireBearer } from './bearer-auth.js';

const webhookAlerts = new Counter({
  name: 'k8flex_webhook_alerts_total',
  help: 'Alerts received on /webhook, by status.',
  labelNames: ['status'] as const,
  registers: [metricsRegistry],
});
const webhookRequests = new Counter({
  name: 'k8flex_webhook_requests_total',
  help: 'Webhook deliveries by HTTP status code.',
  labelNames: ['code'] as const,
  registers: [metricsRegistry],
});
const ingestSeconds = new Histogram({
  name: 'k8flex_webhook_ingest_duration_seconds',
  help: 'Time to validate and commit one webhook delivery.',
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [metricsRegistry],
});

export type WebhookRouteDeps = {
  pool: pg.Pool;
  token: string | null;
  bodyLimit: string;
  cluster: string;
  maxAttempts: number;
  onJobsCreated: () => void;
  /** Runs after the alerts are committed (rollout correlation); its failure loses nothing. */
  afterIngest?: (newIncidents: string[]) => Promise<void>;
  logger: Logger;
};

/** POST /webhook — Alertmanager's webhook receiver. 2xx only after the alerts are committed. */
export function makeWebhookRouter(deps: WebhookRouteDeps): Router {
  const router = Router();
  router.post(
    '/webhook',
    (req, res, next) => {
      res.on('finish', () => webhookRequests.inc({ code: String(res.statusCode) }));
      next();
    },
    requireBearer(deps.token, 'webhook'),
    (req, _res, next) => {
      const type = req.headers['content-type'];
      if (type && !/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) {
        return next(new InputError(`unsupported content type ${type.slice(0, 100)}; send application/json`, 415));
      }
      next();
    },
    express.json({ limit: deps.bodyLimit, type: () => true, strict: true }),
    async (req, res) => {
      const parsed = webhookPayloadSchema.safeParse(req.body);
      if (!parsed.success) throw new InputError(`invalid Alertmanager payload: ${describeZodError(parsed.error)}`);
      const payload = parsed.data;
      const stop = ingestSeconds.startTimer();
      const result = await ingestWebhook(deps.pool, payload, { cluster: deps.cluster, maxAttempts: deps.maxAttempts });
      stop();
      webhookAlerts.inc({ status: 'firing' }, result.firing);
      webhookAlerts.inc({ status: 'resolved' }, result.resolved);
      if (deps.afterIngest && result.newIncidents.length > 0) {
        await deps.afterIngest(result.newIncidents).catch((err: unknown) =>
          deps.logger.warn({ err }, 'post-ingest step failed; alerts keep their own incidents'),
        );
      }
      if (result.newIncidents.length > 0 || result.resolvedIncidents.length > 0) deps.onJobsCreated();
      if (payload.truncatedAlerts > 0) {
        deps.logger.warn({ truncatedAlerts: payload.truncatedAlerts, groupKey: payload.groupKey }, 'Alertmanager truncated this group; raise max_alerts');
      }
      res.status(200).json({
        status: 'accepted',
        alerts: result.received,
        new_incidents: result.newIncidents,
        resolved_incidents: result.resolvedIncidents,
      });
    },
  );
  return router;
}
