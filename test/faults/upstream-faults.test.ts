import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Service } from '../../src/main.js';
import { FIXTURES } from '../support/alerts.js';
import { startFakeKubeApi, type FakeKubeApi } from '../support/fake-kube-api.js';
import { openAiWire } from '../support/fake-llm/openai-wire.js';
import { GOOD_ANSWER_CHUNKS } from '../support/fake-llm/sample-explain-input.js';
import { startFakeLlmServer, type FakeLlmServer } from '../support/fake-llm/start-fake-llm-server.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { eventually, json, startTestService } from '../support/test-service.js';

/**
 * Slack, the LLM and the Kubernetes API misbehaving under a whole in-process
 * service: every accepted incident still completes (degraded and marked), no job is
 * left queued or running, and retries stay bounded.
 */

const SCENARIO = join(FIXTURES, 'scenarios', 'crashloop-oomkilled');
const TOKEN = 'faults-token';

type Outcome = {
  status: string;
  mode: string;
  degraded: string[];
  llm_error: string | null;
  summary: string;
  slack_error: string | null;
  slack_parent_ts: string | null;
  missing: string[];
  analyses: number;
};

describe('upstream faults during investigations', () => {
  let kube: FakeKubeApi;
  let slack: FakeSlack;
  let llm: FakeLlmServer;
  let s: Service;
  let dir: string;
  let seq = 0;
  const alert = JSON.parse(readFileSync(join(SCENARIO, 'alert.json'), 'utf8'));

  /** Posts the scenario's alert as a new incident (its own namespace label keeps the grouping key apart). */
  async function investigate(): Promise<{ id: string; outcome: Outcome }> {
    const n = ++seq;
    const body = structuredClone(alert);
    for (const a of body.alerts) {
      a.fingerprint = `fault-${n}`;
      a.labels.alertname = `KubePodCrashLooping`;
      a.startsAt = new Date(Date.now() - n * 1000).toISOString();
    }
    const res = await fetch(`${s.url}/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body: JSON.stringify(body) });
    assert.equal(res.status, 200);
    const accepted = await json(res);
    const id: string = accepted.new_incidents[0];
    assert.ok(id, 'a new incident was opened');
    const outcome = await eventually(async () => {
      const r = await s.pool.query<Outcome>(
        `SELECT i.status, i.slack_error, i.slack_parent_ts, a.mode, a.degraded, a.llm_error, a.summary, a.evidence->'missing' AS missing,
                (SELECT count(*)::int FROM analyses x WHERE x.incident_id = i.id) AS analyses
           FROM incidents i LEFT JOIN analyses a ON a.incident_id = i.id WHERE i.id = $1`,
        [id],
      );
      const row = r.rows[0];
      return row && (row.status === 'completed' || row.status === 'failed') ? row : undefined;
    }, 40_000, `incident ${id} finished`);
    // Resolve it so the next case opens a fresh incident for the same workload.
    const resolved = structuredClone(body);
    resolved.status = 'resolved';
    for (const a of resolved.alerts) {
      a.status = 'resolved';
      a.endsAt = new Date().toISOString();
    }
    await fetch(`${s.url}/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body: JSON.stringify(resolved) });
    await eventually(async () => {
      const r = await s.pool.query(`SELECT count(*)::int AS n FROM jobs WHERE status IN ('queued', 'running')`);
      return r.rows[0].n === 0 ? true : undefined;
    }, 40_000, 'no job queued or running');
    return { id, outcome };
  }

  before(async () => {
    kube = await startFakeKubeApi({ fixtureDir: SCENARIO });
    slack = await startFakeSlack();
    llm = await startFakeLlmServer(openAiWire, [{ kind: 'stream', chunks: GOOD_ANSWER_CHUNKS }]);
    dir = mkdtempSync(join(tmpdir(), 'k8flex-faults-'));
    const kubeconfig = join(dir, 'config');
    writeFileSync(kubeconfig, kube.kubeConfig().exportConfig());
    s = await startTestService({
      WEBHOOK_AUTH_TOKEN: TOKEN,
      KUBECONFIG: kubeconfig,
      K8S_IN_CLUSTER: 'false',
      K8S_REQUEST_TIMEOUT_MS: '300',
      SLACK_BOT_TOKEN: slack.token,
      SLACK_API_URL: slack.url,
      SLACK_DEFAULT_CHANNEL: '#incidents',
      SLACK_UPDATE_INTERVAL_MS: '0',
      SLACK_TIMEOUT_MS: '150',
      SLACK_THREAD_REUSE_HOURS: '0',
      FEEDBACK_POLLING: 'false',
      LLM_PROVIDER: 'openai',
      OPENAI_API_KEY: 'sk-faults',
      OPENAI_BASE_URL: `${llm.url}/v1`,
      OPENAI_MODEL: 'fake-model',
      LLM_FIRST_TOKEN_TIMEOUT_MS: '400',
      LLM_IDLE_TIMEOUT_MS: '300',
      LLM_TOTAL_TIMEOUT_MS: '3000',
      LLM_MAX_RETRY_DELAY_MS: '100',
    });
  });
  after(async () => {
    await s.stop();
    await slack.close();
    await llm.close();
    await kube.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers to Slack after chat.postMessage answers 429 twice, honouring Retry-After', async () => {
    const before = slack.callsTo('chat.postMessage').length;
    slack.fail('chat.postMessage', { status: 429, retryAfterSec: 1 }, 2);
    const { outcome } = await investigate();
    slack.clearFailures();
    assert.equal(outcome.status, 'completed');
    assert.equal(outcome.analyses, 1);
    assert.ok(outcome.slack_parent_ts, 'the parent message was posted in the end');
    assert.equal(outcome.slack_error, null);
    assert.ok(slack.callsTo('chat.postMessage').length - before <= 6, 'postMessage retries are bounded');
  });

  it('completes the incident and records the Slack error when Slack answers 500 to everything', async () => {
    const before = slack.calls.length;
    slack.fail('*', { status: 500 }, 1000);
    const { outcome } = await investigate();
    slack.clearFailures();
    assert.equal(outcome.status, 'completed');
    assert.equal(outcome.analyses, 1);
    assert.ok(outcome.slack_error, 'the Slack failure is saved on the incident');
    assert.ok(slack.calls.length - before <= 20, `Slack calls bounded (made ${slack.calls.length - before})`);
  });

  it('completes the incident when Slack never answers, ending each call at SLACK_TIMEOUT_MS', async () => {
    const before = slack.calls.length;
    slack.fail('*', { hang: true }, 1000);
    const { outcome } = await investigate();
    slack.clearFailures();
    assert.equal(outcome.status, 'completed');
    assert.equal(outcome.analyses, 1);
    assert.ok(outcome.slack_error, 'the Slack timeout is saved on the incident');
    assert.ok(slack.calls.length - before <= 20, `Slack calls bounded (made ${slack.calls.length - before})`);
  });

  it('falls back to the offline analysis, marked degraded, when the LLM stalls before its first token', async () => {
    const before = llm.requests.length;
    llm.reply({ kind: 'stream', chunks: GOOD_ANSWER_CHUNKS, stallAfter: 0 });
    const { outcome } = await investigate();
    llm.reply({ kind: 'stream', chunks: GOOD_ANSWER_CHUNKS });
    assert.equal(outcome.status, 'completed');
    assert.notEqual(outcome.mode, 'llm');
    assert.ok(outcome.llm_error, 'the LLM failure is recorded');
    assert.ok(outcome.degraded.length > 0, 'the analysis is marked degraded');
    assert.ok(outcome.summary.length > 0);
    assert.ok(llm.requests.length - before <= 4, `LLM calls bounded (made ${llm.requests.length - before})`);
  });

  it('falls back to the offline analysis when the LLM answers 500 every time, after at most one retry', async () => {
    const before = llm.requests.length;
    llm.reply({ kind: 'status', status: 500 });
    const { outcome } = await investigate();
    llm.reply({ kind: 'stream', chunks: GOOD_ANSWER_CHUNKS });
    assert.equal(outcome.status, 'completed');
    assert.notEqual(outcome.mode, 'llm');
    assert.ok(outcome.llm_error);
    assert.ok(outcome.degraded.length > 0);
    assert.ok(llm.requests.length - before <= 4, `LLM calls bounded (made ${llm.requests.length - before})`);
  });

  it('stores a complete analysis when the LLM streams garbage instead of the requested sections', async () => {
    llm.reply({ kind: 'stream', chunks: ['\u0000\u0001{{{', '<<<<<<<< not markdown', ']]]\ufffd\ufffd', 'ignore all sections'] });
    const { outcome } = await investigate();
    llm.reply({ kind: 'stream', chunks: GOOD_ANSWER_CHUNKS });
    assert.equal(outcome.status, 'completed', 'a NUL character from the LLM does not fail the insert');
    assert.equal(outcome.analyses, 1);
    assert.ok(outcome.summary.trim().length > 0, 'the stored analysis has a summary');
    assert.ok(outcome.slack_parent_ts, 'it still reached Slack');
  });

  for (const [what, fault] of [
    ['403 Forbidden', { status: 403 }],
    ['500 Internal Server Error', { status: 500 }],
    ['answers slower than K8S_REQUEST_TIMEOUT_MS', { delayMs: 2000 }],
  ] as const) {
    it(`completes with the gaps named when the Kubernetes API ${what.startsWith('answers') ? what : `returns ${what}`}`, async () => {
      const remove = kube.setFault({ path: '^/api', ...fault });
      try {
        const { outcome } = await investigate();
        assert.equal(outcome.status, 'completed');
        assert.equal(outcome.analyses, 1);
        assert.ok(outcome.missing.length > 0 || outcome.degraded.length > 0, 'what could not be read is recorded');
        assert.ok(outcome.slack_parent_ts, 'it still reached Slack');
      } finally {
        remove();
      }
    });
  }

  it('leaves no job queued, running or failed after all of the faults', async () => {
    const r = await s.pool.query(`SELECT status, count(*)::int AS n FROM jobs GROUP BY status ORDER BY status`);
    assert.deepEqual(r.rows, [{ status: 'done', n: r.rows.find((x) => x.status === 'done')?.n }]);
    const incidents = await s.pool.query(`SELECT count(*)::int AS n FROM incidents WHERE status <> 'completed'`);
    assert.equal(incidents.rows[0].n, 0);
  });
});
