import type { IncidentRecord } from '../../store/incident-record.js';

/** The public JSON shape of an incident (snake_case, ISO times). */
export function incidentJson(i: IncidentRecord): Record<string, unknown> {
  return {
    id: i.id,
    source: i.source,
    status: i.status,
    category: i.category,
    category_confidence: i.categoryConfidence,
    alertname: i.alertname,
    severity: i.severity,
    cluster: i.cluster,
    namespace: i.namespace,
    workload: i.workloadKind && i.workloadName ? { kind: i.workloadKind, name: i.workloadName } : null,
    group_key: i.groupKey,
    description: i.description,
    entities: i.entities,
    alert_count: i.alertCount,
    error: i.error,
    created_at: i.createdAt.toISOString(),
    started_at: i.startedAt?.toISOString() ?? null,
    completed_at: i.completedAt?.toISOString() ?? null,
    last_alert_at: i.lastAlertAt?.toISOString() ?? null,
    resolved_at: i.resolvedAt?.toISOString() ?? null,
    slack: { channel: i.slackChannel, permalink: i.slackPermalink, error: i.slackError },
  };
}
