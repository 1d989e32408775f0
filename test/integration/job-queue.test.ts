import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import { claimJobs, completeJob, failExpiredJobs, failJob, releaseJob } from '../../src/jobs/job-queue.js';
import { makeWorker } from '../../src/jobs/make-worker.js';
import { silentLogger } from '../../src/observability/logger.js';
import { startTestDb, type TestDb } from '../support/test-db.js';

async function seed(t: TestDb, n: number, maxAttempts = 3): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = randomUUID();
    ids.push(id);
    await t.pool.query(`INSERT INTO incidents (id, group_key, source, cluster, alertname) VALUES ($1, $2, 'api', 'c', 'X')`, [id, `k${i}-${id}`]);
    await t.pool.query(`INSERT INTO jobs (incident_id, kind, max_attempts) VALUES ($1, 'investigate', $2)`, [id, maxAttempts]);
  }
  return ids;
}

describe('job queue', () => {
  let t: TestDb;
  before(async () => {
    t = await startTestDb({ poolMax: 8 });
  });
  after(async () => t.close());
  beforeEach(async () => {
    await t.pool.query('TRUNCATE alerts, jobs, analyses, incidents CASCADE');
  });

  it('never hands one job to two claimers', async () => {
    await seed(t, 30);
    const claims = await Promise.all(
      Array.from({ length: 6 }, (_, i) => claimJobs(t.pool, { workerId: `w${i}`, limit: 10, leaseMs: 60_000 })),
    );
    const ids = claims.flat().map((j) => j.id);
    assert.equal(ids.length, 30);
    assert.equal(new Set(ids).size, 30);
  });

  it('lets two workers drain a backlog with every job run exactly once', async () => {
    await seed(t, 40);
    const runs = new Map<string, number>();
    const handler = async (job: { incidentId: string }) => {
      runs.set(job.incidentId, (runs.get(job.incidentId) ?? 0) + 1);
      await new Promise((r) => setTimeout(r, 5));
    };
    const make = () =>
      makeWorker({
        pool: t.pool,
        handlers: { investigate: handler, resolved: handler },
        onFailed: async () => undefined,
        concurrency: 3,
        pollIntervalMs: 20,
        leaseMs: 60_000,
        backoff: { baseMs: 10, maxMs: 20 },
        logger: silentLogger(),
      });
    const a = make();
    const b = make();
    a.start();
    b.start();
    for (let i = 0; i < 1200; i++) {
      const done = Number((await t.pool.query(`SELECT count(*) AS n FROM jobs WHERE status = 'done'`)).rows[0].n);
      if (done === 40) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await Promise.all([a.stop(1000), b.stop(1000)]);
    assert.equal(runs.size, 40);
    assert.ok([...runs.values()].every((n) => n === 1), 'a job ran twice');
  });

  it('gives a job whose worker died to another worker after the lease expires', async () => {
    await seed(t, 1);
    const [dead] = await claimJobs(t.pool, { workerId: 'dead', limit: 1, leaseMs: 1000 });
    assert.ok(dead);
    assert.equal((await claimJobs(t.pool, { workerId: 'live', limit: 1, leaseMs: 60_000 })).length, 0);
    await t.pool.query(`UPDATE jobs SET locked_until = now() - interval '1 second'`);
    const [again] = await claimJobs(t.pool, { workerId: 'live', limit: 1, leaseMs: 60_000 });
    assert.equal(again?.id, dead.id);
    assert.equal(again?.attempts, 2);
    // The dead worker's late completion is refused: the job is not completed twice.
    assert.equal(await completeJob(t.pool, dead), false);
    assert.equal(await completeJob(t.pool, again!), true);
    assert.equal(await completeJob(t.pool, again!), false);
  });

  it('retries a failing job with backoff and fails it for good after max attempts', async () => {
    await seed(t, 1, 2);
    const [first] = await claimJobs(t.pool, { workerId: 'w', limit: 1, leaseMs: 60_000 });
    assert.equal(await failJob(t.pool, first!, 'boom', 0), 'retry');
    const [second] = await claimJobs(t.pool, { workerId: 'w', limit: 1, leaseMs: 60_000 });
    assert.equal(await failJob(t.pool, second!, 'boom again', 0), 'failed');
    const row = (await t.pool.query('SELECT status, last_error, attempts FROM jobs')).rows[0];
    assert.deepEqual(row, { status: 'failed', last_error: 'boom again', attempts: 2 });
    assert.equal((await claimJobs(t.pool, { workerId: 'w', limit: 1, leaseMs: 60_000 })).length, 0);
  });

  it('does not claim a retried job before its backoff delay', async () => {
    await seed(t, 1);
    const [job] = await claimJobs(t.pool, { workerId: 'w', limit: 1, leaseMs: 60_000 });
    await failJob(t.pool, job!, 'boom', 60_000);
    assert.equal((await claimJobs(t.pool, { workerId: 'w', limit: 1, leaseMs: 60_000 })).length, 0);
  });

  it('marks a job failed when its worker dies on the last attempt', async () => {
    const [incident] = await seed(t, 1, 1);
    await claimJobs(t.pool, { workerId: 'dead', limit: 1, leaseMs: 1000 });
    await t.pool.query(`UPDATE jobs SET locked_until = now() - interval '1 second'`);
    assert.deepEqual(await failExpiredJobs(t.pool), [{ incidentId: incident, kind: 'investigate' }]);
  });

  it('releases a job on shutdown without spending an attempt', async () => {
    await seed(t, 1);
    const [job] = await claimJobs(t.pool, { workerId: 'w', limit: 1, leaseMs: 60_000 });
    await releaseJob(t.pool, job!);
    const [again] = await claimJobs(t.pool, { workerId: 'w2', limit: 1, leaseMs: 60_000 });
    assert.equal(again?.attempts, 1);
  });
});
