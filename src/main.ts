import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type pg from 'pg';
import type { Env } from './config/config.js';
import { loadConfig } from './config/load-config.js';
import { makePool } from './db/make-pool.js';
import { migrate } from './db/migrate.js';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './db/start-embedded-database.js';
import { makeApp } from './http/make-app.js';
import { makeApiRouters, type ApiDeps } from './http/api/make-api-routers.js';
import { makeListDeployments } from './http/api/deployment-summary.js';
import { makeDashboardRouter } from './dashboard/make-dashboard-router.js';
import { makeWebhookRouter } from './http/webhook-route.js';
import { extractEntitiesWithLlm } from './llm/extract-entities.js';
import { attachAlertsToRollout } from './rollouts/attach-alerts-to-rollout.js';
import { makeSlackEventsRouter } from './http/slack-events-route.js';
import { makeFeedback } from './feedback/make-feedback.js';
import { schedule, type ScheduledWork } from './jobs/schedule.js';
import { makeWorker, type Worker } from './jobs/make-worker.js';
import { makeLogger, type Logger } from './observability/logger.js';
import { makeAnalysisBus, type AnalysisBus } from './pipeline/analysis-bus.js';
import { makeStages } from './pipeline/make-stages.js';
import { runInvestigation } from './pipeline/run-investigation.js';
import { failIncident } from './store/incident-queries.js';
import { startRolloutWatching } from './rollouts/start-rollout-watching.js';

/** "k8flex" "feedback" as two int4s: one feedback poller across replicas. */
const FEEDBACK_POLL_LOCK = [0x6b38666c, 0x66656564] as const;

export type Service = {
  url: string;
  port: number;
  config: Env;
  pool: pg.Pool;
  logger: Logger;
  bus: AnalysisBus;
  embedded: EmbeddedDatabase | null;
  worker: Worker | null;
  /** The feedback poller (null without a Slack bot token, FEEDBACK_POLLING=false or the worker role). */
  feedbackPoll: ScheduledWork | null;
  /** Graceful stop: intake first, then jobs (until the deadline), then the pool. */
  stop(): Promise<void>;
};

export type StartOptions = { logDestination?: NodeJS.WritableStream };

/**
 * The composition root: config → logger → database → clients → stages → worker →
 * HTTP. Nothing else constructs infrastructure.
 */
