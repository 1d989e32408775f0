import type pg from 'pg';
import { withTransaction } from '../db/make-pool.js';

export type AttachResult = { moved: Array<{ from: string; to: string }>; kept: string[] };

/**
 * The post-ingest step that joins alerts to a rollout's incident. Run it with the
 * incidents a webhook delivery just opened (`IngestResult.newIncidents`) before the
 * worker is notified. An alert incident about a Deployment whose failed rollout has
 * an open incident, arriving no later than `windowSeconds` after the rollout failed
 * or completed, gives its alerts to the rollout incident and is removed with its
 * job — one investigation, one Slack thread. An incident whose job a worker has
 * already claimed is kept: its investigation has started.
 *
 * Grouping keys stay as they are (alert keys carry the alert name; see
 * src/intake/incident-key.ts), so this runs after ingest rather than inside it.
 */
export async function attachAlertsToRollout(
  pool: pg.Pool,
  input: { cluster: string; incidentIds: string[]; windowSeconds: number; now: number },
): Promise<AttachResult> {
  const result: AttachResult = { moved: [], kept: [] };
  if (input.incidentIds.length === 0) return result;
  const candidates = await pool.query<{ id: string; rollout_incident: string }>(
    `SELECT i.id, r.incident_id AS rollout_incident
     FROM incidents i
     JOIN LATERAL (
       SELECT r.incident_id FROM rollouts r JOIN incidents ri ON ri.id = r.incident_id AND ri.resolved_at IS NULL
       WHERE r.cluster = i.cluster AND r.namespace = i.namespace AND r.deployment = i.workload_name
         AND r.started_at <= $3::timestamptz
         AND $3::timestamptz <= COALESCE(r.completed_at, r.failed_at, $3::timestamptz) + make_interval(secs => $4)
       ORDER BY r.started_at DESC LIMIT 1
     ) r ON true
     WHERE i.id = ANY($1::uuid[]) AND i.cluster = $2 AND i.source = 'alert' AND i.workload_kind = 'Deployment'`,
    [input.incidentIds, input.cluster, new Date(input.now).toISOString(), input.windowSeconds],
  );
  for (const c of candidates.rows) {
    const moved = await withTransaction(pool, async (client) => {
      const job = await client.query<{ status: string }>(
        `SELECT status FROM jobs WHERE incident_id = $1 AND kind = 'investigate' FOR UPDATE`,
        [c.id],
      );
      if (job.rows[0] && job.rows[0].status !== 'queued') return false;
      await client.query('UPDATE alerts SET incident_id = $2 WHERE incident_id = $1', [c.id, c.rollout_incident]);
      await client.query('DELETE FROM incidents WHERE id = $1', [c.id]);
      await client.query(
        `UPDATE incidents i SET last_alert_at = now(), alert_count = (SELECT count(*) FROM alerts a WHERE a.incident_id = i.id)
         WHERE i.id = $1`,
        [c.rollout_incident],
      );
      return true;
    });
    if (moved) result.moved.push({ from: c.id, to: c.rollout_incident });
    else result.kept.push(c.id);
  }
  return result;
}
