import type { Refine } from '../pipeline/stages.js';

/** A finding must be at least this sure to move or to hold a category. */
const MIN_CONFIDENCE = 0.7;

/**
 * The evidence pass: when no confident finding supports the current category and
 * the strongest finding implies another, the category follows the evidence (an alert
 * that says NotReady over a pod in ImagePullBackOff is image-pull). A category some
 * confident finding supports stays, so a Job that failed because its pods were
 * OOMKilled remains job-failed.
 */
export const refineCategory: Refine = (decision, _evidence, findings) => {
  const confident = findings.filter((f) => f.confidence >= MIN_CONFIDENCE && f.category);
  if (confident.some((f) => f.category === decision.category)) return decision;
  const top = [...confident].sort((a, b) => b.confidence - a.confidence)[0];
  if (!top?.category || top.category === decision.category) return decision;
  return {
    category: top.category,
    confidence: Math.max(decision.confidence, top.confidence),
    reason: `evidence: ${top.title} (was ${decision.category}: ${decision.reason})`,
    decidedBy: 'evidence',
  };
};
