import type { HeldReactions, Verdict } from './reaction-verdicts.js';

/** One person's current verdict on an analysis, and when we first saw it. */
export type UserVerdict = { verdict: Verdict; reaction: string; at: string };
export type UserVerdicts = Record<string, UserVerdict>;

/** A change to record in the verdict history. */
export type VerdictChange = { user: string; verdict: Verdict | 'withdrawn'; reaction: string | null };

/**
 * Compares what people hold now with what we recorded, pure. Seeing the same
 * reactions again changes nothing (idempotent polling). A person holding both ✅ and
 * ❌ changed their mind towards the one we had not recorded yet; with neither
 * recorded, ❌ wins (an unconfirmed case is the safer mistake). Removing every
 * verdict reaction withdraws the person's verdict.
 */
export function reconcileVerdicts(
  previous: UserVerdicts,
  held: Record<string, HeldReactions>,
  nowIso: string,
): { next: UserVerdicts; changes: VerdictChange[] } {
  const next: UserVerdicts = {};
  const changes: VerdictChange[] = [];
  const users = [...new Set([...Object.keys(previous), ...Object.keys(held)])].sort();
  for (const user of users) {
    const p = previous[user];
    const h = held[user] ?? { correct: null, incorrect: null };
    let verdict: Verdict | null;
    if (h.correct && h.incorrect) verdict = p?.verdict === 'incorrect' ? 'correct' : 'incorrect';
    else verdict = h.correct ? 'correct' : h.incorrect ? 'incorrect' : null;
    if (verdict === null) {
      if (p) changes.push({ user, verdict: 'withdrawn', reaction: null });
      continue;
    }
    const reaction = h[verdict] ?? verdict;
    if (p?.verdict === verdict) {
      next[user] = p;
      continue;
    }
    next[user] = { verdict, reaction, at: nowIso };
    changes.push({ user, verdict, reaction });
  }
  return { next, changes };
}

/** The incident's verdict: the most recent one somebody still holds (❌ wins a tie). */
export function currentVerdict(verdicts: UserVerdicts): { verdict: Verdict; user: string; at: string } | null {
  let best: { verdict: Verdict; user: string; at: string } | null = null;
  for (const [user, v] of Object.entries(verdicts)) {
    if (!best || v.at > best.at || (v.at === best.at && v.verdict === 'incorrect')) best = { verdict: v.verdict, user, at: v.at };
  }
  return best;
}

/** What a single reaction_added / reaction_removed event means for what the person holds. */
export function heldAfterEvent(
  previous: UserVerdicts,
  user: string,
  reaction: string,
  verdict: Verdict,
  added: boolean,
): Record<string, HeldReactions> {
  const held: Record<string, HeldReactions> = {};
  for (const [u, v] of Object.entries(previous)) held[u] = { correct: null, incorrect: null, [v.verdict]: v.reaction };
  const h = (held[user] ??= { correct: null, incorrect: null });
  h[verdict] = added ? reaction : null;
  return held;
}
