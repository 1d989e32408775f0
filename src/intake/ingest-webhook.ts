import type { Queryable } from '../db/make-pool.js';
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
  /** What an incident opened by this alert records. */
  workload_kind: string | null;
  workload_name: string | null;
  description: string | null;
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
      workload_kind: workload?.kind ?? null,
      workload_name: workload?.name ?? null,
      description: alert.annotations.summary ?? alert.annotations.description ?? alert.annotations.message ?? null,
    });
  }
  // A stable order keeps concurrent deliveries from deadlocking on row locks.
  return [...unique.values()].sort((a, b) => (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0));
}

/**
 * Stores one Alertmanager delivery with one statement, `ingest_alerts`
 * (sql/007_ingest_alerts.sql), which is its own transaction: alerts are upserted by
 * fingerprint + startsAt (repeats and HA peers update, never duplicate), new firing
 * alerts join the open incident with their key or open one with one job, and
 * resolved alerts resolve incidents with nothing left firing. One round trip
 * whatever the number of alerts; the webhook answers only after it commits.
 */
export async function ingestWebhook(
  pool: Queryable,
  payload: WebhookPayload,
  options: { cluster: string; maxAttempts: number },
): Promise<IngestResult> {
  const rows = prepareAlerts(payload, options.cluster);
  const result = await pool.query<{ new_incidents: string[]; resolved_incidents: string[] }>(
    'SELECT new_incidents, resolved_incidents FROM ingest_alerts($1::jsonb, $2, $3, $4, $5, $6)',
    [JSON.stringify(rows), options.cluster, payload.receiver, payload.externalURL, payload.groupKey, options.maxAttempts],
  );
  const stored = result.rows[0];
  if (!stored) throw new Error('ingest_alerts returned no row');
  return {
    received: payload.alerts.length,
    firing: rows.filter((r) => r.status === 'firing').length,
    resolved: rows.filter((r) => r.status === 'resolved').length,
    newIncidents: stored.new_incidents,
    resolvedIncidents: stored.resolved_incidents,
  };
}
