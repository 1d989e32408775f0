import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { freePort } from '../support/alertmanager.js';
import { makePayload } from '../support/alerts.js';
import { startFakeKubeApi, type FakeKubeApi } from '../support/fake-kube-api.js';
import { deployment, namespace, pod, replicaSet, settled } from '../support/fake-kube/watch-rollout-objects.js';
import { startFakeSlack, type FakeSlack, type FakeSlackCall } from '../support/fake-slack.js';
import { spawnLoggedService, type LoggedService } from '../support/spawn-logged-service.js';
import { startPostgres, type RunningPostgres } from '../support/start-postgres.js';
import { eventually } from '../support/test-service.js';

/**
 * Two `k8flex serve` processes with every role on one real PostgreSQL, one fake
 * Kubernetes API and one fake Slack, as two replicas of a Deployment run. The rollout
 * watcher must run on the Lease holder only and the feedback poller once per cron
 * slot; `kill -9` of the leader must move both to the survivor and lose nothing.
 *
 * The replicas have different Slack bot tokens so the fake Slack can tell which one
 * made each call.
 */

const TOKEN = 'two-replicas-webhook-token';
const LEASE_SECONDS = 3;
/** Every other second: each reactions.get belongs to the even second it follows. */
const POLL_CRON = '*/2 * * * * *';
const POLL_SLOT_MS = 2000;
const LEASE = { group: 'coordination.k8s.io', version: 'v1', plural: 'leases', kind: 'Lease', namespaced: true };

type IncidentRow = { id: string; source: string; status: string; workload_name: string | null; slack_parent_ts: string | null; slack_reply_ts: string | null; slack_channel: string | null };

