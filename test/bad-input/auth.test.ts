import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { authProblem, requireApiAuth } from '../../src/http/api/api-auth.js';
import { requireBearer, tokensMatch } from '../../src/http/bearer-auth.js';
import { startService, type Service } from '../../src/main.js';
import { makePayload } from '../support/alerts.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { eventually } from '../support/test-service.js';

/**
 * Missing, wrong and almost-right tokens on /webhook and the API → 401 with a JSON
 * error; both checks go through the constant-time `tokensMatch`; and no token (ours,
 * the caller's wrong ones, Slack's) ever reaches the log, even at trace level.
 */

const WEBHOOK_TOKEN = 'wh-7f3a9c2e1b8d4f60a5e2c9b7d1f3e8a4';
const API_TOKEN = 'api-5c8e1f2a9b3d7e6f0a4c8b2d9e1f7a3c';
const ALMOST = (t: string) => [t.slice(0, -1), `${t}x`, t.toUpperCase(), `${t.slice(0, -1)}${t.at(-1) === 'a' ? 'b' : 'a'}`, ` ${t}x`];

describe('tokensMatch', () => {
  it('accepts only the exact token, whatever the presented length', () => {
    assert.equal(tokensMatch(WEBHOOK_TOKEN, WEBHOOK_TOKEN), true);
    for (const wrong of [...ALMOST(WEBHOOK_TOKEN), '', 'x'.repeat(10_000)]) assert.equal(tokensMatch(wrong, WEBHOOK_TOKEN), false, wrong);
  });

  it('is the only comparison in the webhook and API checks, so both are constant-time', () => {
    for (const fn of [requireBearer, authProblem, requireApiAuth]) {
      const source = fn.toString();
      if (fn !== requireApiAuth) assert.match(source, /tokensMatch\(/, `${fn.name} compares with tokensMatch`);
      assert.doesNotMatch(source, /(?:presented|token)\s*[!=]==?\s*(?:token|presented|expected)/, `${fn.name} has no plain comparison`);
    }
    assert.match(requireApiAuth.toString(), /authProblem\(/, 'requireApiAuth delegates to authProblem');
  });
});

describe('authentication on a running service', () => {
  let s: Service;
  let slack: FakeSlack;
  let log = '';

  before(async () => {
    slack = await startFakeSlack({ token: 'xoxb-slack-secret-0d9e8f7a6b5c' });
    const logDestination = new Writable({
      write(chunk: Buffer, _enc, done) {
        log += chunk.toString('utf8');
        done();
      },
    });
    s = await startService(
      {
        PORT: '0',
        HOST: '127.0.0.1',
        EMBEDDED_DB_PORT: '0',
        DATA_DIR: 'memory://',
        LOG_LEVEL: 'trace',
        JOB_POLL_INTERVAL_MS: '100',
        WEBHOOK_AUTH_TOKEN: WEBHOOK_TOKEN,
        API_AUTH_TOKEN: API_TOKEN,
        K8S_IN_CLUSTER: 'false',
        KUBECONFIG: '/nonexistent/kubeconfig',
        SLACK_BOT_TOKEN: slack.token,
        SLACK_API_URL: slack.url,
        SLACK_DEFAULT_CHANNEL: '#incidents',
        SLACK_UPDATE_INTERVAL_MS: '0',
        FEEDBACK_POLLING: 'false',
      },
      { logDestination },
    );
  });
  after(async () => {
    await s.stop();
    await slack.close();
  });

  const post = (authorization: string | undefined, fingerprint = 'auth-1') =>
    fetch(`${s.url}/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization === undefined ? {} : { authorization }) },
      body: JSON.stringify(makePayload([{ fingerprint, labels: { namespace: 'auth' } }])),
    });

  it('answers 401 with a JSON error to missing, malformed, wrong and almost-right webhook tokens, and writes nothing', async () => {
    const attempts = [undefined, '', 'Bearer', 'Bearer ', `Basic ${WEBHOOK_TOKEN}`, WEBHOOK_TOKEN, `Bearer ${API_TOKEN}`, ...ALMOST(WEBHOOK_TOKEN).map((t) => `Bearer ${t}`)];
    for (const authorization of attempts) {
      const res = await post(authorization);
      assert.equal(res.status, 401, `authorization ${JSON.stringify(authorization)}`);
      assert.equal(typeof ((await res.json()) as { error: unknown }).error, 'string');
    }
    const rows = await s.pool.query(`SELECT count(*)::int AS n FROM alerts`);
    assert.equal(rows.rows[0].n, 0);
  });

  it('answers 401 on the API to missing, wrong and almost-right tokens, in the header or the cookie', async () => {
    const attempts: Record<string, string>[] = [
      {},
      { authorization: `Bearer ${WEBHOOK_TOKEN}` },
      ...ALMOST(API_TOKEN).map((t) => ({ authorization: `Bearer ${t}` })),
      { cookie: `k8flex_token=${API_TOKEN.slice(0, -1)}` },
    ];
    for (const headers of attempts) {
      const res = await fetch(`${s.url}/api/v1/incidents`, { headers });
      assert.equal(res.status, 401, JSON.stringify(headers));
      assert.equal(typeof ((await res.json()) as { error: unknown }).error, 'string');
    }
    assert.equal((await fetch(`${s.url}/api/v1/incidents`, { headers: { authorization: `Bearer ${API_TOKEN}` } })).status, 200);
  });

  it('never writes a token to the log, even at trace level through a full investigation', async () => {
    assert.equal((await post(`Bearer ${WEBHOOK_TOKEN}`, 'auth-ok')).status, 200);
    await eventually(async () => {
      const r = await s.pool.query(`SELECT status FROM incidents`);
      return r.rows[0]?.status === 'completed' ? true : undefined;
    }, 30_000, 'the investigation');
    assert.ok(slack.calls.length > 0, 'Slack was called with its token');
    assert.ok(log.length > 0, 'the log was captured');
    const secrets = [WEBHOOK_TOKEN, API_TOKEN, slack.token, ...ALMOST(WEBHOOK_TOKEN).map((t) => t.trim()), ...ALMOST(API_TOKEN).map((t) => t.trim())];
    for (const secret of secrets) assert.ok(!log.includes(secret), `a token appears in the log: ${secret.slice(0, 6)}…`);
  });
});
