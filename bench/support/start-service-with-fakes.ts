import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from '../../test/support/alertmanager.js';
import { startFakeKubeApi, type FakeKubeApi, type FakeKubeOptions } from '../../test/support/fake-kube-api.js';
import { openAiWire } from '../../test/support/fake-llm/openai-wire.js';
import { startFakeLlmServer, type FakeLlmServer, type FakeReply } from '../../test/support/fake-llm/start-fake-llm-server.js';
import { startFakeSlack, type FakeSlack } from '../../test/support/fake-slack.js';
import { spawnService, type ServiceProcess } from './spawn-service.js';

/**
 * `k8flex serve` in a child process (embedded PGlite on disk in a temp dir), wired
 * through its environment to the wire-level fakes: Kubernetes API (KUBECONFIG), OpenAI
 * (OPENAI_BASE_URL) and Slack (SLACK_API_URL). The load benches drive it over HTTP and
 * read its database through the embedded server's port, as an operator's psql would.
 */
export type ServiceWithFakes = {
  service: ServiceProcess;
  kube: FakeKubeApi;
  llm: FakeLlmServer;
  slack: FakeSlack;
  /** Everything the service was started with (apart from the inherited environment). */
  env: Record<string, string>;
  query<T extends pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<T[]>;
  /** POSTs an Alertmanager payload to /webhook; returns the HTTP status. */
  postWebhook(payload: unknown): Promise<number>;
  /** Samples a gauge or counter from /metrics (summed over its label sets). */
  metric(name: string): Promise<number>;
  stop(): Promise<void>;
};

export const WEBHOOK_TOKEN = 'bench-webhook-token';

export async function startServiceWithFakes(options: {
  kube: FakeKubeOptions;
  llmReplies: FakeReply[];
  /** Per-minute limits the fake Slack enforces with 429 + Retry-After, by method. */
  slackLimits?: Record<string, number>;
  env?: Record<string, string>;
  /** An external PostgreSQL instead of the embedded PGlite. */
  databaseUrl?: string;
}): Promise<ServiceWithFakes> {
  const kube = await startFakeKubeApi(options.kube);
  const llm = await startFakeLlmServer(openAiWire, options.llmReplies);
  const slack = await startFakeSlack();
  for (const [method, perMinute] of Object.entries(options.slackLimits ?? {})) slack.enforceRateLimit(method, perMinute);
  const dir = mkdtempSync(join(tmpdir(), 'k8flex-bench-'));
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, kube.kubeConfig().exportConfig());
  const dbPort = await freePort();
  const env: Record<string, string> = {
    DATA_DIR: join(dir, 'data'),
    EMBEDDED_DB_PORT: String(dbPort),
    HOME: dir,
    KUBECONFIG: kubeconfig,
    K8S_IN_CLUSTER: 'false',
    WEBHOOK_AUTH_TOKEN: WEBHOOK_TOKEN,
    LOG_LEVEL: 'error',
    SLACK_BOT_TOKEN: slack.token,
    SLACK_API_URL: slack.url,
    SLACK_DEFAULT_CHANNEL: '#incidents',
    FEEDBACK_POLLING: 'false',
    LLM_PROVIDER: 'openai',
    OPENAI_API_KEY: 'sk-bench',
    OPENAI_BASE_URL: `${llm.url}/v1`,
    OPENAI_MODEL: 'fake-model',
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
    ...options.env,
  };
  const service = await spawnService(env, await freePort());
  const connectionString = options.databaseUrl ?? `postgres://postgres:postgres@127.0.0.1:${dbPort}/postgres?sslmode=disable`;

  return {
    service,
    kube,
    llm,
    slack,
    env,
    async query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []) {
      const client = new pg.Client({ connectionString, connectionTimeoutMillis: 10_000 });
      await client.connect();
      try {
        return (await client.query<T>(sql, params)).rows;
      } finally {
        await client.end();
      }
    },
    async postWebhook(payload) {
      const res = await fetch(`${service.url}/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${WEBHOOK_TOKEN}` },
        body: JSON.stringify(payload),
      });
      await res.arrayBuffer();
      return res.status;
    },
    async metric(name) {
      const text = await (await fetch(`${service.url}/metrics`)).text();
      let sum = 0;
      for (const line of text.split('\n')) {
        const m = /^(\S+?)(?:\{[^}]*\})?\s+(\S+)$/.exec(line);
        if (m?.[1] === name) sum += Number(m[2]);
      }
      return sum;
    },
    async stop() {
      if (service.child.exitCode === null) await service.stop();
      await Promise.all([slack.close(), llm.close(), kube.close()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls `check` every `everyMs` until it returns a value, or throws after `timeoutMs`. */
export async function waitFor<T>(check: () => Promise<T | undefined>, timeoutMs: number, what: string, everyMs = 500): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
