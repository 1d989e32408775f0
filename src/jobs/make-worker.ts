import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type pg from 'pg';
import { Counter, Gauge } from 'prom-client';
import type { Logger } from '../observability/logger.js';
import { metricsRegistry } from '../observability/metrics.js';
import { backoffDelayMs } from './backoff.js';
import { claimJobs, completeJob, extendLease, failExpiredJobs, failJob, releaseJob, type Job, type JobKind } from './job-queue.js';

const jobsTotal = new Counter({
  name: 'k8flex_jobs_total',
  help: 'Jobs finished, by kind and outcome (done, retry, failed, lost).',
  labelNames: ['kind', 'outcome'] as const,
  registers: [metricsRegistry],
});
const jobsRunning = new Gauge({ name: 'k8flex_jobs_running', help: 'Jobs running in this process.', registers: [metricsRegistry] });

/** Thrown by a handler that must wait for something else (not a failure: no attempt spent). */
export class DeferJob extends Error {
  constructor(readonly delayMs: number, message = 'deferred') {
    super(message);
  }
}

export type JobHandler = (job: Job, signal: AbortSignal) => Promise<void>;
/** Called when a job has failed for good, to mark its incident. */
export type OnJobFailed = (job: { incidentId: string; kind: JobKind }, error: string) => Promise<void>;

export type WorkerOptions = {
  pool: pg.Pool;
  handlers: Record<JobKind, JobHandler>;
  onFailed: OnJobFailed;
  concurrency: number;
  pollIntervalMs: number;
  leaseMs: number;
  backoff: { baseMs: number; maxMs: number };
  logger: Logger;
};

export type Worker = {
  start(): void;
  /** Wake the loop now (a job was just enqueued in this process). */
  notify(): void;
  /** Stop claiming; wait for running jobs until the deadline, then release them. */
  stop(deadlineMs: number): Promise<void>;
  running(): number;
};

export function makeWorker(options: WorkerOptions): Worker {
  const workerId = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  const log = options.logger.child({ component: 'worker', workerId });
  const active = new Map<string, { job: Job; controller: AbortController; done: Promise<void> }>();
  let stopping = false;
  let timer: NodeJS.Timeout | null = null;
  let ticking = false;
  let wakeRequested = false;

  async function runJob(job: Job, controller: AbortController): Promise<void> {
    const jobLog = log.child({ jobId: job.id, incidentId: job.incidentId, kind: job.kind, attempt: job.attempts });
    // Renew the lease at a third of its length so a slow LLM never lets it lapse.
    const heartbeat = setInterval(() => {
      extendLease(options.pool, job, options.leaseMs)
        .then((kept) => {
          if (!kept) {
            jobLog.warn('lease lost; abandoning job');
            controller.abort(new Error('lease lost'));
          }
        })
        .catch((err: unknown) => jobLog.warn({ err }, 'lease renewal failed'));
    }, Math.max(1000, Math.floor(options.leaseMs / 3)));
    try {
      await options.handlers[job.kind](job, controller.signal);
      const completed = await completeJob(options.pool, job);
      jobsTotal.inc({ kind: job.kind, outcome: completed ? 'done' : 'lost' });
      if (!completed) jobLog.warn('job finished after its lease was taken over; result not recorded twice');
    } catch (err) {
      if (err instanceof DeferJob) {
        await releaseJob(options.pool, job, err.delayMs).catch((e: unknown) => jobLog.warn({ err: e }, 'release failed'));
        return;
      }
      if (stopping && controller.signal.aborted) {
        await releaseJob(options.pool, job).catch((e: unknown) => jobLog.warn({ err: e }, 'release failed'));
        return;
      }
      const message = err instanceof Error ? err.message : String(err);
      const delay = backoffDelayMs(job.attempts, options.backoff);
      const outcome = await failJob(options.pool, job, message, delay).catch((e: unknown) => {
        jobLog.warn({ err: e }, 'could not record job failure; the lease will expire and it will be retried');
        return 'lost' as const;
      });
      jobsTotal.inc({ kind: job.kind, outcome });
      if (outcome === 'failed') {
        jobLog.error({ err }, 'job failed after its last attempt');
        await options.onFailed(job, message).catch((e: unknown) => jobLog.warn({ err: e }, 'could not mark incident failed'));
      } else {
        jobLog.warn({ err, retryInMs: delay, outcome }, 'job failed; will retry');
      }
    } finally {
      clearInterval(heartbeat);
    }
  }

  async function tick(): Promise<void> {
    if (ticking || stopping) {
      wakeRequested = true;
      return;
    }
    ticking = true;
    try {
      do {
        wakeRequested = false;
        for (const expired of await failExpiredJobs(options.pool)) {
          await options.onFailed(expired, 'worker lease expired on the last attempt');
        }
        const free = options.concurrency - active.size;
        const jobs = await claimJobs(options.pool, { workerId, limit: free, leaseMs: options.leaseMs });
        for (const job of jobs) {
          const controller = new AbortController();
          jobsRunning.inc();
          const done = runJob(job, controller).finally(() => {
            active.delete(job.id);
            jobsRunning.dec();
            // A slot freed up: look for more work right away.
            if (!stopping) void tick();
          });
          active.set(job.id, { job, controller, done });
        }
        if (jobs.length === free && free > 0) wakeRequested = true;
      } while (wakeRequested && !stopping && active.size < options.concurrency);
    } catch (err) {
      log.warn({ err }, 'job poll failed; retrying');
    } finally {
      ticking = false;
    }
  }

  return {
    start() {
      stopping = false;
      timer = setInterval(() => void tick(), options.pollIntervalMs);
      timer.unref();
      void tick();
    },
    notify() {
      void tick();
    },
    async stop(deadlineMs) {
      stopping = true;
      if (timer) clearInterval(timer);
      const all = Promise.all([...active.values()].map((a) => a.done));
      const timedOut = await Promise.race([
        all.then(() => false),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(true), deadlineMs).unref()),
      ]);
      if (timedOut) {
        log.warn({ running: active.size }, 'shutdown deadline reached; releasing running jobs');
        for (const a of active.values()) a.controller.abort(new Error('shutting down'));
        await Promise.race([all, new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
        for (const a of active.values()) await releaseJob(options.pool, a.job).catch(() => undefined);
      }
    },
    running: () => active.size,
  };
}
