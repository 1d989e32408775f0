import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ingestWebhook } from '../../src/intake/ingest-webhook.js';
import { silentLogger } from '../../src/observability/logger.js';
import { attachAlertsToRollout } from '../../src/rollouts/attach-alerts-to-rollout.js';
import { makeRolloutWatcher, type RolloutWatcher } from '../../src/rollouts/make-rollout-watcher.js';
import { listRollouts, type RolloutRow } from '../../src/rollouts/rollout-queries.js';
import { makePayload } from '../support/alerts.js';
import { startFakeKubeApi, type FakeKubeApi } from '../support/fake-kube-api.js';
import { deployment, namespace, pod, rollOut, settled } from '../support/fake-kube/watch-rollout-objects.js';
import { startTestDb, type TestDb } from '../support/test-db.js';
import { eventually } from '../support/test-service.js';

const CLUSTER = 'test';

describe('rollout watcher over a watched fake API server', () => {
  let kube: FakeKubeApi;
  let db: TestDb;
  let watcher: RolloutWatcher;
  let jobsCreated = 0;

  async function rolloutOf(ns: string, name: string, status?: string): Promise<RolloutRow> {
    return eventually(async () => {
      const rows = await listRollouts(db.pool, { namespace: ns, deployment: name });
      const last = rows.at(-1);
      return last && (!status || last.status === status) ? last : undefined;
    }, 10_000, `${ns}/${name} ${status ?? 'any'}`);
  }

  before(async () => {
    db = await startTestDb();
    kube = await startFakeKubeApi({
      objects: [namespace('shop', { 'k8flex/slack-channel': '#shop', 'k8flex/team': 'payments', 'k8flex/tier': 'gold' }), namespace('quiet', { 'k8flex/watch': 'false' }), namespace('bulk'), namespace('ops')],
    });
    for (const [ns, name] of [['shop', 'web'], ['shop', 'api'], ['shop', 'cart'], ['shop', 'search'], ['shop', 'auth'], ['quiet', 'batch'], ['bulk', 'a'], ['bulk', 'b'], ['ops', 'tool']] as const) {
      settled(kube.store, ns, name, `${name}:1.0`);
    }
    watcher = makeRolloutWatcher({
      kubeConfig: kube.kubeConfig(),
      pool: db.pool,
      cluster: CLUSTER,
      namespaces: [],
      config: { failureGraceMs: 50, timeoutMs: 600_000 },
      limits: { perNamespacePerHour: 5, perClusterPerHour: 100 },
      maxAttempts: 3,
      checkIntervalMs: 30,
      resyncMs: 600_000,
      restartDelayMs: 50,
      onJobsCreated: () => void (jobsCreated += 1),
      logger: silentLogger(),
    });
    await watcher.start();
  });

  after(async () => {
    await watcher.stop();
    await kube.close();
    await db.close();
  });

  it('records nothing for Deployments that are already rolled out', async () => {
    await watcher.flush();
    assert.deepEqual(await listRollouts(db.pool), []);
  });

  it('a rollout whose new pods become ready is recorded as SUCCESS with images before and after', async () => {
    rollOut(kube.store, 'shop', 'search', 'search:1.1', 'running');
    await rolloutOf('shop', 'search', 'ROLLING_OUT');
    kube.store.put(deployment({ namespace: 'shop', name: 'search', image: 'search:1.1', generation: 2, revision: 2 }));
    const row = await rolloutOf('shop', 'search', 'SUCCESS');
    assert.deepEqual(row.images_before, ['search:1.0']);
    assert.deepEqual(row.images_after, ['search:1.1']);
    assert.equal(row.incident_id, null);
    assert.ok(row.completed_at);
  });

  it('crash-looping new pods past the grace fail the rollout and open a rollout incident with one investigate job', async () => {
    rollOut(kube.store, 'shop', 'web', 'web:2.0', 'CrashLoopBackOff', { FEATURE: 'on' });
    const row = await rolloutOf('shop', 'web', 'FAILED');
    assert.equal(row.reason, 'CrashLoopBackOff');
    const incidentId = await eventually(async () => (await rolloutOf('shop', 'web')).incident_id ?? undefined, 10_000, 'incident');
    const incident = (await db.pool.query('SELECT * FROM incidents WHERE id = $1', [incidentId])).rows[0];
    assert.equal(incident.source, 'rollout');
    assert.equal(incident.group_key, `${CLUSTER}/rollout/shop/Deployment/web`);
    assert.equal(incident.labels.namespace, 'shop');
    assert.equal(incident.labels.deployment, 'web');
    assert.match(incident.annotations['k8flex/rollout-change'], /image web:1\.0 → web:2\.0/);
    assert.match(incident.annotations['k8flex/rollout-change'], /env: added FEATURE/);
    assert.equal(incident.annotations['k8flex/slack-channel'], '#shop');
    const jobs = (await db.pool.query('SELECT kind FROM jobs WHERE incident_id = $1', [incidentId])).rows;
    assert.deepEqual(jobs, [{ kind: 'investigate' }]);
    const stored = (await db.pool.query('SELECT slack_channel, team, namespace_meta FROM rollouts WHERE id = $1', [row.id])).rows[0];
    assert.deepEqual(stored, { slack_channel: '#shop', team: 'payments', namespace_meta: { 'k8flex/tier': 'gold' } });
    assert.ok(jobsCreated >= 1);
  });

  it('an image typo fails the rollout as ImagePullBackOff', async () => {
    rollOut(kube.store, 'shop', 'api', 'api:1.1-typo', 'ImagePullBackOff');
    const row = await rolloutOf('shop', 'api', 'FAILED');
    assert.equal(row.reason, 'ImagePullBackOff');
  });

  it('unschedulable new pods fail the rollout as Unschedulable', async () => {
    rollOut(kube.store, 'shop', 'cart', 'cart:1.1', 'Unschedulable');
    const row = await rolloutOf('shop', 'cart', 'FAILED');
    assert.equal(row.reason, 'Unschedulable');
    assert.match((await db.pool.query('SELECT message FROM rollouts WHERE id = $1', [row.id])).rows[0].message, /Insufficient cpu/);
  });

  it('ProgressDeadlineExceeded fails the rollout, and a later recovery marks it SUCCESS and resolves its incident', async () => {
    rollOut(kube.store, 'shop', 'auth', 'auth:1.1', 'running');
    await rolloutOf('shop', 'auth', 'ROLLING_OUT');
    kube.store.put(deployment({ namespace: 'shop', name: 'auth', image: 'auth:1.1', generation: 2, revision: 2, updated: 1, available: 2, total: 3, deadlineExceeded: true }));
    const failed = await rolloutOf('shop', 'auth', 'FAILED');
    assert.equal(failed.reason, 'ProgressDeadlineExceeded');
    const incidentId = await eventually(async () => (await rolloutOf('shop', 'auth')).incident_id ?? undefined, 10_000, 'incident');
    kube.store.put(deployment({ namespace: 'shop', name: 'auth', image: 'auth:1.1', generation: 2, revision: 2 }));
    const recovered = await rolloutOf('shop', 'auth', 'SUCCESS');
    assert.ok(recovered.failed_at, 'the failure time is kept');
    const incident = await eventually(async () => {
      const r = (await db.pool.query('SELECT resolved_at FROM incidents WHERE id = $1', [incidentId])).rows[0];
      return r?.resolved_at ? r : undefined;
    }, 10_000, 'resolved incident');
    assert.ok(incident.resolved_at);
    assert.equal((await db.pool.query(`SELECT count(*)::int AS n FROM jobs WHERE incident_id = $1 AND kind = 'resolved'`, [incidentId])).rows[0].n, 1);
  });

  it('namespaces annotated k8flex/watch "false" are not watched', async () => {
    rollOut(kube.store, 'quiet', 'batch', 'batch:2', 'CrashLoopBackOff');
    // The ops rollout is written after the quiet one and evaluated in order.
    rollOut(kube.store, 'ops', 'tool', 'tool:2', 'running');
    await rolloutOf('ops', 'tool');
    await watcher.flush();
    assert.deepEqual(await listRollouts(db.pool, { namespace: 'quiet' }), []);
  });

  it('a watch that ends with 410 Gone re-lists, and a dropped watch resumes; both still see new rollouts', async () => {
    const lists = () => kube.requests.filter((r) => r.path === '/apis/apps/v1/deployments' && !r.query.includes('watch=true')).length;
    const before = lists();
    kube.compactWatchHistory();
    kube.watches.expireAll();
    await eventually(async () => (lists() > before ? true : undefined), 10_000, 're-list after 410');
    kube.store.put(deployment({ namespace: 'ops', name: 'tool', image: 'tool:2', generation: 2, revision: 2 }));
    await rolloutOf('ops', 'tool', 'SUCCESS');
    await eventually(async () => (kube.watches.open() >= 2 ? true : undefined), 10_000, 'watches reopened');
    kube.watches.dropAll();
    kube.store.put(pod('ops', 'tool', 3, 1, 'CrashLoopBackOff'));
    rollOut(kube.store, 'ops', 'tool', 'tool:3', 'CrashLoopBackOff');
    kube.store.put(deployment({ namespace: 'ops', name: 'tool', image: 'tool:3', generation: 3, revision: 3, updated: 1, available: 2, total: 3 }));
    const row = await rolloutOf('ops', 'tool', 'ROLLING_OUT');
    assert.equal(Number(row.generation), 3);
  });

  it('alerts for a Deployment with a failed rollout join the rollout incident instead of opening their own', async () => {
    const rolloutIncident = (await rolloutOf('shop', 'web')).incident_id;
    assert.ok(rolloutIncident);
    const ingest = await ingestWebhook(db.pool, makePayload([{ fingerprint: 'fp-web-1', labels: { namespace: 'shop', pod: 'web-6c9f8d7b5d-4xkqp' } }]), { cluster: CLUSTER, maxAttempts: 3 });
    assert.equal(ingest.newIncidents.length, 1);
    const attached = await attachAlertsToRollout(db.pool, { cluster: CLUSTER, incidentIds: ingest.newIncidents, windowSeconds: 1800, now: Date.now() });
    assert.deepEqual(attached.moved, [{ from: ingest.newIncidents[0], to: rolloutIncident }]);
    const alert = (await db.pool.query(`SELECT incident_id FROM alerts WHERE fingerprint = 'fp-web-1'`)).rows[0];
    assert.equal(alert.incident_id, rolloutIncident);
    assert.equal((await db.pool.query('SELECT count(*)::int AS n FROM incidents WHERE id = $1', [ingest.newIncidents[0]])).rows[0].n, 0);
    assert.equal((await db.pool.query('SELECT alert_count FROM incidents WHERE id = $1', [rolloutIncident])).rows[0].alert_count, 1);
  });

  it('alerts for a Deployment without a failed rollout keep their own incident', async () => {
    const ingest = await ingestWebhook(db.pool, makePayload([{ fingerprint: 'fp-other', labels: { namespace: 'shop', pod: 'other-6c9f8d7b5d-4xkqp' } }]), { cluster: CLUSTER, maxAttempts: 3 });
    const attached = await attachAlertsToRollout(db.pool, { cluster: CLUSTER, incidentIds: ingest.newIncidents, windowSeconds: 1800, now: Date.now() });
    assert.deepEqual(attached.moved, []);
  });
});
