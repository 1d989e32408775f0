import type { Queryable } from '../db/make-pool.js';
import type { Finding } from '../domain/analysis.js';

/** An incident with its latest analysis: what a case is made from. */
export type CaseSource = {
  incidentId: string;
  alertname: string;
  severity: string | null;
  category: string;
  cluster: string;
  namespace: string | null;
  workloadKind: string | null;
  workloadName: string | null;
  summary: string;
  rootCause: string;
  analysis: string;
  findings: Finding[];
  evidence: unknown[];
};

type Row = {
  id: string;
  alertname: string;
  severity: string | null;
  category: string | null;
  cluster: string;
  namespace: string | null;
  workload_kind: string | null;
  workload_name: string | null;
  a_category: string | null;
  summary: string | null;
  root_cause: string | null;
  text: string | null;
  findings: Finding[] | null;
  evidence_items: unknown[] | null;
};

/** Null when the incident is gone or has no analysis yet. */
export async function loadCaseSource(db: Queryable, incidentId: string): Promise<CaseSource | null> {
  const r = await db.query<Row>(
    `SELECT i.id, i.alertname, i.severity, i.category, i.cluster, i.namespace, i.workload_kind, i.workload_name,
            a.category AS a_category, a.summary, a.root_cause, a.text, a.findings, a.evidence->'items' AS evidence_items
     FROM incidents i
     JOIN LATERAL (SELECT * FROM analyses WHERE incident_id = i.id ORDER BY created_at DESC, id DESC LIMIT 1) a ON true
     WHERE i.id = $1`,
    [incidentId],
  );
  const row = r.rows[0];
  if (!row) return null;
  return {
    incidentId: row.id,
    alertname: row.alertname,
    severity: row.severity,
    category: row.category ?? row.a_category ?? 'unknown',
    cluster: row.cluster,
    namespace: row.namespace,
    workloadKind: row.workload_kind,
    workloadName: row.workload_name,
    summary: row.summary ?? '',
    rootCause: row.root_cause ?? '',
    analysis: row.text ?? '',
    findings: row.findings ?? [],
    evidence: row.evidence_items ?? [],
  };
}