export async function startService(env: Record<string, string | undefined> = process.env, options: StartOptions = {}): Promise<Service> {
  const fullConfig = loadConfig(env);
  const config = fullConfig.env;
  const logger = makeLogger({ level: config.LOG_LEVEL, destination: options.logDestination });

  let embedded: EmbeddedDatabase | null = null;
  let connectionString = config.DATABASE_URL;
  if (!connectionString) {
    embedded = await startEmbeddedDatabase({ dataDir: config.DATA_DIR, port: config.EMBEDDED_DB_PORT });
    connectionString = embedded.connectionString;
    logger.info({ dataDir: config.DATA_DIR, psql: `psql ${embedded.connectionString}` }, 'embedded PostgreSQL (PGlite) started');
  }
  const pool = makePool({ connectionString, max: config.DB_POOL_MAX, logger });
  await migrate(pool, logger);

  if (!config.WEBHOOK_AUTH_TOKEN) logger.warn('WEBHOOK_AUTH_TOKEN is not set: /webhook accepts unauthenticated requests');
  if (!config.API_AUTH_TOKEN) logger.warn('API_AUTH_TOKEN is not set: the API and dashboard are open to anyone who can reach them');

  const bus = makeAnalysisBus();
  const stages = await makeStages({ config: fullConfig, pool, logger });
  const roles = new Set(config.ROLES);

  let worker: Worker | null = null;
  if (roles.has('worker')) {
    const deps = { pool, bus, logger, ...stages.investigation };
    worker = makeWorker({
      pool,
      logger,
      concurrency: config.ANALYSIS_CONCURRENCY,
      pollIntervalMs: config.JOB_POLL_INTERVAL_MS,
      leaseMs: config.JOB_LEASE_MS,
      backoff: { baseMs: config.JOB_BACKOFF_BASE_MS, maxMs: config.JOB_BACKOFF_MAX_MS },
      handlers: {
        investigate: (job, signal) => runInvestigation(deps, job.incidentId, signal),
        resolved: (job) => stages.notifyResolved(job.incidentId),
      },
      onFailed: async (job, error) => {
        if (job.kind === 'investigate') {
          await failIncident(pool, job.incidentId, error);
          bus.publish(job.incidentId, { type: 'done', status: 'failed' });
        }
      },
    });
    worker.start();
  }

  let stopWatching: (() => Promise<void>) | null = null;
  if (roles.has('watcher')) {
    if (stages.kubeConfig) {
      stopWatching = startRolloutWatching({ env: config, kubeConfig: stages.kubeConfig, pool, cluster: stages.cluster, onJobsCreated: () => worker?.notify(), logger });
    } else logger.warn('watcher role without Kubernetes access: rollouts are not watched');
  }

  // Feedback needs the Web API (reactions, replies); an incoming webhook cannot read them.
  const feedback = stages.slackClient
    ? makeFeedback({
      pool,
      slack: stages.slackClient,
      kb: stages.knowledgeBase,
      config: { windowHours: config.FEEDBACK_WINDOW_HOURS, reactionsPerMinute: config.FEEDBACK_REACTIONS_PER_MINUTE },
      budgets: stages.slackBudgets,
      logger,
    })
    : null;
  const feedbackPoll = feedback && config.FEEDBACK_POLLING && roles.has('worker')
    ? schedule({ name: 'feedback-poll', cron: config.FEEDBACK_POLL_CRON, pool, lockKey: FEEDBACK_POLL_LOCK, logger, run: async (now) => void (await feedback.poll(now)) })
    : null;

  let shuttingDown = false;
  const llm = stages.llm;
  const apiDeps: ApiDeps = {
    pool, bus, config, cluster: stages.cluster, logger, onJobsCreated: () => worker?.notify(),
    listDeployments: stages.kubeConfig ? makeListDeployments(stages.kubeConfig) : undefined,
    extractWithLlm: llm ? (description) => extractEntitiesWithLlm(llm, description, { logger }) : undefined,
  };
  const app = makeApp({
    pool,
    logger,
    isShuttingDown: () => shuttingDown,
    routers: [
      ...(roles.has('webhook')
        ? [
          makeWebhookRouter({
            pool,
            token: config.WEBHOOK_AUTH_TOKEN,
            bodyLimit: config.WEBHOOK_BODY_LIMIT,
            cluster: stages.cluster,
            maxAttempts: config.JOB_MAX_ATTEMPTS,
            onJobsCreated: () => worker?.notify(),
            afterIngest: async (incidentIds) => {
              await attachAlertsToRollout(pool, { cluster: stages.cluster, incidentIds, windowSeconds: config.ROLLOUT_ALERT_WINDOW_SECONDS, now: Date.now() });
            },
            logger,
          }),
        ]
        : []),
      ...(roles.has('dashboard') ? [makeDashboardRouter(apiDeps)] : []),
      ...(feedback && config.SLACK_SIGNING_SECRET && roles.has('webhook')
        ? [makeSlackEventsRouter({ pool, signingSecret: config.SLACK_SIGNING_SECRET, feedback, logger })]
        : []),
    ],
    apiRouters: roles.has('dashboard') || roles.has('webhook') ? makeApiRouters(apiDeps) : [],
  });
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(config.PORT, config.HOST, () => resolve(s));
    s.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  logger.info({ url, roles: [...roles], cluster: stages.cluster }, 'k8flex listening');

  let stopped: Promise<void> | null = null;
  async function stop(): Promise<void> {
    shuttingDown = true;
    const deadline = Date.now() + config.SHUTDOWN_TIMEOUT_MS;
    // Stop intake: no new connections; in-flight requests finish.
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    await stopWatching?.();
    await worker?.stop(Math.max(0, deadline - Date.now() - 1000));
    await Promise.race([closed, new Promise((r) => setTimeout(r, Math.max(0, deadline - Date.now())).unref())]);
    server.closeAllConnections();
    await feedbackPoll?.stop();
    await stages.close();
    await pool.end().catch(() => undefined);
    await embedded?.stop();
    logger.info('k8flex stopped');
  }

  return {
    url,
    port,
    config,
    pool,
    logger,
    bus,
    embedded,
    worker,
    feedbackPoll,
    stop: () => (stopped ??= stop()),
  };
}
