import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { spawnService, type ServiceProcess } from '../../bench/support/spawn-service.js';
import { freePort } from '../support/alertmanager.js';
import { makePayload } from '../support/alerts.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { openAiWire } from '../support/fake-llm/openai-wire.js';
import { GOOD_ANSWER_CHUNKS } from '../support/fake-llm/sample-explain-input.js';
import { startFakeLlmServer, type FakeLlmServer } from '../support/fake-llm/start-fake-llm-server.js';
import { eventually } from '../support/test-service.js';

/**
 * `kill -9` of `k8flex serve` (a child process, embedded PGlite on disk) while 100
 * investigations are in flight; after a restart on the same data directory every
 * accepted incident completes exactly once and gets exactly one Slack parent.
 *
 * Investigations are slowed by the fake OpenAI server stalling after two chunks:
 * each one waits LLM_IDLE_TIMEOUT_MS, then finishes with the offline analysis.
 */

const INCIDENTS = 100;
const TOKEN = 'kill9-webhook-token';

describe('kill -9 in the middle of 100 investigations', () => {
  let slack: FakeSlack;
  let llm: FakeLlmServer;
  let dataDir: string;
  let dbPort: number;
  let service: ServiceProcess | null = null;
  let env: Record<string, string>;

  const query = async <T extends pg.QueryResultRow>(sql: string): Promise<T[]> => {
    const client = new pg.Client({ connectionString: `postgres://postgres:postgres@127.0.0.1:${dbPort}/postgres?sslmode=disable`, connectionTimeoutMillis: 5000 });
    await client.connect();
    try {
      return (await client.query<T>(sql)).rows;
    } finally {
      await client.end();
    }
  };

  before(async () => {
    slack = await startFakeSlack();
    llm = await startFakeLlmServer(openAiWire, [{ kind: 'stream', chunks: GOOD_ANSWER_CHUNKS, stallAfter: 2 }]);
    dataDir = mkdtempSync(join(tmpdir(), 'k8flex-kill9-'));
    dbPort = await freePort();
    env = {
      DATA_DIR: join(dataDir, 'data'),
      EMBEDDED_DB_PORT: String(dbPort),
      HOME: dataDir, // no ~/.kube/config: the cluster is unreadable, which is recorded and fine
      K8S_IN_CLUSTER: 'false',
      KUBECONFIG: '',
      WEBHOOK_AUTH_TOKEN: TOKEN,
      LOG_LEVEL: 'error',
      JOB_LEASE_MS: '2000',
      JOB_POLL_INTERVAL_MS: '100',
      JOB_BACKOFF_BASE_MS: '50',
      JOB_BACKOFF_MAX_MS: '200',
      ANALYSIS_CONCURRENCY: '4',
      SLACK_BOT_TOKEN: slack.token,
      SLACK_API_URL: slack.url,
      SLACK_DEFAULT_CHANNEL: '#incidents',
      SLACK_UPDATE_INTERVAL_MS: '0',
      // The workspace-wide chat.update budget (default 45/min) would otherwise pace 100
      // investigations over minutes; pacing is tested in slack-budget.test.ts.
      SLACK_UPDATES_PER_MINUTE: '100000',
      // Likewise the per-channel chat.postMessage pace (default 50/min): 100 parents go to one channel.
      SLACK_POSTS_PER_MINUTE: '100000',
      SLACK_TIMEOUT_MS: '2000',
      FEEDBACK_POLLING: 'false',
      LLM_PROVIDER: 'openai',
      OPENAI_API_KEY: 'sk-kill9',
      OPENAI_BASE_URL: `${llm.url}/v1`,
      OPENAI_MODEL: 'fake-model',
      LLM_MAX_RETRIES: '0',
      LLM_FIRST_TOKEN_TIMEOUT_MS: '2000',
      LLM_IDLE_TIMEOUT_MS: '300',
      LLM_TOTAL_TIMEOUT_MS: '5000',
    };
  });

  after(async () => {
    if (service && service.child.exitCode === null) await service.stop();
    await slack.close();
    await llm.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('completes every accepted incident exactly once, with one Slack parent each, after a restart', async () => {
    service = await spawnService(env, await freePort());
    for (let i = 0; i < INCIDENTS; i++) {
      const payload = makePayload([
        { fingerprint: `kill9-${i}`, labels: { namespace: `ns${i}`, deployment: `app${i}`, pod: `app${i}-6c9f8d7b5d-x${i}` } },
      ]);
      const res = await fetch(`${service.url}/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
        body: JSON.stringify(payload),
      });
      assert.equal(res.status, 200, `webhook ${i} accepted`);
    }
    // Kill once some, but not all, investigations have finished.
    const doneBeforeKill = await eventually(async () => {
      const [row] = await query<{ n: number }>(`SELECT count(*)::int AS n FROM incidents WHERE status = 'completed'`);
      return row && row.n >= 5 ? row.n : undefined;
    }, 40_000, 'the first completed investigations');
    service.child.kill('SIGKILL');
    await new Promise((r) => (service!.child.exitCode !== null || service!.child.signalCode !== null ? r(null) : service!.child.once('exit', r)));
    assert.ok(doneBeforeKill < INCIDENTS, 'the kill landed before the backlog was done');

    service = await spawnService(env, await freePort());
    await eventually(async () => {
      const [row] = await query<{ n: number }>(`SELECT count(*)::int AS n FROM incidents WHERE status = 'completed'`);
      return row && row.n === INCIDENTS ? true : undefined;
    }, 50_000, 'every incident completed after the restart').catch(async (err: unknown) => {
      const jobs = await query(`SELECT status, attempts, last_error, count(*)::int AS n FROM jobs GROUP BY 1, 2, 3`);
      const incidents = await query(`SELECT status, count(*)::int AS n FROM incidents GROUP BY 1`);
      throw new Error(`${String(err)}; jobs ${JSON.stringify(jobs)}; incidents ${JSON.stringify(incidents)}`, { cause: err });
    });

    const incidents = await query<{ id: string; status: string; analyses: number; slack_parent_ts: string | null }>(
      `SELECT i.id, i.status, i.slack_parent_ts, (SELECT count(*)::int FROM analyses a WHERE a.incident_id = i.id) AS analyses FROM incidents i`,
    );
    assert.equal(incidents.length, INCIDENTS, 'one incident per accepted alert, none lost');
    assert.deepEqual(incidents.filter((i) => i.analyses !== 1), [], 'exactly one analyses row per incident');
    const jobs = await query<{ status: string; n: number }>(`SELECT status, count(*)::int AS n FROM jobs WHERE kind = 'investigate' GROUP BY status`);
    assert.deepEqual(jobs, [{ status: 'done', n: INCIDENTS }], 'no job left queued, running or failed');

    const parents = slack.messages().filter((m) => m.threadTs === null);
    assert.equal(parents.length, INCIDENTS, 'one Slack parent message per incident, none duplicated');
    const parentTs = new Set(parents.map((m) => m.ts));
    assert.ok(incidents.every((i) => i.slack_parent_ts !== null && parentTs.has(i.slack_parent_ts)), 'every incident points at its own parent');
  });
});
