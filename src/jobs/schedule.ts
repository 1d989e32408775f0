import cron from 'node-cron';
import type pg from 'pg';
import type { Logger } from '../observability/logger.js';

export type ScheduledWork = {
  /**
   * Runs one tick now; false when it was skipped. The cron passes its `slot` (the
   * nominal fire time), which runs at most once across replicas; without one (tests,
   * manual runs) the tick only needs the lock.
   */
  tick(slot?: Date): Promise<boolean>;
  /** Stops the timer and waits for a running tick to finish. */
  stop(): Promise<void>;
};

/** Records `slot` as run for `name` unless it (or a later one) already was; true when this call claimed it. */
async function claimSlot(client: pg.PoolClient, name: string, slot: Date): Promise<boolean> {
  const r = await client.query(
    `INSERT INTO scheduled_runs (name, last_slot) VALUES ($1, $2)
     ON CONFLICT (name) DO UPDATE SET last_slot = excluded.last_slot WHERE scheduled_runs.last_slot < excluded.last_slot`,
    [name, slot.toISOString()],
  );
  return (r.rowCount ?? 0) === 1;
}

export type ScheduleOptions = {
  name: string;
  /** node-cron syntax; six fields for seconds (`*\/30 * * * * *`). */
  cron: string;
  pool: pg.Pool;
  /** Two int4s identifying this work across replicas (pg_try_advisory_lock(k1, k2)). */
  lockKey: readonly [number, number];
  logger: Logger;
  run: (now: Date) => Promise<void>;
  clock?: () => number;
  /** False builds the wrapper without a timer (tests call `tick`). */
  autoStart?: boolean;
};

/**
 * The one wrapper for scheduled work: ticks never overlap (a tick that finds the last
 * still running is skipped), never throw (errors are logged), run on one replica at a
 * time (a session advisory lock held on a dedicated connection for the tick; a replica
 * that cannot take it skips), run each cron slot once across replicas (a replica whose
 * timer fired late, after another finished the slot and released the lock, finds the
 * slot claimed in `scheduled_runs` and skips), and stop on shutdown.
 */
export function schedule(options: ScheduleOptions): ScheduledWork {
  if (!cron.validate(options.cron)) throw new Error(`${options.name}: invalid cron expression "${options.cron}"`);
  const clock = options.clock ?? Date.now;
  const log = options.logger.child({ component: options.name });
  let running: Promise<boolean> | null = null;
  let stopped = false;

  async function locked(slot: Date | undefined): Promise<boolean> {
    const client = await options.pool.connect();
    let held = false;
    try {
      const r = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS ok', [...options.lockKey]);
      held = r.rows[0]?.ok === true;
      if (!held) {
        log.debug('another replica holds the lock; tick skipped');
        return false;
      }
      if (slot && !(await claimSlot(client, options.name, slot))) {
        log.debug({ slot: slot.toISOString() }, 'another replica already ran this slot; tick skipped');
        return false;
      }
      await options.run(new Date(clock()));
      return true;
    } finally {
      if (held) await client.query('SELECT pg_advisory_unlock($1, $2)', [...options.lockKey]).catch(() => undefined);
      client.release();
    }
  }

  async function tick(slot?: Date): Promise<boolean> {
    if (stopped || running) return false;
    running = locked(slot).catch((err: unknown) => {
      log.warn({ err }, 'scheduled tick failed');
      return false;
    });
    try {
      return await running;
    } finally {
      running = null;
    }
  }

  const task = options.autoStart === false ? null : cron.schedule(options.cron, (context) => void tick(context.date), { name: options.name, noOverlap: true });

  return {
    tick,
    async stop() {
      stopped = true;
      await task?.stop();
      await task?.destroy();
      await running;
    },
  };
}
