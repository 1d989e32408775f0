import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Service } from '../../src/main.js';
import { startAlertmanager, type RunningAlertmanager } from '../support/alertmanager.js';
import { eventually, json, startTestService } from '../support/test-service.js';

const TOKEN = 'e2e-secret-token';

type IncidentJson = { id: string; status: string; alertname: string; namespace: string; resolved_at: string | null; alert_count: number };

describe('real Alertmanager delivering to k8flex', () => {
  let s: Service;
  const managers: RunningAlertmanager[] = [];
  const incidents = async (): Promise<IncidentJson[]> => (await json(await fetch(`${s.url}/api/v1/incidents?limit=200`))).items;
  const webhook503s = async () => {
    const text = await (await fetch(`${s.url}/metrics`)).text();
    return Number(/k8flex_webhook_requests_total\{code="503"\} (\d+)/.exec(text)?.[1] ?? 0);
  };

  before(async () => {
    s = await startTestService({ WEBHOOK_AUTH_TOKEN: TOKEN });
    for (let i = 0; i < 2; i++) managers.push(await startAlertmanager({ webhookUrl: `${s.url}/webhook`, token: TOKEN }));
  });
  after(async () => {
    await Promise.all(managers.map((m) => m.stop()));
    await s.stop();
  });

  it('turns alerts posted to Alertmanager into an incident and resolves it', async () => {
    const am = managers[0]!;
    const labels = { alertname: 'KubePodCrashLooping', namespace: 'shop', pod: 'cart-6c9f8d7b5d-4xkqp', severity: 'warning' };
    const labels2 = { ...labels, pod: 'cart-6c9f8d7b5d-9tzrw' };
    await am.postAlerts([{ labels, annotations: { summary: 'Pod is crash looping.' } }, { labels: labels2 }]);
    const incident = await eventually(async () => (await incidents()).find((i) => i.alertname === 'KubePodCrashLooping' && i.namespace === 'shop'), 30_000, 'incident');
    await eventually(async () => ((await incidents()).find((i) => i.id === incident.id)?.status === 'completed' ? true : undefined), 30_000, 'completion');
    const past = new Date(Date.now() - 1000).toISOString();
    await am.postAlerts([{ labels, endsAt: past }, { labels: labels2, endsAt: past }]);
    const resolved = await eventually(async () => (await incidents()).find((i) => i.id === incident.id && i.resolved_at), 30_000, 'resolution');
    assert.equal(resolved.alert_count, 2);
    assert.equal((await incidents()).filter((i) => i.alertname === 'KubePodCrashLooping').length, 1);
  });

  it('yields one incident when two Alertmanagers deliver the same alerts', async () => {
    const labels = { alertname: 'KubeDeploymentReplicasMismatch', namespace: 'pay', deployment: 'ledger', severity: 'warning' };
    const startsAt = new Date(Date.now() - 60_000).toISOString();
    await Promise.all(managers.map((m) => m.postAlerts([{ labels, startsAt }])));
    await eventually(async () => {
      const r = await s.pool.query(`SELECT receive_count FROM alerts WHERE alertname = 'KubeDeploymentReplicasMismatch'`);
      return r.rows.length === 1 && r.rows[0].receive_count >= 2 ? true : undefined;
    }, 30_000, 'both deliveries');
    assert.equal((await incidents()).filter((i) => i.alertname === 'KubeDeploymentReplicasMismatch').length, 1);
    const jobs = await s.pool.query(`SELECT count(*)::int AS n FROM jobs j JOIN incidents i ON i.id = j.incident_id WHERE i.alertname = 'KubeDeploymentReplicasMismatch'`);
    assert.equal(jobs.rows[0].n, 1);
  });

  it('loses nothing while the database is down: 503s, then Alertmanager retries succeed', async () => {
    const before503 = await webhook503s();
    await s.embedded!.pause();
    const labels = { alertname: 'KubeJobFailed', namespace: 'batch', job_name: 'nightly-report', severity: 'warning' };
    try {
      await managers[0]!.postAlerts([{ labels, annotations: { summary: 'Job failed to complete.' } }]);
      await eventually(async () => ((await webhook503s()) > before503 ? true : undefined), 30_000, 'a 503 answer');
    } finally {
      await s.embedded!.resume();
    }
    const incident = await eventually(async () => (await incidents()).find((i) => i.alertname === 'KubeJobFailed'), 60_000, 'the retried delivery');
    assert.equal(incident.namespace, 'batch');
  });
});
