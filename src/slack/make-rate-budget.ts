/**
 * Priority of a Slack call against the budget. `stream` updates are optional (the next
 * one carries the same text and more); `final` calls (completion, resolved marks)
 * must be sent, so they may use the reserve that `stream` updates leave free.
 */
export type BudgetPriority = 'stream' | 'final';

/** One taken slot; `settled()` when the call has finished restamps it to that moment. */
export type BudgetSlot = { settled(): void };

/** A slot, or how long until `take` with the same priority could give one. */
export type TakeResult = { slot: BudgetSlot; waitMs: 0 } | { slot: null; waitMs: number };

/**
 * What every Slack call site sees: this process's window (`makeRateBudget`) or the
 * window every replica shares through the database (`makePgRateBudget`).
 */
export type RateBudget = {
  /** Takes a slot if one is free for this priority; never waits for one. */
  take(priority: BudgetPriority): Promise<TakeResult>;
  /** Slack answered 429: no call of either priority before `untilMs` (this process's clock). */
  pauseUntil(untilMs: number): void;
};

/** The same budget in process memory, with synchronous reads for tests and fallbacks. */
export type MemoryRateBudget = RateBudget & {
  /** Takes a slot now if one is free for this priority; never waits. */
  tryTake(priority: BudgetPriority): BudgetSlot | null;
  /** Milliseconds until `tryTake(priority)` could succeed (0 when it would now). */
  msUntilFree(priority: BudgetPriority): number;
  /** Slots held in the last minute, for metrics and tests. */
  used(): number;
};

/** Makes the budget for one Slack limit (`scope`); see `makeMemoryRateBudgets` and `makePgRateBudgets`. */
export type RateBudgets = (scope: string, options: { perMinute: number; reserve?: number }) => RateBudget;

export const WINDOW_MS = 60_000;

/** Slots `stream` updates leave free for completions: a fifth unless configured, never all. */
export function reserveFor(perMinute: number, reserve?: number): number {
  return Math.max(0, Math.min(perMinute - 1, reserve ?? Math.max(1, Math.floor(perMinute / 5))));
}

/**
 * A sliding one-minute window shared by every incident streaming into one workspace
 * (see docs/adr/0003-slack-rate-budget.md). `stream` updates may use only
 * `perMinute - reserve` slots, so completions never queue behind progress updates.
 *
 * Slack counts a call when it arrives, which is after we take the slot and before the
 * answer comes back. Restamping a slot when its call settles keeps our window a
 * superset of Slack's, so the budget can never let Slack see more than `perMinute`.
 */
export function makeRateBudget(options: { perMinute: number; clock: () => number; reserve?: number }): MemoryRateBudget {
  const perMinute = Math.max(1, Math.floor(options.perMinute));
  const reserve = reserveFor(perMinute, options.reserve);
  const { clock } = options;
  let slots: { at: number }[] = [];
  let pausedUntil = 0;

  const capacity = (priority: BudgetPriority): number => (priority === 'final' ? perMinute : perMinute - reserve);
  const live = (now: number): { at: number }[] => {
    slots = slots.filter((s) => s.at > now - WINDOW_MS);
    return slots;
  };

  const tryTake = (priority: BudgetPriority): BudgetSlot | null => {
    const now = clock();
    if (now < pausedUntil || live(now).length >= capacity(priority)) return null;
    const slot = { at: now };
    slots.push(slot);
    return {
      settled() {
        slot.at = Math.max(slot.at, clock());
      },
    };
  };

  const msUntilFree = (priority: BudgetPriority): number => {
    const now = clock();
    const pause = Math.max(0, pausedUntil - now);
    const ats = live(now).map((s) => s.at).sort((a, b) => a - b);
    const over = ats.length - capacity(priority);
    if (over < 0) return pause;
    // The slot frees when the (over+1)-th oldest call leaves the window.
    return Math.max(pause, (ats[over] ?? now) + WINDOW_MS - now, 1);
  };

  return {
    tryTake,
    take(priority) {
      const slot = tryTake(priority);
      return Promise.resolve(slot ? { slot, waitMs: 0 } : { slot: null, waitMs: Math.max(1, msUntilFree(priority)) });
    },
    msUntilFree,
    pauseUntil(untilMs) {
      pausedUntil = Math.max(pausedUntil, untilMs);
    },
    used() {
      return live(clock()).length;
    },
  };
}

/** One in-memory budget per scope: enough for a single process, and for tests. */
export function makeMemoryRateBudgets(clock: () => number): RateBudgets {
  return (_scope, options) => makeRateBudget({ ...options, clock });
}
