import type { IncidentSource, IncidentStatus, IncidentSubject } from '../domain/types.js';

/** An `incidents` row as the code reads it. */
export type IncidentRecord = {
  id: string;
  groupKey: string;
  source: IncidentSource;
  status: IncidentStatus;
  cluster: string;
  alertname: string;
  severity: string | null;
  namespace: string | null;
  workloadKind: string | null;
  workloadName: string | null;
  description: string | null;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  entities: Record<string, string>;
  generatorUrl: string | null;
  externalUrl: string | null;
  category: string | null;
  categoryConfidence: number | null;
  categoryReason: string | null;
  notify: boolean;
  alertCount: number;
  error: string | null;
  createdAt: Date;
  startedAt: Date | null;
  completedAt: Date | null;
  lastAlertAt: Date | null;
  resolvedAt: Date | null;
  slackChannel: string | null;
  slackParentTs: string | null;
  slackReplyTs: string | null;
  slackPermalink: string | null;
  slackError: string | null;
};

export type IncidentRow = {
  id: string;
  group_key: string;
  source: IncidentSource;
  status: IncidentStatus;
  cluster: string;
  alertname: string;
  severity: string | null;
  namespace: string | null;
  workload_kind: string | null;
  workload_name: string | null;
  description: string | null;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  entities: Record<string, string>;
  generator_url: string | null;
  external_url: string | null;
  category: string | null;
  category_confidence: number | null;
  category_reason: string | null;
  notify: boolean;
  alert_count: number;
  error: string | null;
  created_at: Date;
  started_at: Date | null;
  completed_at: Date | null;
  last_alert_at: Date | null;
  resolved_at: Date | null;
  slack_channel: string | null;
  slack_parent_ts: string | null;
  slack_reply_ts: string | null;
  slack_permalink: string | null;
  slack_error: string | null;
};

export function incidentFromRow(r: IncidentRow): IncidentRecord {
  return {
    id: r.id,
    groupKey: r.group_key,
    source: r.source,
    status: r.status,
    cluster: r.cluster,
    alertname: r.alertname,
    severity: r.severity,
    namespace: r.namespace,
    workloadKind: r.workload_kind,
    workloadName: r.workload_name,
    description: r.description,
    labels: r.labels,
    annotations: r.annotations,
    entities: r.entities,
    generatorUrl: r.generator_url,
    externalUrl: r.external_url,
    category: r.category,
    categoryConfidence: r.category_confidence,
    categoryReason: r.category_reason,
    notify: r.notify,
    alertCount: r.alert_count,
    error: r.error,
    createdAt: r.created_at,
    startedAt: r.started_at,
    completedAt: r.completed_at,
    lastAlertAt: r.last_alert_at,
    resolvedAt: r.resolved_at,
    slackChannel: r.slack_channel,
    slackParentTs: r.slack_parent_ts,
    slackReplyTs: r.slack_reply_ts,
    slackPermalink: r.slack_permalink,
    slackError: r.slack_error,
  };
}

/** What the pipeline is asked to investigate, from the stored incident. */
export function subjectFromIncident(i: IncidentRecord): IncidentSubject {
  const workload =
    i.workloadKind && i.workloadName ? { kind: i.workloadKind, namespace: i.namespace ?? '', name: i.workloadName } : null;
  return {
    incidentId: i.id,
    groupKey: i.groupKey,
    source: i.source,
    cluster: i.cluster,
    alertname: i.alertname,
    severity: i.severity ?? 'warning',
    labels: { ...i.entities, ...i.labels },
    annotations: i.annotations,
    namespace: i.namespace,
    workload,
    description: i.description,
    startsAt: (i.lastAlertAt ?? i.createdAt).toISOString(),
    generatorURL: i.generatorUrl,
    externalURL: i.externalUrl,
  };
}
