/**
 * Knowledge base vocabulary. A *case* is one incident engineers judged: ✅ makes it a
 * validated case (`verdict = 'correct'`), ❌ a negative example that carries the
 * engineers' correction. Cases are keyed by incident, so judging again updates.
 */
export type CaseVerdict = 'correct' | 'incorrect';

/** Everything stored about a case except its vector. */
export type KbCaseRecord = {
  id: string;
  incidentId: string | null;
  alertname: string;
  severity: string | null;
  category: string;
  cluster: string;
  namespace: string | null;
  workloadKind: string | null;
  workloadName: string | null;
  title: string | null;
  rootCause: string;
  analysis: string;
  evidence: unknown[];
  findings: unknown[];
  correction: string | null;
  verdict: CaseVerdict;
  validatedBy: string | null;
  validatedAt: string;
  embeddedText: string;
  embeddingModel: string;
};

/** One search hit. */
export type CaseMatch = KbCaseRecord & { similarity: number };
