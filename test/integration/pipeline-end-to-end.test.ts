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

/**
 * The whole product in one process: a real webhook delivery, the collector reading a
 * simulated cluster through @kubernetes/client-node, the offline analyzers, and the
 * analysis streamed into a Slack thread through @slack/web-api.
 */
describe('webhook to Slack thread, end to end', () => {
  let kube: FakeKubeApi;
  let slack: FakeSlack;
  let s: Service;

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
    });
  });
  after(async () => {
    await s.stop();
    await slack.close();
    await kube.close();
  });

  it('names the OOM kill in the Slack thread and the API, then posts the resolution', async () => {
    const alert = JSON.parse(readFileSync(join(SCENARIO, 'alert.json'), 'utf8'));
    const post = (body: unknown) =>
      fetch(`${s.url}/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body: JSON.stringify(body) });
    const accepted = await json(await post(alert));
    const id: string = accepted.new_incidents[0];
    const incident = await eventually(async () => {
      const i = await json(await fetch(`${s.url}/api/v1/incidents/${id}`));
      return i.status === 'completed' ? i : undefined;
    }, 30_000, 'completed analysis');

    assert.equal(incident.category, 'oom-killed');
    assert.equal(incident.workload.name, 'ledger');
    assert.match(incident.analysis.root_cause, /OOM/i);
    assert.match(incident.analysis.root_cause, /512Mi/);
    assert.ok(incident.findings.some((f: { cause: string }) => f.cause === 'oom-killed'));
    assert.equal(incident.evidence.clusterReadable, true);

    const parents = slack.messages().filter((m) => !m.threadTs || m.threadTs === m.ts);
    assert.equal(parents.length, 1, 'one parent message per incident');
    const thread = slack.thread(parents[0]!.channel, parents[0]!.ts);
    const reply = thread.find((m) => m.ts !== parents[0]!.ts);
    assert.ok(reply, 'the analysis is a reply in the thread');
    assert.match(reply.text, /Analysis complete/);
    assert.match(reply.text, /512Mi/);
    assert.ok(incident.slack.permalink, 'the incident links its Slack thread');

    const resolved = structuredClone(alert);
    resolved.status = 'resolved';
    for (const a of resolved.alerts) {
      a.status = 'resolved';
      a.endsAt = new Date().toISOString();
    }
    await post(resolved);
    await eventually(async () => (slack.thread(parents[0]!.channel, parents[0]!.ts).some((m) => /Resolved after/.test(m.text)) ? true : undefined), 30_000, 'resolution note');
  });
});
