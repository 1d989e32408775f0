import type { BudgetPriority, BudgetSlot, RateBudget } from './make-rate-budget.js';
import { SlackCallError, toSlackCallError } from './slack-call-error.js';
import { slackCalls } from './slack-metrics.js';

export type SendContext = {
  clock: () => number;
  sleep: (ms: number) => Promise<void>;
  /** Counted against this budget when set: the workspace's for chat.update, the channel's for chat.postMessage. */
  budget: RateBudget | null;
  priority: BudgetPriority;
  /** Tries in all; rate limits and transient failures each use one. */
  attempts: number;
};

export type SendOutcome<T> = { ok: true; value: T } | { ok: false; error: SlackCallError };

/** Longest a must-send call waits for one Retry-After or budget slot. */
const MAX_WAIT_MS = 120_000;

/**
 * Sends one call that must get through (a parent, a completion, a resolved mark):
 * waits for a budget slot, honours Retry-After on 429 and backs off on transient
 * failures, for this call only. Permanent errors (invalid_auth, channel_not_found…)
 * are returned at once.
 */
export async function sendWithRetries<T>(method: string, run: () => Promise<T>, ctx: SendContext): Promise<SendOutcome<T>> {
  let last: SlackCallError | null = null;
  for (let attempt = 1; attempt <= ctx.attempts; attempt += 1) {
    let slot: BudgetSlot | null = null;
    while (ctx.budget && !slot) {
      const taken = await ctx.budget.take(ctx.priority);
      slot = taken.slot;
      if (!slot) await ctx.sleep(Math.min(MAX_WAIT_MS, taken.waitMs));
    }
    try {
      const value = await run().finally(() => slot?.settled());
      slackCalls.inc({ method, outcome: 'ok' });
      return { ok: true, value };
    } catch (error) {
      last = error instanceof SlackCallError ? error : toSlackCallError(method, error);
      slackCalls.inc({ method, outcome: last.code === 'rate_limited' ? 'rate_limited' : 'error' });
      if (last.permanent || attempt === ctx.attempts) return { ok: false, error: last };
      if (last.retryAfterMs !== null) {
        ctx.budget?.pauseUntil(ctx.clock() + last.retryAfterMs);
        await ctx.sleep(Math.min(MAX_WAIT_MS, last.retryAfterMs));
      } else {
        await ctx.sleep(Math.min(MAX_WAIT_MS, 1000 * 2 ** (attempt - 1)));
      }
    }
  }
  return { ok: false, error: last ?? new SlackCallError(method, 'not_attempted', false, null) };
}
