import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import express from 'express';
import { makeLocalEmbedder } from '../../src/embeddings/local-embedder.js';
import { makeFeedback } from '../../src/feedback/make-feedback.js';
import { slackSignature } from '../../src/feedback/verify-slack-signature.js';
import { makeSlackEventsRouter } from '../../src/http/slack-events-route.js';
import { makeKnowledgeBase } from '../../src/kb/make-knowledge-base.js';
import { silentLogger } from '../../src/observability/logger.js';
import { makeSlackClient } from '../../src/slack/make-slack-client.js';
import { makeFakeClock, startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { startTestDb, type TestDb } from '../support/test-db.js';

const SECRET = 'signing-secret';

describe('feedback from Slack reactions and replies', () => {
  let db: TestDb;
  let slack: FakeSlack;
  let server: Server;
  let eventsUrl: string;
  const clock = makeFakeClock(Date.parse('2025-06-12T12:00:00Z'));
  const now = () => new Date(clock.now());
  const logger = silentLogger();
  const build = () => {
    const client = makeSlackClient({ token: slack.token, apiUrl: slack.url, timeoutMs: 2000, retries: 0 });
    const kb = makeKnowledgeBase({ pool: db.pool, embedder: makeLocalEmbedder() });
    return { feedback: makeFeedback({ pool: db.pool, slack: client, kb, config: { windowHours: 24, reactionsPerMinute: 45 }, logger, clock: clock.now }), client };
  };

  /** An incident with an analysis, posted to the fake Slack as a parent and a thread reply. */
  async function seedIncident(): Promise<{ id: string; channel: string; replyTs: string; parentTs: string }> {
    const { client } = build();
    const parent = await client.postMessage({ channel: '#incidents', message: { text: 'KubePodCrashLooping payments/ledger', blocks: [] } });
    const reply = await client.postMessage({ channel: parent.channel, threadTs: parent.ts, message: { text: 'analysis', blocks: [] } });
    const id = randomUUID();
    await db.pool.query(
      `INSERT INTO incidents (id, group_key, source, status, cluster, alertname, category, namespace, workload_kind, workload_name,
                              completed_at, slack_channel, slack_parent_ts, slack_reply_ts)
       VALUES ($1::uuid, $1::text, 'alert', 'completed', 'prod', 'KubePodCrashLooping', 'oom-killed', 'payments', 'Deployment', 'ledger', $2, $3, $4, $5)`,
      [id, now().toISOString(), parent.channel, parent.ts, reply.ts],
    );
    await db.pool.query(
      `INSERT INTO analyses (incident_id, mode, category, summary, root_cause, confidence, owner, text, sections, findings)
       VALUES ($1, 'offline', 'oom-killed', 'OOM', 'ledger is OOM-killed at its 512Mi limit', 'high', 'application', 'text', '{}', $2)`,
      [id, JSON.stringify([{ cause: 'oom-killed', title: 'Container ledger in pod payments/ledger-7d9f8b6c5-x2v9k was OOMKilled', evidence: [{ line: 'lastState.terminated.reason=OOMKilled exitCode=137', source: 'pod' }] }])],
    );
    return { id, channel: parent.channel, replyTs: reply.ts, parentTs: parent.ts };
  }
  const verdicts = async (id: string) => (await db.pool.query('SELECT verdict, user_name FROM feedback WHERE incident_id = $1 ORDER BY id', [id])).rows;
  const kbCase = async (id: string) => (await db.pool.query('SELECT verdict, correction, validated_by FROM kb_cases WHERE incident_id = $1', [id])).rows[0];
  const unreact = (channel: string, ts: string, name: string, user: string) => slack.message(channel, ts)?.reactions.get(name)?.delete(user);

  before(async () => {
    db = await startTestDb();
    slack = await startFakeSlack({ clock: clock.now });
    const app = express();
    app.use(makeSlackEventsRouter({ pool: db.pool, signingSecret: SECRET, feedback: build().feedback, logger, clock: clock.now }));
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    eventsUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await slack.close();
    await db.close();
  });

  it('stores ❌ with the person\'s "actual cause" reply as the correction, with the case and the verdict', async () => {
    const { feedback } = build();
    const inc = await seedIncident();
    slack.addReaction(inc.channel, inc.replyTs, 'x', 'UBO');
    slack.addReply(inc.channel, inc.parentTs, { text: 'actual cause: the sidecar leaks memory, not the app', user: 'UBO' });
    await feedback.poll(now());
    assert.deepEqual(await verdicts(inc.id), [{ verdict: 'incorrect', user_name: 'UBO' }]);
    assert.deepEqual(await kbCase(inc.id), { verdict: 'incorrect', correction: 'the sidecar leaks memory, not the app', validated_by: 'UBO' });
    const row = await db.pool.query('SELECT correction FROM feedback WHERE incident_id = $1', [inc.id]);
    assert.equal(row.rows[0].correction, 'the sidecar leaks memory, not the app');
  });

  it('records a changed mind as the latest verdict and forgets the case when the reaction is removed', async () => {
    const { feedback } = build();
    const inc = await seedIncident();
    slack.addReaction(inc.channel, inc.replyTs, 'white_check_mark', 'UANA');
    await feedback.poll(now());
    clock.advance(60_000);
    slack.addReaction(inc.channel, inc.replyTs, 'x', 'UANA');
    await feedback.poll(now());
    unreact(inc.channel, inc.replyTs, 'white_check_mark', 'UANA');
    clock.advance(60_000);
    await feedback.poll(now());
    assert.deepEqual(await verdicts(inc.id), [{ verdict: 'correct', user_name: 'UANA' }, { verdict: 'incorrect', user_name: 'UANA' }]);
    assert.equal((await kbCase(inc.id))?.verdict, 'incorrect');

    unreact(inc.channel, inc.replyTs, 'x', 'UANA');
    clock.advance(60_000);
    await feedback.poll(now());
    assert.equal((await verdicts(inc.id)).at(-1)?.verdict, 'withdrawn');
    assert.equal(await kbCase(inc.id), undefined);
    const acks = slack.thread(inc.channel, inc.parentTs).filter((m) => m.text.startsWith('🙏'));
    assert.equal(acks.length, 1, 'one acknowledgement despite three changes');
  });

  it('loses nothing across a restart: a new poller sees the recorded verdicts and records only what changed', async () => {
    const inc = await seedIncident();
    slack.addReaction(inc.channel, inc.replyTs, '+1', 'UCY');
    await build().feedback.poll(now());
    clock.advance(61_000);
    // A "restarted" process: a new service over the same database.
    const restarted = build().feedback;
    await restarted.poll(now());
    slack.addReaction(inc.channel, inc.replyTs, 'heavy_check_mark', 'UDI');
    clock.advance(61_000);
    await restarted.poll(now());
    assert.deepEqual(await verdicts(inc.id), [{ verdict: 'correct', user_name: 'UCY' }, { verdict: 'correct', user_name: 'UDI' }]);
  });

  it('keeps 500 open messages within the reactions.get budget, checking the oldest-checked first', async () => {
    const { feedback } = build();
    clock.advance(10 * 60_000);
    await db.pool.query(`UPDATE feedback_state SET open_until = now() - interval '1 year'`);
    await db.pool.query(
      `INSERT INTO incidents (id, group_key, source, status, cluster, alertname, completed_at, slack_channel, slack_parent_ts, slack_reply_ts)
       SELECT gen_random_uuid(), 'bulk-' || n, 'alert', 'completed', 'prod', 'Bulk', $1, 'CINCIDENTS', '1.' || n, '2.' || n
       FROM generate_series(1, 500) n`,
      [now().toISOString()],
    );
    const before = slack.callsTo('reactions.get').length;
    for (let tick = 0; tick < 30; tick++) {
      await feedback.poll(now());
      clock.advance(30_000);
    }
    const calls = slack.callsTo('reactions.get').slice(before).map((c) => c.at);
    for (const at of calls) assert.ok(calls.filter((t) => t >= at && t < at + 60_000).length <= 45, 'at most 45 reactions.get in any minute');
    assert.ok(calls.length >= 600, `kept polling at the budget (${calls.length} calls)`);
    const unchecked = await db.pool.query(`SELECT count(*)::int AS n FROM feedback_state WHERE last_checked_at IS NULL AND open_until > $1`, [now().toISOString()]);
    assert.equal(unchecked.rows[0].n, 0, 'every open message was checked');
  });

  describe('Slack Events API', () => {
    const send = (body: unknown, opts: { secret?: string; ageSec?: number } = {}) => {
      const raw = JSON.stringify(body);
      const ts = String(Math.floor(clock.now() / 1000) - (opts.ageSec ?? 0));
      return fetch(eventsUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-slack-request-timestamp': ts, 'x-slack-signature': slackSignature(opts.secret ?? SECRET, ts, raw) },
        body: raw,
      });
    };

    it('answers URL verification with the challenge when the signature is valid', async () => {
      const res = await send({ type: 'url_verification', challenge: 'abc123', token: 'x' });
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { challenge: 'abc123' });
    });

    it('rejects a wrong signature and a stale timestamp with 401', async () => {
      assert.equal((await send({ type: 'url_verification', challenge: 'c' }, { secret: 'wrong' })).status, 401);
      assert.equal((await send({ type: 'url_verification', challenge: 'c' }, { ageSec: 6 * 60 })).status, 401);
    });

    it('records a reaction_added event once even when Slack retries it', async () => {
      const inc = await seedIncident();
      const event = { type: 'event_callback', event_id: 'Ev01', event: { type: 'reaction_added', user: 'UEV', reaction: 'white_check_mark', item: { type: 'message', channel: inc.channel, ts: inc.replyTs } } };
      assert.equal((await send(event)).status, 200);
      const retry = await send(event);
      assert.deepEqual(await retry.json(), { ok: true, duplicate: true });
      assert.deepEqual(await verdicts(inc.id), [{ verdict: 'correct', user_name: 'UEV' }]);
      assert.equal((await kbCase(inc.id))?.verdict, 'correct');
    });
  });
});
