import { z } from 'zod';
import { ConfigError } from '../errors.js';

/**
 * Every environment variable k8flex reads (except the LLM provider's, parsed in
 * src/llm), validated once at start-up. `.env.example` documents each one; a test
 * keeps the two in step. Durations carry their unit in the name.
 */

const ROLES = ['webhook', 'worker', 'watcher', 'dashboard'] as const;
export type Role = (typeof ROLES)[number];

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? null : v.trim()));
const optionalUrl = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()))
  .pipe(z.url().optional())
  .transform((v) => v ?? null);
const int = (def: number, min = 0) => z.coerce.number().int().min(min).default(def);
const bool = (def: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
    .optional()
    .transform((v) => (v === undefined || v === '' ? def : v === 'true' || v === '1' || v === 'yes'));

const BYTE_SIZE = /^\d+(?:\.\d+)?\s*(?:b|kb|mb)?$/i;

export const envSchema = z.object({
  PORT: int(8080, 0),
  HOST: z.string().default('0.0.0.0'),
  ROLES: z
    .string()
    .default('all')
    .transform((v, ctx) => {
      const parts = v.split(',').map((s) => s.trim()).filter(Boolean);
      if (parts.length === 0 || parts.includes('all')) return [...ROLES];
      const bad = parts.filter((p) => !(ROLES as readonly string[]).includes(p));
      if (bad.length > 0) ctx.addIssue({ code: 'custom', message: `unknown role(s) ${bad.join(', ')}; use ${ROLES.join(', ')} or all` });
      return parts as Role[];
    }),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  CLUSTER_NAME: optionalString,
  PUBLIC_URL: z.url().default('http://localhost:8080'),

  DATABASE_URL: optionalString,
  DATA_DIR: z.string().default('./data'),
  EMBEDDED_DB_PORT: int(5433, 0),
  DB_POOL_MAX: int(10, 1),

  WEBHOOK_AUTH_TOKEN: optionalString,
  API_AUTH_TOKEN: optionalString,
  WEBHOOK_BODY_LIMIT: z.string().regex(BYTE_SIZE, 'a size such as 4mb or 512kb').default('4mb'),

  ANALYSIS_CONCURRENCY: int(4, 1),
  JOB_MAX_ATTEMPTS: int(5, 1),
  JOB_LEASE_MS: int(120_000, 1000),
  JOB_POLL_INTERVAL_MS: int(1000, 10),
  JOB_BACKOFF_BASE_MS: int(2000, 1),
  JOB_BACKOFF_MAX_MS: int(300_000, 1),
  SHUTDOWN_TIMEOUT_MS: int(25_000, 100),

  KUBECONFIG: optionalString,
  K8S_IN_CLUSTER: z.enum(['auto', 'true', 'false']).default('auto'),
  K8S_REQUEST_TIMEOUT_MS: int(5000, 100),
  LOG_TAIL_LINES: int(100, 1),
  LOG_MAX_BYTES: int(16_384, 256),
  PROMETHEUS_URL: optionalUrl,

  SLACK_BOT_TOKEN: optionalString,
  SLACK_WEBHOOK_URL: optionalUrl,
  SLACK_API_URL: z.url().default('https://slack.com/api/'),
  SLACK_DEFAULT_CHANNEL: optionalString,
  SLACK_UPDATE_INTERVAL_MS: int(3000, 0),
  SLACK_UPDATES_PER_MINUTE: int(45, 1),
  SLACK_POSTS_PER_MINUTE: int(50, 1),
  SLACK_THREAD_REUSE_HOURS: int(24, 0),
  SLACK_TIMEOUT_MS: int(10_000, 100),
  SLACK_SIGNING_SECRET: optionalString,

  FEEDBACK_POLLING: bool(true),
  FEEDBACK_POLL_CRON: z.string().default('*/30 * * * * *'),
  FEEDBACK_WINDOW_HOURS: int(24, 1),
  FEEDBACK_REACTIONS_PER_MINUTE: int(45, 1),

  KB_ENABLED: z.enum(['auto', 'true', 'false']).default('auto'),
  KB_SIMILARITY_THRESHOLD: z.coerce.number().min(0).max(1).default(0.75),
  KB_TOP_K: int(5, 1),
  KB_SAME_CLUSTER_ONLY: bool(true),
  KB_STRONG_MATCH: z.coerce.number().min(0).max(1).default(0.9),
  EMBEDDINGS_PROVIDER: z.enum(['local', 'openai', 'gemini', 'ollama']).default('local'),
  EMBEDDINGS_MODEL: optionalString,
  EMBEDDINGS_API_KEY: optionalString,
  EMBEDDINGS_BASE_URL: optionalUrl,

  WATCH_NAMESPACES: z
    .string()
    .optional()
    .transform((v) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : [])),
  ROLLOUT_FAILURE_GRACE_SECONDS: int(120, 0),
  ROLLOUT_TIMEOUT_SECONDS: int(900, 1),
  ROLLOUT_ALERT_WINDOW_SECONDS: int(1800, 0),
  ROLLOUT_MAX_PER_NAMESPACE_PER_HOUR: int(5, 1),
  ROLLOUT_MAX_PER_CLUSTER_PER_HOUR: int(30, 1),
  ROLLOUT_RESYNC_SECONDS: int(300, 10),
  ROLLOUT_CHECK_INTERVAL_SECONDS: int(10, 1),
  LEADER_LEASE_NAME: z.string().default('k8flex-watcher'),
  LEADER_LEASE_NAMESPACE: z.string().default('k8flex'),
  LEADER_LEASE_SECONDS: int(15, 2),
});

export type Env = z.infer<typeof envSchema>;

/** Turns zod issues into one message naming every bad variable. */
export function parseEnv(env: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(env);
  if (result.success) return result.data;
  const variables = [...new Set(result.error.issues.map((i) => String(i.path[0] ?? '?')))];
  const lines = result.error.issues.map((i) => `${String(i.path[0] ?? '?')}: ${i.message}`);
  return failConfig(`invalid configuration:\n  ${lines.join('\n  ')}`, variables);
}

function failConfig(message: string, variables: string[]): never {
  throw new ConfigError(message, variables);
}
