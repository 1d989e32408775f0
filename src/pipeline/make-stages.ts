import type pg from 'pg';
import { makeLlmCategorize } from '../categorize/llm-categorize.js';
import { categorizeByRules } from '../categorize/categorize-by-rules.js';
import { refineCategory } from '../categorize/refine-category.js';
import type { Config } from '../config/load-config.js';
import { diagnose } from '../diagnose/diagnose.js';
import { makeExplainer } from '../explain/make-explainer.js';
import { buildKnowledgeBase } from '../kb/build-knowledge-base.js';
import type { KnowledgeBase } from '../kb/make-knowledge-base.js';
import { makeRecall } from '../kb/make-recall.js';
import { withStrongMatch } from '../kb/with-strong-match.js';
import { DeferJob } from '../jobs/make-worker.js';
import { loadKubeConfig } from '../k8s/load-kube-config.js';
import { makeCollector } from '../k8s/make-collector.js';
import { makeNamespaceAnnotations } from '../k8s/namespace-annotations.js';
import type { LlmClient } from '../llm/llm-client.js';
import { makeLlmClient } from '../llm/make-llm-client.js';
import type { Logger } from '../observability/logger.js';
import { makePgRateBudgets } from '../slack/make-pg-rate-budget.js';
import { makeMemoryRateBudgets, type RateBudgets } from '../slack/make-rate-budget.js';
import { makeSlackClient } from '../slack/make-slack-client.js';
import type { SlackClient } from '../slack/slack-client.js';
import { makeSlackDeliver } from '../slack/make-slack-deliver.js';
import { loadIncident } from '../store/incident-queries.js';
import { subjectFromIncident } from '../store/incident-record.js';
import { makePgSlackThreadStore } from '../store/pg-slack-thread-store.js';
import type { Categorize, Collect, Deliver, Diagnose, Explain, Recall, Refine } from './stages.js';
import type * as k8s from '@kubernetes/client-node';

export type Stages = {
  cluster: string;
  kubeConfig: k8s.KubeConfig | null;
  /** The configured LLM, or null (offline analysis). */
  llm: LlmClient | null;
  investigation: {
    categorize: Categorize;
    collect: Collect;
    diagnose: Diagnose;
    refine: Refine;
    recall: Recall;
    explain: Explain;
    deliver: Deliver;
  };
  /** Handles a 'resolved' job: tells the incident's thread, once its investigation is done. */
  notifyResolved: (incidentId: string) => Promise<void>;
  /** Null when KB_ENABLED=false or pgvector is missing. */
  knowledgeBase: KnowledgeBase | null;
  /** Null without SLACK_BOT_TOKEN (feedback needs it). */
  slackClient: SlackClient | null;
  /** Slack rate budgets (also for feedback polling): in PostgreSQL, shared by every replica; in memory with PGlite. */
  slackBudgets: RateBudgets;
  close: () => Promise<void>;
};

/** How long a 'resolved' job waits for the incident's investigation before looking again. */
const RESOLVED_WAIT_MS = 5000;
const NAMESPACE_ANNOTATION_TTL_MS = 60_000;

