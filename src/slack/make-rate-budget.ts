/**
 * Priority of a Slack call against the budget. `stream` updates are optional (the next
 * one carries the same text and more); `final` calls (completion, resolved marks)
 * must be sent, so they may use the reserve that `stream` updates leave free.
 */
export type BudgetPriority = 'stream' | 'final';

export type RateBudget = {
  /** Takes a slot now if one is free for this priority; never waits. */
  tryTake(priority: BudgetPriority): boolean;
  /** Milliseconds until `tryTake(priority)` could succeed (0 when it would now). */
  msUntilFree(priority: BudgetPriority): number;
  /** Slack answered 429: no call of either priority before `untilMs`. */
  pauseUntil(untilMs: number): void;
  /** Calls taken in the last minute, for metrics and tests. */
  used(): number;
};

const WINDOW_MS = 60_000;

/**
 * A sliding one-minute window shared by every incident streaming into one workspace
 * (see docs/adr/0003-slack-rate-budget.md). `stream` updates may use only
 * `perMinute - reserve` slots, so completions never queue behind progress updates.
 */
export function makeRateBudget(options: { perMinute: number; clock: () => number; reserve?: number }): RateBudget {
  const perMinute = Math.max(1, Math.floor(options.perMinute));
  const reserve = Math.min(perMinute - 1, options.reserve ?? Math.max(1, Math.floor(perMinute / 5)));
  const { clock } = options;
  const taken: number[] = [];
  let pausedUntil = 0;

  const capacity = (priority: BudgetPriority): number => (priority === 'final' ? perMinute : perMinute - reserve);
  const expire = (now: number): void => {
    while (taken.length > 0 && (taken[0] ?? 0) <= now - WINDOW_MS) taken.shift();
  };

  return {
    tryTake(priority) {
      const now = clock();
      expire(now);
      if (now < pausedUntil || taken.length >= capacity(priority)) return false;
      taken.push(now);
      return true;
    },
    msUntilFree(priority) {
      const now = clock();
      expire(now);
      const pause = Math.max(0, pausedUntil - now);
      const over = taken.length - capacity(priority);
      if (over < 0) return pause;
      // The slot frees when the (over+1)-th oldest call leaves the window.
      const frees = (taken[over] ?? now) + WINDOW_MS - now;
      return Math.max(pause, frees, 1);
    },
    pauseUntil(untilMs) {
      pausedUntil = Math.max(pausedUntil, untilMs);
    },
    used() {
      expire(clock());
      return taken.length;
    },
  };
}
