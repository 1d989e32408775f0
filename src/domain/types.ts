/**
 * Glossary — the words every stage of k8flex uses.
 *
 * alert      One Alertmanager alert (fingerprint + startsAt identify one firing of it).
 * incident   What is wrong, where: a group of alerts (or a rollout, or an API request)
 *            keyed by `groupKey` (see src/domain/incident-key.ts).
 * job        The unit of work "investigate this incident"; claimed by one worker at a time.
 * target     The Kubernetes object an incident is about, resolved from labels.
 * evidence   What we read from the cluster, each item naming where it came from.
 * finding    A deterministic analyzer's conclusion: a cause, the lines that prove it,
 *            a confidence and the actions that fix it.
 * analysis   The explanation delivered to people: written by an LLM from the findings,
 *            or offline from the findings alone. Both have the same structure.
 */

export const CATEGORIES = [
  'pod-crash',
  'pod-restart',
  'pod-pending',
  'image-pull',
  'oom-killed',
  'cpu-throttling',
  'service-down',
  'endpoint-missing',
  'node-not-ready',
  'disk-pressure',
  'network-policy',
  'dns-issues',
  'rollout-failed',
  'job-failed',
  'storage',
  'config-error',
  'unknown',
] as const;
export type Category = (typeof CATEGORIES)[number];

export const INCIDENT_SOURCES = ['alert', 'rollout', 'api', 'dashboard'] as const;
export type IncidentSource = (typeof INCIDENT_SOURCES)[number];

export const INCIDENT_STATUSES = ['pending', 'investigating', 'completed', 'failed'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

export const CONFIDENCE_LEVELS = ['high', 'medium', 'low'] as const;
export type ConfidenceLevel = (typeof CONFIDENCE_LEVELS)[number];

export const TRIAGE_OWNERS = ['application', 'platform', 'security'] as const;
export type TriageOwner = (typeof TRIAGE_OWNERS)[number];

/** One alert as Alertmanager sends it (webhook payload version 4), after validation. */
export type AlertmanagerAlert = {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
  fingerprint: string;
};

/** A workload reference: the thing that owns the pods (Deployment, StatefulSet, …). */
export type WorkloadRef = { kind: string; namespace: string; name: string };

/**
 * What the pipeline is asked to investigate. Built by every door (webhook, rollout
 * watcher, REST API, dashboard) from its own input; stages see only this.
 */
export type IncidentSubject = {
  incidentId: string;
  source: IncidentSource;
  cluster: string;
  alertname: string;
  severity: string;
  /** Labels of the representative alert (or entities extracted from a description). */
  labels: Record<string, string>;
  annotations: Record<string, string>;
  namespace: string | null;
  workload: WorkloadRef | null;
  /** Free text from the REST API / dashboard, or the alert's summary. */
  description: string | null;
  startsAt: string;
  /** The incident's group key (src/domain/incident-key.ts); lets Slack reuse a recent thread for a repeat. */
  groupKey?: string;
  generatorURL: string | null;
  externalURL: string | null;
};

export type CategoryDecision = {
  category: Category;
  /** 0..1 — how sure the deciding rule (or model) is. */
  confidence: number;
  reason: string;
  decidedBy: 'rules' | 'evidence' | 'llm';
};

/** Where one evidence item came from: object and API path or query. */
export type EvidenceSource = {
  kind: string;
  namespace?: string;
  name?: string;
  /** The REST path (`/api/v1/namespaces/x/pods/y/log?container=c&previous=true`) or a PromQL query. */
  path: string;
};

export type EvidenceItem = {
  /** Stable within one incident, e.g. `pod/prod/api-7d9f/logs/app/previous`. */
  id: string;
  title: string;
  source: EvidenceSource;
  /** Redacted, human-readable text (YAML-ish summary, log tail, event list). */
  text: string;
  truncated: boolean;
  /** Set when the read failed (403, 404, timeout): the item says what could not be read. */
  error?: string;
};

export type ContainerLog = {
  namespace: string;
  pod: string;
  container: string;
  previous: boolean;
  /** Redacted text of the tail. */
  text: string;
  truncated: boolean;
};

/** Secret and ConfigMap references carry names and key names only — never values. */
export type KeyListing = { namespace: string; name: string; keys: string[]; missing?: boolean };

export type ResolvedTarget = {
  namespace: string | null;
  pod: string | null;
  container: string | null;
  node: string | null;
  service: string | null;
  pvc: string | null;
  workload: WorkloadRef | null;
  /** Labels that were present but could not be resolved to an object, with the reason. */
  unresolved: string[];
};

/**
 * A Prometheus query result reduced to what analyzers read. `name` is the query's
 * role (`cpuThrottledRatio`, `memoryWorkingSetBytes`, …, see collect-metrics.ts);
 * `namespace` and `pod` are the target it was scoped to, since aggregated series
 * (`sum by (container)`) no longer carry those labels.
 */
export type MetricSample = { name: string; namespace: string; pod: string; query: string; labels: Record<string, string>; value: number };
