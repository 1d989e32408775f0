import type { Finding } from '../domain/analysis.js';
import type { Category } from '../domain/types.js';

/** Findings that imply the incident's category win over equally sure ones that do not. */
const CATEGORY_BONUS = 0.15;
const MAX_EVIDENCE = 8;

export function findingScore(f: Finding, category: Category): number {
  return f.confidence + (f.category === category ? CATEGORY_BONUS : 0);
}

/**
 * Best first; one finding per cause (several pods failing the same way become one
 * finding with their evidence merged), so the top finding is the root cause.
 */
export function rankFindings(findings: Finding[], category: Category): Finding[] {
  const byCause = new Map<string, Finding>();
  const sorted = [...findings].sort((a, b) => findingScore(b, category) - findingScore(a, category));
  for (const f of sorted) {
    const kept = byCause.get(f.cause);
    if (!kept) {
      byCause.set(f.cause, { ...f, evidence: [...f.evidence], actions: [...f.actions] });
      continue;
    }
    for (const e of f.evidence) {
      if (kept.evidence.length < MAX_EVIDENCE && !kept.evidence.some((k) => k.line === e.line)) kept.evidence.push(e);
    }
  }
  return [...byCause.values()];
}
