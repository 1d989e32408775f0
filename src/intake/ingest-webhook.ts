import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { withTransaction } from '../db/make-pool.js';
import { incidentKey } from './incident-key.js';
import type { WebhookAlert, WebhookPayload } from './webhook-schema.js';
import { workloadFromLabels } from './workload-from-labels.js';

export type IngestResult = {
  received: number;
  firing: number;
  resolved: number;
  /** Incidents opened by this delivery (each with one new investigate job). */
  newIncidents: string[];
  /** Incidents whose last firing alert resolved in this delivery. */
  resolvedIncidents: string[];
};

/** Alertmanager sends `0001-01-01T00:00:00Z` as endsAt for alerts with no end. */
function endsAt(alert: WebhookAlert): string | null {
  if (!alert.endsAt || alert.endsAt.startsWith('0001-')) return null;
  return alert.endsAt;
}

type PreparedAlert = {
  fingerprint: string;
  starts_at: string;
  ends_at: string | null;
  status: 'firing' | 'resolved';
  alertname: string;
  namespace: string | null;
  severity: string | null;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  generator_url: string;
  group_key: string;
};

export function prepareAlerts(payload: WebhookPayload, cluster: string): PreparedAlert[] {
  // One row per (fingerprint, startsAt): a statement may not upsert the same row twice.
  const unique = new Map<string, PreparedAlert>();
  for (const alert of payload.alerts) {
    const labels = alert.labels;
    const alertname = labels.alertname ?? 'unknown';
    const namespace = labels.namespace ?? labels.exported_namespace ?? null;
    const workload = workloadFromLabels(labels);
    unique.set(`${alert.fingerprint}|${alert.startsAt}`, {
      fingerprint: alert.fingerprint,
      starts_at: alert.startsAt,
      ends_at: endsAt(alert),
      status: alert.status,
      alertname,
      namespace,
      severity: labels.severity ?? null,
      labels,
      annotations: alert.annotations,
      generator_url: alert.generatorURL,
      group_key: incidentKey({ cluster, alertname, namespace, workload, fingerprint: alert.fingerprint }),
    });
  }
  // A stable order keeps concurrent deliveries from deadlocking on row locks.
  return [...unique.values()].sort((a, b) => (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0));
}

type UpsertedAlert = { id: string; fingerprint: string; starts_at: Date; status: string; incident_id: string | null };

/**
 * Stores one Alertmanager delivery in a single transaction: alerts are upserted by
 * fingerprint + startsAt (repeats and HA peers update, never duplicate), new firing
 * alerts join the open incident with their key or open one with one job, and
 * resolved alerts resolve incidents with nothing left firing. The webhook answers
 * only after this commits.
 */
