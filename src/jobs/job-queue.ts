import type pg from 'pg';

/**
 * Jobs live in Postgres. A worker claims runnable jobs with FOR UPDATE SKIP LOCKED,
 * so any number of replicas share the queue and none claims a job another holds.
 * Each claim gets a fresh `lock_token`; finishing a job requires the token, so a
 * worker whose lease expired (and whose job was claimed again) cannot complete it a
 * second time.
 */

export type JobKind = 'investigate' | 'resolved';
export type Job = {
  id: string;
  incidentId: string;
  kind: JobKind;
  attempts: number;
  maxAttempts: number;
  lockToken: string;
};

type JobRow = { id: string; incident_id: string; kind: JobKind; attempts: number; max_attempts: number; lock_token: string };

export async function claimJobs(pool: pg.Pool, options: { workerId: string; limit: number; leaseMs: number }): Promise<Job[]> {
  if (options.limit <= 0) return [];
  const r = await pool.query<JobRow>(
    `UPDATE jobs j SET status = 'running', attempts = j.attempts + 1, lock_token = gen_random_uuid(),
            locked_by = $1, locked_until = now() + make_interval(secs => $3::double precision / 1000),
            updated_at = now()
     WHERE j.id IN (
       SELECT id FROM jobs
       WHERE (status = 'queued' AND run_at <= now())
          OR (status = 'running' AND locked_until < now() AND attempts < max_attempts)
       ORDER BY run_at, id
       LIMIT $2
       FOR UPDATE SKIP LOCKED)
     RETURNING j.id, j.incident_id, j.kind, j.attempts, j.max_attempts, j.lock_token`,
    [options.workerId, options.limit, options.leaseMs],
  );
  return r.rows.map((row) => ({
    id: String(row.id),
    incidentId: row.incident_id,
    kind: row.kind,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    lockToken: row.lock_token,
  }));
}

/**
 * Jobs whose worker died on their last allowed attempt: mark them failed so they are
 * visible instead of stuck. Returns their incident ids.
 */
export async function failExpiredJobs(pool: pg.Pool): Promise<{ incidentId: string; kind: JobKind }[]> {
  const r = await pool.query<{ incident_id: string; kind: JobKind }>(
    `UPDATE jobs SET status = 'failed', last_error = 'worker lease expired on the last attempt',
            lock_token = NULL, updated_at = now(), completed_at = now()
     WHERE status = 'running' AND locked_until < now() AND attempts >= max_attempts
     RETURNING incident_id, kind`,
  );
  return r.rows.map((row) => ({ incidentId: row.incident_id, kind: row.kind }));
}

/** Returns false when the lease was lost (another worker owns the job now). */
export async function completeJob(db: Pick<pg.Pool, 'query'>, job: Job): Promise<boolean> {
  const r = await db.query(
    `UPDATE jobs SET status = 'done', lock_token = NULL, locked_until = NULL, completed_at = now(), updated_at = now()
     WHERE id = $1 AND lock_token = $2 AND status = 'running'`,
    [job.id, job.lockToken],
  );
  return r.rowCount === 1;
}

/** Schedules a retry after `delayMs`, or fails the job for good when attempts are spent. */
export async function failJob(
  pool: pg.Pool,
  job: Job,
  error: string,
  delayMs: number,
): Promise<'retry' | 'failed' | 'lost'> {
  const r = await pool.query<{ status: string }>(
    `UPDATE jobs SET
       status = CASE WHEN attempts >= max_attempts THEN 'failed' ELSE 'queued' END,
       run_at = now() + make_interval(secs => $3::double precision / 1000),
       completed_at = CASE WHEN attempts >= max_attempts THEN now() END,
       last_error = $4, lock_token = NULL, locked_until = NULL, updated_at = now()
     WHERE id = $1 AND lock_token = $2 AND status = 'running'
     RETURNING status`,
    [job.id, job.lockToken, delayMs, error.slice(0, 4000)],
  );
  const status = r.rows[0]?.status;
  return status === 'failed' ? 'failed' : status === 'queued' ? 'retry' : 'lost';
}

/** Gives a job back without spending an attempt (shutdown, or waiting on another job). */
export async function releaseJob(pool: pg.Pool, job: Job, delayMs = 0): Promise<void> {
  await pool.query(
    `UPDATE jobs SET status = 'queued', attempts = greatest(attempts - 1, 0), lock_token = NULL, locked_until = NULL,
            run_at = now() + make_interval(secs => $3::double precision / 1000), updated_at = now()
     WHERE id = $1 AND lock_token = $2 AND status = 'running'`,
    [job.id, job.lockToken, delayMs],
  );
}

/** Keeps a long job's lease alive; false when it was lost. */
export async function extendLease(pool: pg.Pool, job: Job, leaseMs: number): Promise<boolean> {
  const r = await pool.query(
    `UPDATE jobs SET locked_until = now() + make_interval(secs => $3::double precision / 1000), updated_at = now()
     WHERE id = $1 AND lock_token = $2 AND status = 'running'`,
    [job.id, job.lockToken, leaseMs],
  );
  return r.rowCount === 1;
}
