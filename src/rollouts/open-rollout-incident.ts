import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { withTransaction } from '../db/make-pool.js';
import type { RolloutRecord } from './rollout-queries.js';
import { rolloutGroupKey } from './rollout-group-key.js';
import { rolloutRateDecision, type RolloutLimits } from './rollout-rate-limit.js';

export type OpenRolloutOutcome =
  | { outcome: 'opened'; incidentId: string }
  | { outcome: 'joined'; incidentId: string }
  | { outcome: 'suppressed'; note: string }
  | { outcome: 'already'; incidentId: string | null };

/** "k8flex rollout limits" as two int4s: serialises the count-then-open across replicas. */
const RATE_LOCK = [0x6b38666c, 0x726c6c74] as const;
const HOUR_MS = 3_600_000;

/**
 * Opens the incident and its investigate job for a failed rollout, in one
 * transaction, unless the rate limits say no (then the rollout keeps a note). Only
 * once per rollout row: a new leader re-detecting the same failure finds it done.
 * The description names only the rollout so the rules categorize it rollout-failed;
 * the reason and the change go into `k8flex/rollout-*` annotations for the
 * analyzers and the explain stage.
 */
export async function openRolloutIncident(
  pool: pg.Pool,
  input: { rolloutId: string; record: RolloutRecord; now: number; limits: RolloutLimits; maxAttempts: number },
): Promise<OpenRolloutOutcome> {
  const { record: r, now } = input;
  return withTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1, $2)', [...RATE_LOCK]);
    const current = await client.query<{ incident_id: string | null; suppressed: boolean }>(
      'SELECT incident_id, suppressed FROM rollouts WHERE id = $1 FOR UPDATE',
      [input.rolloutId],
    );
    const row = current.rows[0];
    if (!row || row.incident_id || row.suppressed) return { outcome: 'already', incidentId: row?.incident_id ?? null };

    const counts = await client.query<{ namespace: string; cluster: string }>(
      `SELECT count(*) FILTER (WHERE namespace = $2) AS namespace, count(*) AS cluster
       FROM rollouts WHERE cluster = $1 AND incident_id IS NOT NULL AND failed_at > $3`,
      [r.cluster, r.namespace, new Date(now - HOUR_MS).toISOString()],
    );
    const opened = { namespace: Number(counts.rows[0]?.namespace ?? 0), cluster: Number(counts.rows[0]?.cluster ?? 0) };
    const decision = rolloutRateDecision(opened, input.limits, r.namespace);
    if (!decision.allowed) {
      await client.query('UPDATE rollouts SET suppressed = true, note = $2, updated_at = now() WHERE id = $1', [input.rolloutId, decision.note]);
      return { outcome: 'suppressed', note: decision.note };
    }

    const s = r.state;
    const target = `${r.namespace}/${r.deployment}`;
    const description = `Rollout of Deployment ${target}${s.revision ? ` to revision ${s.revision}` : ''} failed`;
    const annotations: Record<string, string> = {
      summary: description,
      'k8flex/rollout-reason': s.reason ?? 'unknown',
      'k8flex/rollout-message': s.message ?? '',
      'k8flex/rollout-change': r.change?.summary ?? 'unknown',
      'k8flex/rollout-images-before': r.imagesBefore.join(', '),
      'k8flex/rollout-images-after': r.imagesAfter.join(', '),
      'k8flex/rollout-started-at': new Date(s.startedAt).toISOString(),
      ...(r.meta.slackChannel ? { 'k8flex/slack-channel': r.meta.slackChannel } : {}),
      ...(r.meta.team ? { 'k8flex/team': r.meta.team } : {}),
    };
    const labels: Record<string, string> = {
      alertname: 'RolloutFailed',
      namespace: r.namespace,
      deployment: r.deployment,
      ...(s.revision ? { revision: s.revision } : {}),
      rollout_reason: s.reason ?? 'unknown',
    };
    const groupKey = rolloutGroupKey(r.cluster, r.namespace, r.deployment);
    const inserted = await client.query<{ id: string }>(
      `INSERT INTO incidents (id, group_key, source, cluster, alertname, severity, namespace, workload_kind, workload_name,
                              description, labels, annotations, last_alert_at)
       VALUES ($1, $2, 'rollout', $3, 'RolloutFailed', 'warning', $4, 'Deployment', $5, $6, $7, $8, $9)
       ON CONFLICT (group_key) WHERE resolved_at IS NULL DO NOTHING
       RETURNING id`,
      [randomUUID(), groupKey, r.cluster, r.namespace, r.deployment, description, JSON.stringify(labels), JSON.stringify(annotations), new Date(now).toISOString()],
    );
    let incidentId = inserted.rows[0]?.id;
    let outcome: 'opened' | 'joined' = 'opened';
    if (incidentId) {
      await client.query(`INSERT INTO jobs (incident_id, kind, max_attempts) VALUES ($1, 'investigate', $2) ON CONFLICT (incident_id, kind) DO NOTHING`, [incidentId, input.maxAttempts]);
    } else {
      const open = await client.query<{ id: string }>('SELECT id FROM incidents WHERE group_key = $1 AND resolved_at IS NULL', [groupKey]);
      incidentId = open.rows[0]?.id;
      outcome = 'joined';
    }
    if (!incidentId) throw new Error(`no open incident for ${groupKey} after insert`);
    await client.query('UPDATE rollouts SET incident_id = $2, updated_at = now() WHERE id = $1', [input.rolloutId, incidentId]);
    return { outcome, incidentId };
  });
}

/**
 * A failed rollout that later completed: its incident resolves, and a 'resolved'
 * job tells the Slack thread. Returns the incident resolved, if any.
 */
export async function resolveRolloutIncident(pool: pg.Pool, rolloutId: string, maxAttempts: number): Promise<string | null> {
  return withTransaction(pool, async (client) => {
    const r = await client.query<{ id: string }>(
      `UPDATE incidents i SET resolved_at = now() FROM rollouts r
       WHERE r.id = $1 AND i.id = r.incident_id AND i.resolved_at IS NULL RETURNING i.id`,
      [rolloutId],
    );
    const id = r.rows[0]?.id ?? null;
    if (id) await client.query(`INSERT INTO jobs (incident_id, kind, max_attempts) VALUES ($1, 'resolved', $2) ON CONFLICT (incident_id, kind) DO NOTHING`, [id, maxAttempts]);
    return id;
  });
}