export async function ingestWebhook(
  pool: pg.Pool,
  payload: WebhookPayload,
  options: { cluster: string; maxAttempts: number },
): Promise<IngestResult> {
  const rows = prepareAlerts(payload, options.cluster);
  return withTransaction(pool, async (client) => {
    const upserted = await client.query<UpsertedAlert>(
      `INSERT INTO alerts (fingerprint, starts_at, ends_at, status, alertname, namespace, severity, labels,
                           annotations, generator_url, receiver, external_url, am_group_key, resolved_at)
       SELECT r.fingerprint, r.starts_at, r.ends_at, r.status, r.alertname, r.namespace, r.severity, r.labels,
              r.annotations, r.generator_url, $2, $3, $4, CASE WHEN r.status = 'resolved' THEN now() END
       FROM jsonb_to_recordset($1::jsonb) AS r(fingerprint text, starts_at timestamptz, ends_at timestamptz,
            status text, alertname text, namespace text, severity text, labels jsonb, annotations jsonb,
            generator_url text)
       ON CONFLICT (fingerprint, starts_at) DO UPDATE SET
         -- resolved is final for one firing: a late or stale 'firing' from an HA peer does not reopen it
         status = CASE WHEN alerts.status = 'resolved' THEN 'resolved' ELSE EXCLUDED.status END,
         ends_at = COALESCE(EXCLUDED.ends_at, alerts.ends_at),
         annotations = EXCLUDED.annotations,
         resolved_at = COALESCE(alerts.resolved_at, EXCLUDED.resolved_at),
         receive_count = alerts.receive_count + 1,
         last_received_at = now()
       RETURNING id, fingerprint, starts_at, status, incident_id`,
      [JSON.stringify(rows), payload.receiver, payload.externalURL, payload.groupKey],
    );

    const byFingerprint = new Map<string, PreparedAlert>();
    for (const row of rows) byFingerprint.set(row.fingerprint, row);

    // Firing alerts not yet in an incident: find or open the incident for their key.
    const unlinked = upserted.rows.filter((r) => r.status === 'firing' && r.incident_id === null);
    const groups = new Map<string, PreparedAlert>();
    for (const r of unlinked) {
      const prepared = byFingerprint.get(r.fingerprint);
      if (prepared && !groups.has(prepared.group_key)) groups.set(prepared.group_key, prepared);
    }

    const newIncidents: string[] = [];
    const incidentByKey = new Map<string, string>();
    if (groups.size > 0) {
      const candidates = [...groups.values()].map((a) => {
        const workload = workloadFromLabels(a.labels);
        return {
          id: randomUUID(),
          group_key: a.group_key,
          cluster: options.cluster,
          alertname: a.alertname,
          severity: a.severity,
          namespace: a.namespace,
          workload_kind: workload?.kind ?? null,
          workload_name: workload?.name ?? null,
          description: a.annotations.summary ?? a.annotations.description ?? a.annotations.message ?? null,
          labels: a.labels,
          annotations: a.annotations,
          generator_url: a.generator_url,
        };
      });
      const inserted = await client.query<{ id: string; group_key: string }>(
        `INSERT INTO incidents (id, group_key, source, cluster, alertname, severity, namespace, workload_kind,
                                workload_name, description, labels, annotations, generator_url, external_url, last_alert_at)
         SELECT c.id, c.group_key, 'alert', c.cluster, c.alertname, c.severity, c.namespace, c.workload_kind,
                c.workload_name, c.description, c.labels, c.annotations, c.generator_url, $2, now()
         FROM jsonb_to_recordset($1::jsonb) AS c(id uuid, group_key text, cluster text, alertname text,
              severity text, namespace text, workload_kind text, workload_name text, description text,
              labels jsonb, annotations jsonb, generator_url text)
         ORDER BY c.group_key
         ON CONFLICT (group_key) WHERE resolved_at IS NULL DO NOTHING
         RETURNING id, group_key`,
        [JSON.stringify(candidates), payload.externalURL || null],
      );
      newIncidents.push(...inserted.rows.map((r) => r.id));
      const open = await client.query<{ id: string; group_key: string }>(
        'SELECT id, group_key FROM incidents WHERE group_key = ANY($1::text[]) AND resolved_at IS NULL',
        [[...groups.keys()]],
      );
      for (const r of open.rows) incidentByKey.set(r.group_key, r.id);
      if (newIncidents.length > 0) {
        await client.query(
          `INSERT INTO jobs (incident_id, kind, max_attempts)
           SELECT unnest($1::uuid[]), 'investigate', $2 ON CONFLICT (incident_id, kind) DO NOTHING`,
          [newIncidents, options.maxAttempts],
        );
      }
      const links = unlinked.flatMap((r) => {
        const key = byFingerprint.get(r.fingerprint)?.group_key;
        const incidentId = key ? incidentByKey.get(key) : undefined;
        return incidentId ? [{ id: r.id, incident_id: incidentId }] : [];
      });
      await client.query(
        `UPDATE alerts a SET incident_id = l.incident_id
         FROM jsonb_to_recordset($1::jsonb) AS l(id bigint, incident_id uuid)
         WHERE a.id = l.id AND a.incident_id IS NULL`,
        [JSON.stringify(links)],
      );
    }

    const firingIncidents = new Set<string>([...incidentByKey.values()]);
    for (const r of upserted.rows) if (r.status === 'firing' && r.incident_id) firingIncidents.add(r.incident_id);
    if (firingIncidents.size > 0) {
      await client.query(
        `UPDATE incidents i SET last_alert_at = now(),
                alert_count = (SELECT count(*) FROM alerts a WHERE a.incident_id = i.id)
         WHERE i.id = ANY($1::uuid[])`,
        [[...firingIncidents]],
      );
    }

    const touchedByResolution = [
      ...new Set(upserted.rows.filter((r) => r.status === 'resolved' && r.incident_id).map((r) => r.incident_id as string)),
    ];
    let resolvedIncidents: string[] = [];
    if (touchedByResolution.length > 0) {
      const resolved = await client.query<{ id: string }>(
        `UPDATE incidents i SET resolved_at = now()
         WHERE i.id = ANY($1::uuid[]) AND i.resolved_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM alerts a WHERE a.incident_id = i.id AND a.status = 'firing')
         RETURNING id`,
        [touchedByResolution],
      );
      resolvedIncidents = resolved.rows.map((r) => r.id);
      if (resolvedIncidents.length > 0) {
        await client.query(
          `INSERT INTO jobs (incident_id, kind, max_attempts)
           SELECT unnest($1::uuid[]), 'resolved', $2 ON CONFLICT (incident_id, kind) DO NOTHING`,
          [resolvedIncidents, options.maxAttempts],
        );
      }
    }

    return {
      received: payload.alerts.length,
      firing: rows.filter((r) => r.status === 'firing').length,
      resolved: rows.filter((r) => r.status === 'resolved').length,
      newIncidents,
      resolvedIncidents,
    };
  });
}
