import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { Embedder } from '../embeddings/embedder.js';
import { caseText } from './case-text.js';
import { deleteCaseOfIncident } from './delete-case.js';
import { analyzeCasesIfGrown } from './analyze-cases-if-grown.js';
import type { CaseMatch, CaseVerdict, KbCaseRecord } from './kb-case.js';
import { kbCasesGauge } from './kb-metrics.js';
import { countCases } from './list-cases.js';
import { loadCaseSource } from './load-case-source.js';
import { searchCases } from './search-cases.js';
import { upsertCase } from './upsert-case.js';

export type CaseSearch = {
  text: string;
  cluster: string | null;
  threshold: number;
  topK: number;
  excludeIncidentId?: string | null;
};

/** The knowledge base as the feedback loop, the recall stage and the CLI use it. */
export type KnowledgeBase = {
  model: string;
  /** Stores or updates the incident's case with this verdict; null when the incident has no analysis. */
  recordVerdict(args: { incidentId: string; verdict: CaseVerdict; by: string | null; at: Date; correction: string | null }): Promise<string | null>;
  setCorrection(incidentId: string, correction: string): Promise<void>;
  /** Nobody holds a verdict on the incident any more: its case goes. */
  forget(incidentId: string): Promise<void>;
  search(q: CaseSearch): Promise<CaseMatch[]>;
  /** Stores a case as given (import); idempotent on its id and incident. */
  put(c: Omit<KbCaseRecord, 'embeddedText' | 'embeddingModel'> & { embeddedText?: string }): Promise<string>;
  count(): Promise<number>;
};

export function makeKnowledgeBase(deps: { pool: pg.Pool; embedder: Embedder }): KnowledgeBase {
  const { pool, embedder } = deps;
  const embedOne = async (text: string): Promise<number[]> => {
    const [v] = await embedder.embed([text]);
    if (!v || v.length === 0) throw new Error(`embedder ${embedder.model} returned no vector`);
    return v;
  };
  // After every write (and at startup, through count): the gauge, and planner
  // statistics once the base has grown enough for search to need the HNSW index.
  const refreshGauge = async (): Promise<number> => {
    const n = await countCases(pool);
    kbCasesGauge.set(n);
    await analyzeCasesIfGrown(pool, n);
    return n;
  };

  return {
    model: embedder.model,
    async recordVerdict({ incidentId, verdict, by, at, correction }) {
      const src = await loadCaseSource(pool, incidentId);
      if (!src) return null;
      const workload = src.workloadName ? `${src.namespace ?? ''}/${src.workloadName}` : null;
      const embeddedText = caseText({ alertname: src.alertname, category: src.category, namespace: src.namespace, workload, findings: src.findings });
      const existing = await pool.query<{ id: string; correction: string | null }>('SELECT id, correction FROM kb_cases WHERE incident_id = $1', [incidentId]);
      const id = await upsertCase(
        pool,
        {
          id: existing.rows[0]?.id ?? randomUUID(),
          incidentId,
          alertname: src.alertname,
          severity: src.severity,
          category: src.category,
          cluster: src.cluster,
          namespace: src.namespace,
          workloadKind: src.workloadKind,
          workloadName: src.workloadName,
          title: src.summary || null,
          rootCause: src.rootCause,
          analysis: src.analysis,
          evidence: src.evidence,
          findings: src.findings,
          // A correction is kept when the verdict flips back to ✅: it is still what people said.
          correction: correction ?? existing.rows[0]?.correction ?? null,
          verdict,
          validatedBy: by,
          validatedAt: at.toISOString(),
          embeddedText,
          embeddingModel: embedder.model,
        },
        await embedOne(embeddedText),
      );
      await refreshGauge();
      return id;
    },
    async setCorrection(incidentId, correction) {
      await pool.query('UPDATE kb_cases SET correction = $2, updated_at = now() WHERE incident_id = $1', [incidentId, correction]);
    },
    async forget(incidentId) {
      await deleteCaseOfIncident(pool, incidentId);
      await refreshGauge();
    },
    async search(q) {
      if (!q.text.trim()) return [];
      return searchCases(pool, {
        embedding: await embedOne(q.text),
        model: embedder.model,
        cluster: q.cluster,
        threshold: q.threshold,
        topK: q.topK,
        excludeIncidentId: q.excludeIncidentId ?? null,
      });
    },
    async put(c) {
      const embeddedText = c.embeddedText ?? `${c.alertname}\n${c.category}\n${c.rootCause}`;
      const id = await upsertCase(pool, { ...c, embeddedText, embeddingModel: embedder.model }, await embedOne(embeddedText));
      await refreshGauge();
      return id;
    },
    count: refreshGauge,
  };
}
