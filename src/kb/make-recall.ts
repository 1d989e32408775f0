import type { SimilarCase } from '../domain/analysis.js';
import type { Logger } from '../observability/logger.js';
import type { Recall } from '../pipeline/stages.js';
import { incidentUrl } from '../slack/incident-url.js';
import { caseText } from './case-text.js';
import type { CaseMatch } from './kb-case.js';
import { kbRecallHits } from './kb-metrics.js';
import type { KnowledgeBase } from './make-knowledge-base.js';

export type RecallConfig = {
  threshold: number;
  topK: number;
  /** Search only cases from the incident's own cluster. */
  sameClusterOnly: boolean;
  publicUrl: string | null;
};

/**
 * The recall stage: cases engineers judged (✅ validated, ❌ with their correction)
 * whose embedding is close to this incident's alert, category and decisive evidence.
 */
export function makeRecall(deps: { kb: KnowledgeBase; config: RecallConfig; logger: Logger }): Recall {
  return async (subject, category, _evidence, findings) => {
    const workload = subject.workload ? `${subject.workload.namespace}/${subject.workload.name}` : null;
    const text = caseText({ alertname: subject.alertname, category, namespace: subject.namespace, workload, findings });
    const matches = await deps.kb.search({
      text,
      cluster: deps.config.sameClusterOnly ? subject.cluster : null,
      threshold: deps.config.threshold,
      topK: deps.config.topK,
      excludeIncidentId: subject.incidentId,
    });
    kbRecallHits.inc(matches.length);
    if (matches.length > 0) deps.logger.debug({ incidentId: subject.incidentId, cases: matches.map((m) => [m.id, m.similarity]) }, 'similar cases recalled');
    return { cases: matches.map((m) => similarCase(m, deps.config.publicUrl)), note: null };
  };
}

export function similarCase(m: CaseMatch, publicUrl: string | null): SimilarCase {
  return {
    caseId: m.id,
    incidentId: m.incidentId,
    alertname: m.alertname,
    category: m.category,
    rootCause: m.rootCause,
    verdict: m.verdict,
    correction: m.correction,
    validatedBy: m.validatedBy,
    validatedAt: m.validatedAt,
    similarity: Math.round(m.similarity * 1000) / 1000,
    link: m.incidentId ? incidentUrl(publicUrl, m.incidentId) : null,
  };
}
