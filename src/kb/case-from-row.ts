import type { KbCaseRecord } from './kb-case.js';

/** The kb_cases columns every read selects (never the embedding). */
export const CASE_COLUMNS = `id, incident_id, alertname, severity, category, cluster, namespace, workload_kind, workload_name,
  title, root_cause, analysis, evidence, findings, correction, verdict, validated_by, validated_at, embedded_text, embedding_model`;

export type CaseRow = {
  id: string;
  incident_id: string | null;
  alertname: string;
  severity: string | null;
  category: string;
  cluster: string;
  namespace: string | null;
  workload_kind: string | null;
  workload_name: string | null;
  title: string | null;
  root_cause: string;
  analysis: string;
  evidence: unknown[];
  findings: unknown[];
  correction: string | null;
  verdict: 'correct' | 'incorrect';
  validated_by: string | null;
  validated_at: Date;
  embedded_text: string;
  embedding_model: string;
};

export function caseFromRow(r: CaseRow): KbCaseRecord {
  return {
    id: r.id,
    incidentId: r.incident_id,
    alertname: r.alertname,
    severity: r.severity,
    category: r.category,
    cluster: r.cluster,
    namespace: r.namespace,
    workloadKind: r.workload_kind,
    workloadName: r.workload_name,
    title: r.title,
    rootCause: r.root_cause,
    analysis: r.analysis,
    evidence: r.evidence,
    findings: r.findings,
    correction: r.correction,
    verdict: r.verdict,
    validatedBy: r.validated_by,
    validatedAt: new Date(r.validated_at).toISOString(),
    embeddedText: r.embedded_text,
    embeddingModel: r.embedding_model,
  };
}
