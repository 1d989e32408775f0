import type pg from 'pg';
import type { Analysis, Finding, SimilarCase } from '../domain/analysis.js';
import type { Evidence } from '../domain/evidence.js';
import type { CategoryDecision, WorkloadRef } from '../domain/types.js';
import type { DeliveryResult } from '../pipeline/stages.js';
import { incidentFromRow, type IncidentRecord, type IncidentRow } from './incident-record.js';

type Db = Pick<pg.Pool, 'query'>;

export async function loadIncident(db: Db, id: string): Promise<IncidentRecord | null> {
  const r = await db.query<IncidentRow>('SELECT * FROM incidents WHERE id = $1', [id]);
  const row = r.rows[0];
  return row ? incidentFromRow(row) : null;
}

export async function markInvestigating(db: Db, id: string): Promise<void> {
  await db.query(
    `UPDATE incidents SET status = 'investigating', started_at = COALESCE(started_at, now()), error = NULL
     WHERE id = $1 AND status IN ('pending', 'investigating', 'failed')`,
    [id],
  );
}

export async function saveCategory(db: Db, id: string, decision: CategoryDecision): Promise<void> {
  await db.query('UPDATE incidents SET category = $2, category_confidence = $3, category_reason = $4 WHERE id = $1', [
    id,
    decision.category,
    decision.confidence,
    decision.reason,
  ]);
}

/** Records the workload the cluster says owns the target (grouping keeps its key). */
export async function saveResolvedWorkload(db: Db, id: string, workload: WorkloadRef): Promise<void> {
  await db.query(
    'UPDATE incidents SET workload_kind = $2, workload_name = $3, namespace = COALESCE(namespace, $4) WHERE id = $1',
    [id, workload.kind, workload.name, workload.namespace || null],
  );
}

export type CompletedInvestigation = {
  analysis: Analysis;
  category: CategoryDecision;
  evidence: Evidence;
  findings: Finding[];
  similar: SimilarCase[];
  delivery: DeliveryResult;
};

/** Stores the analysis and completes the incident in one transaction. */
/**
 * PostgreSQL text and jsonb cannot hold U+0000, which an LLM (or a log line) can
 * emit; left in, the insert fails on every retry and the incident ends `failed`.
 * Raw NULs and JSON `\u0000` escapes (not preceded by an escaping backslash) become U+FFFD.
 */
function storable(params: unknown[]): unknown[] {
  return params.map((p) => (typeof p === 'string' ? p.replaceAll('\u0000', '\uFFFD').replace(/(?<!\\)((?:\\\\)*)\\u0000/g, '$1\\ufffd') : p));
}

export async function completeInvestigation(client: pg.PoolClient, id: string, done: CompletedInvestigation): Promise<void> {
  const { analysis, evidence } = done;
  await client.query(
    `INSERT INTO analyses (incident_id, mode, category, summary, root_cause, confidence, owner, text, sections,
                           findings, evidence, similar_cases, analyzers, degraded, provider, model, prompt_version,
                           llm_calls, tokens_in, tokens_out, llm_error, context_chars, context_tokens)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)`,
    storable([
      id,
      analysis.mode,
      done.category.category,
      analysis.summary,
      analysis.rootCause,
      analysis.confidence,
      analysis.owner,
      analysis.text,
      JSON.stringify({
        summary: analysis.summary,
        rootCause: analysis.rootCause,
        evidence: analysis.evidence,
        impact: analysis.impact,
        actions: analysis.actions,
        prevention: analysis.prevention,
        confidence: analysis.confidence,
      }),
      JSON.stringify(done.findings),
      JSON.stringify({ target: evidence.target, items: evidence.items, missing: evidence.missing, clusterReadable: evidence.clusterReadable, apiCalls: evidence.apiCalls, context: evidence.context }),
      JSON.stringify(done.similar),
      JSON.stringify(analysis.analyzers),
      JSON.stringify(analysis.degraded),
      analysis.provider,
      analysis.model,
      analysis.promptVersion,
      analysis.llm?.calls ?? 0,
      analysis.llm?.tokensIn ?? 0,
      analysis.llm?.tokensOut ?? 0,
      analysis.llm?.error ?? null,
      evidence.context.chars,
      evidence.context.estimatedTokens,
    ]),
  );
  await client.query(
    `UPDATE incidents SET status = 'completed', completed_at = now(), error = NULL,
            slack_error = COALESCE($2, slack_error)
     WHERE id = $1`,
    [id, done.delivery.error],
  );
}

export async function failIncident(db: Db, id: string, error: string): Promise<void> {
  await db.query(`UPDATE incidents SET status = 'failed', error = $2, completed_at = now() WHERE id = $1 AND status <> 'completed'`, [
    id,
    error.slice(0, 4000),
  ]);
}
