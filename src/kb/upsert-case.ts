import type { Queryable } from '../db/make-pool.js';
import type { KbCaseRecord } from './kb-case.js';

/**
 * Stores a case, or updates the one already stored for the same incident (or the
 * same case id, for imports): re-validating never duplicates. Returns the case id.
 */
export async function upsertCase(db: Queryable, c: KbCaseRecord, embedding: number[]): Promise<string> {
  const conflict = c.incidentId ? '(incident_id)' : '(id)';
  const r = await db.query<{ id: string }>(
    `INSERT INTO kb_cases (id, incident_id, alertname, severity, category, cluster, namespace, workload_kind, workload_name,
                           title, root_cause, analysis, evidence, findings, correction, verdict, validated_by, validated_at,
                           embedded_text, embedding, embedding_model)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)
     ON CONFLICT ${conflict} DO UPDATE SET
       alertname = EXCLUDED.alertname, severity = EXCLUDED.severity, category = EXCLUDED.category,
       cluster = EXCLUDED.cluster, namespace = EXCLUDED.namespace, workload_kind = EXCLUDED.workload_kind,
       workload_name = EXCLUDED.workload_name, title = EXCLUDED.title, root_cause = EXCLUDED.root_cause,
       analysis = EXCLUDED.analysis, evidence = EXCLUDED.evidence, findings = EXCLUDED.findings,
       correction = EXCLUDED.correction, verdict = EXCLUDED.verdict, validated_by = EXCLUDED.validated_by,
       validated_at = EXCLUDED.validated_at, embedded_text = EXCLUDED.embedded_text, embedding = EXCLUDED.embedding,
       embedding_model = EXCLUDED.embedding_model, updated_at = now()
     RETURNING id`,
    [
      c.id, c.incidentId, c.alertname, c.severity, c.category, c.cluster, c.namespace, c.workloadKind, c.workloadName,
      c.title, c.rootCause, c.analysis, JSON.stringify(c.evidence), JSON.stringify(c.findings), c.correction, c.verdict,
      c.validatedBy, c.validatedAt, c.embeddedText, JSON.stringify(embedding), c.embeddingModel,
    ],
  );
  return r.rows[0]?.id ?? c.id;
}
