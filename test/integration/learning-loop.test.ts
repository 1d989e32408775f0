import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Service } from '../../src/main.js';
import { FIXTURES } from '../support/alerts.js';
import { startFakeKubeApi, type FakeKubeApi } from '../support/fake-kube-api.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { eventually, json, startTestService } from '../support/test-service.js';

const SCENARIO = join(FIXTURES, 'scenarios', 'crashloop-oomkilled');
const TOKEN = 'wh-token';
const PUBLIC_URL = 'https://k8flex.example';

/**
 * The learning loop in one process: an analysis posted to the fake Slack, a ✅ added
 * there, the poller recording it, the case stored with its embedding, and a repeat of
 * the same alert recalling the case at the top of its analysis and in its thread.
 */
describe('learning loop: ✅ in Slack to a recalled case', () => {
  let kube: FakeKubeApi;
  let slack: FakeSlack;
  let s: Service;
  const alert = JSON.parse(readFileSync(join(SCENARIO, 'alert.json'), 'utf8'));
  const post = (body: unknown) =>
    fetch(`${s.url}/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body: JSON.stringify(body) });
  const completed = (id: string) =>
    eventually(async () => {
      const i = await json(await fetch(`${s.url}/api/v1/incidents/${id}`));
      return i.status === 'completed' ? i : undefined;
    }, 30_000, `incident ${id} completed`);
  const slackOf = async (id: string) =>
    (await s.pool.query<{ slack_channel: string; slack_reply_ts: string; slack_parent_ts: string }>('SELECT slack_channel, slack_reply_ts, slack_parent_ts FROM incidents WHERE id = $1', [id])).rows[0]!;

  before(async () => {
    kube = await startFakeKubeApi({ fixtureDir: SCENARIO });
    slack = await startFakeSlack();
    const dir = mkdtempSync(join(tmpdir(), 'k8flex-kubeconfig-'));
    const kubeconfig = join(dir, 'config');
    writeFileSync(kubeconfig, kube.kubeConfig().exportConfig());
    s = await startTestService({
      WEBHOOK_AUTH_TOKEN: TOKEN,
      KUBECONFIG: kubeconfig,
      K8S_IN_CLUSTER: 'false',
      SLACK_BOT_TOKEN: slack.token,
      SLACK_API_URL: slack.url,
      SLACK_DEFAULT_CHANNEL: '#incidents',
      SLACK_UPDATE_INTERVAL_MS: '0',
      PUBLIC_URL,
      // Once a year: the test drives ticks itself, so nothing races it.
      FEEDBACK_POLL_CRON: '0 0 1 1 *',
    });
  });
  after(async () => {
    await s.stop();
    await slack.close();
    await kube.close();
  });

  it('records ✅ once, stores the case with an embedding, and a repeat of the alert recalls it in its analysis and Slack thread', async () => {
    const first: string = (await json(await post(alert))).new_incidents[0];
    await completed(first);
    const msg = await slackOf(first);
    assert.ok(s.feedbackPoll, 'the feedback poller runs with a bot token');

    slack.addReaction(msg.slack_channel, msg.slack_reply_ts, 'white_check_mark', 'UANA');
    assert.equal(await s.feedbackPoll.tick(), true);
    assert.equal(await s.feedbackPoll.tick(), true);

    const feedback = await s.pool.query('SELECT verdict, user_name, reaction FROM feedback WHERE incident_id = $1', [first]);
    assert.deepEqual(feedback.rows, [{ verdict: 'correct', user_name: 'UANA', reaction: 'white_check_mark' }]);
    const cases = await s.pool.query<{ verdict: string; validated_by: string; embedding_model: string; dims: number; category: string }>(
      'SELECT verdict, validated_by, embedding_model, vector_dims(embedding) AS dims, category FROM kb_cases WHERE incident_id = $1',
      [first],
    );
    assert.deepEqual(cases.rows, [{ verdict: 'correct', validated_by: 'UANA', embedding_model: 'local-hash-v1-384', dims: 384, category: 'oom-killed' }]);
    const acks = slack.thread(msg.slack_channel, msg.slack_parent_ts).filter((m) => m.text.includes('Thanks <@UANA>'));
    assert.equal(acks.length, 1, 'one acknowledgement in the thread');
    const validated = await s.pool.query('SELECT incident_id FROM validated_cases');
    assert.equal(validated.rows.length, 1);

    // The alert resolves, then fires again: a new incident with the same cause.
    await post({ ...alert, status: 'resolved', alerts: alert.alerts.map((a: Record<string, unknown>) => ({ ...a, status: 'resolved', endsAt: '2025-06-12T10:40:00Z' })) });
    const repeat = { ...alert, alerts: alert.alerts.map((a: Record<string, unknown>) => ({ ...a, startsAt: '2025-06-12T11:02:11.000Z', fingerprint: '9a1c5edcc5cdcb00' })) };
    const second: string = (await json(await post(repeat))).new_incidents[0];
    assert.notEqual(second, first);
    const recalled = await completed(second);

    const similar = recalled.similar_cases as Array<{ incidentId: string; similarity: number; verdict: string; validatedBy: string; link: string }>;
    assert.equal(similar[0]?.incidentId, first);
    assert.ok((similar[0]?.similarity ?? 0) >= 0.9, `similarity ${similar[0]?.similarity}`);
    assert.equal(similar[0]?.validatedBy, 'UANA');
    assert.equal(similar[0]?.link, `${PUBLIC_URL}/incidents/${first}`);
    assert.match(recalled.analysis.text, /^🔁 \*\*Very similar to a confirmed case:\*\*/);

    const reply = slack.message((await slackOf(second)).slack_channel, (await slackOf(second)).slack_reply_ts);
    const shown = JSON.stringify(reply?.blocks ?? []);
    assert.ok(shown.includes(`${PUBLIC_URL}/incidents/${first}`), 'the thread links the confirmed case');
    assert.ok(shown.includes('Very similar to a confirmed case'));
  });
});
