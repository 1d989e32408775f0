import type { Queryable } from '../db/make-pool.js';
import type { Logger } from '../observability/logger.js';
import { makeRateBudget, reserveFor, WINDOW_MS, type BudgetPriority, type RateBudget, type RateBudgets, type TakeResult } from './make-rate-budget.js';

export type PgRateBudgetOptions = {
  pool: Queryable;
  /** The Slack limit this budget counts: 'chat.update', 'chat.postMessage:<channel>'… */
  scope: string;
  perMinute: number;
  reserve?: number;
  clock: () => number;
  logger: Logger;
  /** The sliding window; a minute, as Slack counts. Shorter only in tests. */
  windowMs?: number;
  /** Calls that settle within this long of being taken are not restamped (see below). */
  settleGraceMs?: number;
};

/** Long enough for almost every Slack call; 1/60 of the window is the price. */
const SETTLE_GRACE_MS = 1000;

/** A database budget, plus a way to wait for its background writes (restamps, pauses). */
export type PgRateBudget = RateBudget & { flush(): Promise<void> };

/**
 * The sliding-window budget of `makeRateBudget`, kept in PostgreSQL so every replica
 * sharing the database draws from one window (sql/008_slack_rate_slots.sql). Taking a
 * slot is one statement; recording a Retry-After is a write nobody waits for.
 *
 * Slack counts a call when it arrives, somewhere between taking the slot and the call
 * settling. Rather than restamp every slot when its call settles (a second write per
 * call), slots are kept `settleGraceMs` longer than the window, and only a call that
 * settles later than that after its take began is restamped to the moment it settled.
 * Either way the window stays a superset of Slack's.
 *
 * A "full" or "paused" answer is kept in memory until the wait it named is over:
 * slots only leave the window by ageing and pauses only grow, so no other replica can
 * make it shorter, and a skipped streaming update costs no query.
 *
 * When the database cannot answer, the call is counted against a budget in this
 * process instead (as before the budget was shared): Slack is still paced, and the
 * analysis still reaches it.
 */
export function makePgRateBudget(options: PgRateBudgetOptions): PgRateBudget {
  const { pool, scope, clock } = options;
  const perMinute = Math.max(1, Math.floor(options.perMinute));
  const reserve = reserveFor(perMinute, options.reserve);
  const graceMs = options.settleGraceMs ?? SETTLE_GRACE_MS;
  const windowMs = (options.windowMs ?? WINDOW_MS) + graceMs;
  const capacity = (priority: BudgetPriority): number => (priority === 'final' ? perMinute : perMinute - reserve);
  const log = options.logger.child({ component: 'slack-budget', scope });
  const fallback = makeRateBudget({ perMinute, reserve, clock });
  const notBefore: Record<BudgetPriority, number> = { stream: 0, final: 0 };
  const pending = new Set<Promise<unknown>>();
  let degraded = false;

  const block = (priority: BudgetPriority, untilMs: number): void => {
    notBefore.stream = Math.max(notBefore.stream, untilMs);
    // `stream` may use fewer slots than `final`, so a full `stream` says nothing about `final`.
    if (priority === 'final') notBefore.final = Math.max(notBefore.final, untilMs);
  };

  const write = (sql: string, params: unknown[], what: string): void => {
    const p = pool.query(sql, params).then(
      () => undefined,
      (err: unknown) => log.warn({ err }, `could not ${what}; other replicas may call Slack early`),
    );
    pending.add(p);
    void p.finally(() => pending.delete(p));
  };

  return {
    async take(priority): Promise<TakeResult> {
      const startedAt = clock();
      const blockedMs = notBefore[priority] - startedAt;
      if (blockedMs > 0) return { slot: null, waitMs: blockedMs };
      let row: { slot_id: string | null; wait_ms: number };
      try {
        const r = await pool.query<{ slot_id: string | null; wait_ms: number }>(
          'SELECT slot_id, wait_ms FROM take_slack_rate_slot($1, $2, $3)',
          [scope, capacity(priority), windowMs],
        );
        const first = r.rows[0];
        if (!first) throw new Error('take_slack_rate_slot returned no row');
        row = first;
      } catch (err) {
        if (!degraded) log.warn({ err }, 'shared Slack budget unreadable; pacing this process alone until the database answers');
        degraded = true;
        return fallback.take(priority);
      }
      if (degraded) log.info('shared Slack budget readable again');
      degraded = false;
      const id = row.slot_id;
      if (id === null) {
        const waitMs = Math.max(1, row.wait_ms);
        block(priority, clock() + waitMs);
        return { slot: null, waitMs };
      }
      return {
        slot: {
          settled: () => {
            if (clock() - startedAt <= graceMs) return;
            write('UPDATE slack_rate_slots SET slot_at = greatest(slot_at, clock_timestamp()) WHERE id = $1', [id], 'restamp a Slack budget slot');
          },
        },
        waitMs: 0,
      };
    },
    pauseUntil(untilMs) {
      block('final', untilMs);
      fallback.pauseUntil(untilMs);
      const ms = Math.max(0, Math.ceil(untilMs - clock()));
      write(
        `INSERT INTO slack_rate_pauses (scope, paused_until) VALUES ($1, clock_timestamp() + $2 * interval '1 millisecond')
         ON CONFLICT (scope) DO UPDATE SET paused_until = greatest(slack_rate_pauses.paused_until, EXCLUDED.paused_until)`,
        [scope, ms],
        'share a Slack Retry-After',
      );
    },
    async flush() {
      while (pending.size > 0) await Promise.all(pending);
    },
  };
}

/** One database budget per scope, all drawing from the windows every replica shares. */
export function makePgRateBudgets(options: Omit<PgRateBudgetOptions, 'scope' | 'perMinute' | 'reserve'>): RateBudgets {
  return (scope, budget) => makePgRateBudget({ ...options, ...budget, scope });
}