/** Builds every pipeline stage and the clients they need from configuration. */
export async function makeStages(deps: { config: Config; pool: pg.Pool; logger: Logger }): Promise<Stages> {
  const { env, llm: llmConfig } = deps.config;
  const { logger, pool } = deps;

  const kube = loadKubeConfig({ kubeconfigPath: env.KUBECONFIG ?? undefined, inCluster: env.K8S_IN_CLUSTER });
  if (!kube.kubeConfig) logger.warn({ reason: kube.reason }, 'no Kubernetes access: incidents will say the cluster could not be read');
  const cluster = env.CLUSTER_NAME ?? kube.cluster ?? 'default';

  const collect = makeCollector({
    kubeConfig: kube.kubeConfig,
    cluster,
    prometheusUrl: env.PROMETHEUS_URL,
    requestTimeoutMs: env.K8S_REQUEST_TIMEOUT_MS,
    logTailLines: env.LOG_TAIL_LINES,
    logMaxBytes: env.LOG_MAX_BYTES,
    logger,
  });

  const llm = makeLlmClient(llmConfig);
  if (llm) logger.info({ provider: llm.provider, model: llm.model }, 'LLM configured');
  const llmCategorize = llm ? makeLlmCategorize(llm, logger) : null;
  const categorize: Categorize = async (subject) => {
    const rules = categorizeByRules(subject);
    return llmCategorize ? llmCategorize(subject, rules) : rules;
  };
  const knowledgeBase = await buildKnowledgeBase({ env, llm: llmConfig, pool, logger });
  const recall: Recall = knowledgeBase
    ? makeRecall({
      kb: knowledgeBase,
      config: { threshold: env.KB_SIMILARITY_THRESHOLD, topK: env.KB_TOP_K, sameClusterOnly: env.KB_SAME_CLUSTER_ONLY, publicUrl: env.PUBLIC_URL },
      logger,
    })
    : async () => ({ cases: [], note: null });
  const explain = withStrongMatch(makeExplainer({ llm, limits: llmConfig.limits, logger }), env.KB_STRONG_MATCH);

  const slackClient = env.SLACK_BOT_TOKEN
    ? makeSlackClient({ token: env.SLACK_BOT_TOKEN, apiUrl: env.SLACK_API_URL, timeoutMs: env.SLACK_TIMEOUT_MS })
    : null;
  // PGlite serves one process, and every statement there queues behind the job queue's:
  // a shared window would buy nothing and cost a query per Slack call.
  const slackBudgets = env.DATABASE_URL ? makePgRateBudgets({ pool, clock: Date.now, logger }) : makeMemoryRateBudgets(Date.now);
  const slack = makeSlackDeliver({
    client: slackClient,
    budgets: slackBudgets,
    webhookUrl: env.SLACK_WEBHOOK_URL,
    store: makePgSlackThreadStore(pool),
    namespaceAnnotations: makeNamespaceAnnotations(kube.kubeConfig, NAMESPACE_ANNOTATION_TTL_MS, { timeoutMs: env.K8S_REQUEST_TIMEOUT_MS }),
    config: {
      defaultChannel: env.SLACK_DEFAULT_CHANNEL,
      updateIntervalMs: env.SLACK_UPDATE_INTERVAL_MS,
      updatesPerMinute: env.SLACK_UPDATES_PER_MINUTE,
      postsPerMinute: env.SLACK_POSTS_PER_MINUTE,
      publicUrl: env.PUBLIC_URL,
      threadReuseHours: env.SLACK_THREAD_REUSE_HOURS,
      timeoutMs: env.SLACK_TIMEOUT_MS,
    },
    clock: Date.now,
    logger,
  });
  if (!slackClient && !env.SLACK_WEBHOOK_URL) logger.info('Slack is not configured: analyses go to the API, the dashboard and the log');

  return {
    cluster,
    kubeConfig: kube.kubeConfig,
    llm,
    investigation: {
      categorize,
      collect,
      diagnose,
      refine: refineCategory,
      recall,
      explain,
      deliver: slack,
    },
    async notifyResolved(incidentId) {
      const incident = await loadIncident(pool, incidentId);
      if (!incident?.resolvedAt || !incident.notify) return;
      // The thread exists only once the investigation has posted it.
      if (incident.status === 'pending' || incident.status === 'investigating') throw new DeferJob(RESOLVED_WAIT_MS, 'investigation still running');
      const result = await slack.notifyResolved({ subject: subjectFromIncident(incident), resolvedAt: incident.resolvedAt.toISOString() });
      if (result.error) logger.warn({ incidentId, error: result.error }, 'could not post the resolution to Slack');
    },
    knowledgeBase,
    slackClient,
    slackBudgets,
    close: async () => undefined,
  };
}