describe('two replicas on one PostgreSQL', () => {
  let postgres: RunningPostgres;
  let kube: FakeKubeApi;
  let slack: FakeSlack;
  let dir: string;
  const replicas: Record<'a' | 'b', LoggedService | null> = { a: null, b: null };
  const tokens = { a: 'xoxb-replica-a', b: 'xoxb-replica-b' } as const;

  const query = async <T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> => {
    const client = new pg.Client({ connectionString: postgres.connectionString });
    await client.connect();
    try {
      return (await client.query<T>(sql, params)).rows;
    } finally {
      await client.end();
    }
  };
  const incidents = (where = 'true', params: unknown[] = []) =>
    query<IncidentRow>(`SELECT id, source, status, workload_name, slack_parent_ts, slack_reply_ts, slack_channel FROM incidents WHERE ${where} ORDER BY created_at`, params);
  const lease = () => kube.store.get(LEASE, 'k8flex', 'k8flex-watcher') as { spec?: { holderIdentity?: string; renewTime?: string } } | undefined;
  const holder = () => lease()?.spec?.holderIdentity ?? '';
  /** The replica whose log says it became the leader under `identity`. */
  const replicaWithIdentity = (identity: string) =>
    (['a', 'b'] as const).find((k) => replicas[k]?.said('became the leader').some((l) => l.identity === identity)) ?? null;
  const parentsOf = (ts: string | null) => slack.messages().filter((m) => m.threadTs === null && m.ts === ts);

  /** Plays the Deployment controller: revision 2 of `name` never becomes available and hits its progress deadline. */
  function failRollout(name: string): void {
    kube.store.put(replicaSet('shop', name, `${name}:2.0`, 2));
    kube.store.put(pod('shop', name, 2, 1, 'CrashLoopBackOff'));
    kube.store.put(deployment({ namespace: 'shop', name, image: `${name}:2.0`, generation: 2, revision: 2, updated: 1, available: 2, total: 3, deadlineExceeded: true }));
  }

  async function postAlert(url: string, fingerprint: string): Promise<number> {
    // One workload per alert: alerts on the same workload would join one incident.
    const payload = makePayload([{ fingerprint, labels: { namespace: 'shop', deployment: fingerprint, pod: `${fingerprint}-6c9f8d7b5d-x1` } }]);
    const res = await fetch(`${url}/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify(payload),
    });
    return res.status;
  }

  /** reactions.get calls for `ts`, grouped by the cron slot they served (the even second before them). */
  function pollsPerSlot(ts: string, since: number): Map<number, FakeSlackCall[]> {
    const slots = new Map<number, FakeSlackCall[]>();
    for (const c of slack.callsTo('reactions.get')) {
      if (c.body.timestamp !== ts || c.at < since || c.error) continue;
      // Half a slot of leeway both ways: a tick's call lands well within a second of its slot.
      const slot = Math.round(c.at / POLL_SLOT_MS);
      slots.set(slot, [...(slots.get(slot) ?? []), c]);
    }
    return slots;
  }

  before(async () => {
    postgres = await startPostgres(await freePort());
    kube = await startFakeKubeApi({ objects: [namespace('shop')] });
    for (const name of ['web', 'api']) settled(kube.store, 'shop', name, `${name}:1.0`);
    slack = await startFakeSlack({ token: tokens.a, extraTokens: [tokens.b] });
    dir = mkdtempSync(join(tmpdir(), 'k8flex-two-replicas-'));
    const kubeconfig = join(dir, 'config');
    writeFileSync(kubeconfig, kube.kubeConfig().exportConfig());
    const env = (token: string): Record<string, string> => ({
      DATABASE_URL: postgres.connectionString,
      HOME: dir,
      K8S_IN_CLUSTER: 'false',
      KUBECONFIG: kubeconfig,
      WEBHOOK_AUTH_TOKEN: TOKEN,
      JOB_LEASE_MS: '2000',
      JOB_POLL_INTERVAL_MS: '100',
      JOB_BACKOFF_BASE_MS: '50',
      JOB_BACKOFF_MAX_MS: '200',
      SLACK_BOT_TOKEN: token,
      SLACK_API_URL: slack.url,
      SLACK_DEFAULT_CHANNEL: '#incidents',
      SLACK_UPDATE_INTERVAL_MS: '0',
      SLACK_UPDATES_PER_MINUTE: '100000',
      SLACK_TIMEOUT_MS: '2000',
      FEEDBACK_POLL_CRON: POLL_CRON,
      FEEDBACK_REACTIONS_PER_MINUTE: '1000',
      LEADER_LEASE_SECONDS: String(LEASE_SECONDS),
      ROLLOUT_CHECK_INTERVAL_SECONDS: '1',
      ROLLOUT_FAILURE_GRACE_SECONDS: '1',
      SHUTDOWN_TIMEOUT_MS: '3000',
    });
    // Started together: both run the migrations at once, serialised by the advisory lock.
    [replicas.a, replicas.b] = await Promise.all([spawnLoggedService(env(tokens.a), await freePort()), spawnLoggedService(env(tokens.b), await freePort())]);
  });

  after(async () => {
    for (const r of [replicas.a, replicas.b]) if (r && r.child.exitCode === null && r.child.signalCode === null) await r.stop();
    await slack?.close();
    await kube?.close();
    await postgres?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('applies the migrations on real PostgreSQL, skipping the knowledge base without pgvector, and completes a webhook incident', async () => {
    const versions = (await query<{ version: string }>('SELECT version FROM schema_migrations ORDER BY version')).map((r) => r.version);
    assert.ok(versions.includes('001_core') && versions.includes('002_feedback') && versions.includes('004_rollouts'), versions.join(','));
    assert.ok(!versions.includes('003_kb_cases'), 'the pgvector migration is skipped');
    assert.equal(await postAlert(replicas.a!.url, 'main-flow'), 200);
    const [incident] = await eventually(async () => {
      const rows = await incidents(`source = 'alert' AND status = 'completed'`);
      return rows.length === 1 ? rows : undefined;
    }, 20_000, 'the webhook incident completed');
    assert.equal(parentsOf(incident!.slack_parent_ts).length, 1, 'one Slack parent message');
  });

  it('exactly one replica holds the Lease and runs the rollout watcher', async () => {
    const identity = await eventually(async () => holder() || undefined, 15_000, 'a Lease holder');
    const leader = await eventually(async () => replicaWithIdentity(identity) ?? undefined, 10_000, `the holder ${identity} is one of the two replicas`);
    const other = leader === 'a' ? 'b' : 'a';
    // Several renew periods with both replicas up: the other one never leads or watches.
    await new Promise((r) => setTimeout(r, LEASE_SECONDS * 1000));
    assert.equal(holder(), identity, 'the Lease stays with the leader while it renews');
    assert.equal(replicas[leader]!.said('watching Deployment rollouts').length, 1);
    assert.deepEqual(replicas[other]!.said('became the leader'), []);
    assert.deepEqual(replicas[other]!.said('watching Deployment rollouts'), []);
  });

  it('a failed rollout opens one incident and one Slack parent message, not one per replica', async () => {
    failRollout('web');
    const [incident] = await eventually(async () => {
      const rows = await incidents(`source = 'rollout' AND workload_name = 'web' AND status = 'completed'`);
      return rows.length > 0 ? rows : undefined;
    }, 20_000, 'the rollout incident completed');
    // A few more in-flight checks (one a second) must not open another.
    await new Promise((r) => setTimeout(r, 3000));
    assert.equal((await incidents(`source = 'rollout' AND workload_name = 'web'`)).length, 1);
    assert.equal(parentsOf(incident!.slack_parent_ts).length, 1);
    const reports = [...replicas.a!.said('rollout failed'), ...replicas.b!.said('rollout failed')];
    assert.equal(reports.length, 1, 'only the leader saw the rollout fail');
  });

  it('the feedback poller reads each open analysis once per cron slot, not once per replica, and records a ✅ once', async () => {
    const [incident] = await incidents(`source = 'rollout' AND workload_name = 'web'`);
    assert.ok(incident?.slack_reply_ts && incident.slack_channel);
    const since = Date.now();
    slack.addReaction(incident.slack_channel, incident.slack_reply_ts, 'white_check_mark', 'UENGINEER1');
    await eventually(async () => {
      const rows = await query<{ n: number }>('SELECT count(*)::int AS n FROM feedback WHERE incident_id = $1', [incident.id]);
      return rows[0]?.n === 1 ? true : undefined;
    }, 15_000, 'the ✅ recorded');
    // Watch several slots after it was recorded.
    await new Promise((r) => setTimeout(r, 4 * POLL_SLOT_MS));
    const slots = pollsPerSlot(incident.slack_reply_ts, since);
    assert.ok(slots.size >= 3, `polled in several slots (${slots.size})`);
    const doubled = [...slots].filter(([, calls]) => calls.length > 1).map(([slot, calls]) => `${new Date(slot * POLL_SLOT_MS).toISOString()}: ${calls.map((c) => c.token).join(', ')}`);
    assert.deepEqual(doubled, [], 'no slot polled the message twice');
    const feedback = await query<{ verdict: string; user_name: string }>('SELECT verdict, user_name FROM feedback WHERE incident_id = $1', [incident.id]);
    assert.deepEqual(feedback, [{ verdict: 'correct', user_name: 'UENGINEER1' }]);
    const thanks = slack.thread(incident.slack_channel, incident.slack_parent_ts!).filter((m) => m.text.startsWith('🙏'));
    assert.equal(thanks.length, 1, 'acknowledged once');
  });

  it('kill -9 of the leader: the survivor takes the Lease, investigates the next failed rollout, keeps polling, and loses no accepted alert', async () => {
    const identity = holder();
    const leader = replicaWithIdentity(identity);
    assert.ok(leader);
    const survivor = leader === 'a' ? 'b' : 'a';
    // Accepted by the leader just before it dies: some still queued or in flight.
    for (let i = 0; i < 10; i++) assert.equal(await postAlert(replicas[leader]!.url, `before-kill-${i}`), 200);
    await replicas[leader]!.kill9();
    const lastRenew = Date.parse(lease()?.spec?.renewTime ?? '');
    assert.ok(Number.isFinite(lastRenew), 'the Lease records its last renewal');

    const next = await eventually(async () => (holder() !== identity && holder() !== '' ? holder() : undefined), LEASE_SECONDS * 1000 + 10_000, 'a new Lease holder');
    // Its "became the leader" log line may reach us a moment after the Lease write.
    const nextReplica = await eventually(async () => replicaWithIdentity(next) ?? undefined, 10_000, 'the new holder\'s log line');
    assert.equal(nextReplica, survivor, 'the survivor holds the Lease');
    // The survivor saw that renewal no earlier than it was made, and waits a lease duration from there.
    const sinceRenewMs = Date.now() - lastRenew;
    assert.ok(sinceRenewMs >= LEASE_SECONDS * 1000, `not before the lease ran out (${sinceRenewMs} ms after the last renewal)`);

    failRollout('api');
    const [api] = await eventually(async () => {
      const rows = await incidents(`source = 'rollout' AND workload_name = 'api' AND status = 'completed'`);
      return rows.length > 0 ? rows : undefined;
    }, 20_000, 'the second rollout incident completed on the survivor');
    assert.equal(replicas[survivor]!.said('rollout failed').filter((l) => l.deployment === 'api').length, 1);
    assert.equal(parentsOf(api!.slack_parent_ts).length, 1);
    // The new leader re-read the first failed rollout without opening it again.
    assert.equal((await incidents(`source = 'rollout' AND workload_name = 'web'`)).length, 1);

    const alerts = await eventually(async () => {
      const rows = await incidents(`source = 'alert' AND status = 'completed'`);
      return rows.length === 11 ? rows : undefined;
    }, 30_000, 'every accepted alert completed');
    assert.deepEqual(alerts.filter((i) => parentsOf(i.slack_parent_ts).length !== 1).map((i) => i.id), [], 'one Slack parent each');
    const jobs = await query<{ status: string; n: number }>(`SELECT status, count(*)::int AS n FROM jobs WHERE kind = 'investigate' GROUP BY status`);
    assert.deepEqual(jobs, [{ status: 'done', n: 13 }]);

    const afterKill = await eventually(async () => {
      const calls = slack.callsTo('reactions.get').filter((c) => c.at > Date.now() - POLL_SLOT_MS * 2 && c.body.timestamp === api!.slack_reply_ts);
      return calls.length > 0 ? calls : undefined;
    }, 15_000, 'feedback polling on the survivor');
    assert.ok(afterKill.every((c) => c.token === tokens[survivor]), 'only the survivor polls');
  });
});
