import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { namespaceMetadata } from '../../src/rollouts/namespace-metadata.js';
import { openRolloutIncident } from '../../src/rollouts/open-rollout-incident.js';
import { saveRollout, type RolloutRecord } from '../../src/rollouts/rollout-queries.js';
import { startTestDb, type TestDb } from '../support/test-db.js';

const NOW = Date.parse('2026-01-10T12:00:00Z');

function failed(namespace: string, deployment: string): RolloutRecord {
  return {
    cluster: 'c1', namespace, deployment, imagesBefore: ['x:1'], imagesAfter: ['x:2'], change: null, meta: namespaceMetadata({}),
    state: { generation: 2, templateHash: 't2', revision: '2', status: 'FAILED', baseline: false, startedAt: NOW - 60_000, progressAt: NOW - 60_000, progressMarker: '', completedAt: null, failedAt: NOW, failingSince: NOW - 30_000, reason: 'CrashLoopBackOff', message: 'boom' },
  };
}

describe('rollout investigation rate limits', () => {
  let db: TestDb;
  before(async () => void (db = await startTestDb()));
  after(async () => db.close());

  async function open(record: RolloutRecord, limits = { perNamespacePerHour: 1, perClusterPerHour: 2 }) {
    const rolloutId = await saveRollout(db.pool, record);
    return { rolloutId, result: await openRolloutIncident(db.pool, { rolloutId, record, now: NOW, limits, maxAttempts: 3 }) };
  }

  it('past the namespace limit a failed rollout is recorded with a note and opens no incident', async () => {
    assert.equal((await open(failed('bulk', 'a'))).result.outcome, 'opened');
    const second = await open(failed('bulk', 'b'));
    assert.equal(second.result.outcome, 'suppressed');
    const row = (await db.pool.query('SELECT incident_id, suppressed, note, status FROM rollouts WHERE id = $1', [second.rolloutId])).rows[0];
    assert.deepEqual({ incident: row.incident_id, suppressed: row.suppressed, status: row.status }, { incident: null, suppressed: true, status: 'FAILED' });
    assert.match(row.note, /namespace bulk/);
  });

  it('past the cluster limit failures in other namespaces are suppressed too', async () => {
    assert.equal((await open(failed('shop', 'web'))).result.outcome, 'opened');
    const third = await open(failed('ops', 'tool'));
    assert.equal(third.result.outcome, 'suppressed');
    assert.equal((await db.pool.query(`SELECT count(*)::int AS n FROM incidents WHERE source = 'rollout'`)).rows[0].n, 2);
  });

  it('opening the same failed rollout twice opens one incident', async () => {
    const record = failed('shop', 'api');
    const rolloutId = await saveRollout(db.pool, record);
    const limits = { perNamespacePerHour: 10, perClusterPerHour: 10 };
    const first = await openRolloutIncident(db.pool, { rolloutId, record, now: NOW, limits, maxAttempts: 3 });
    const again = await openRolloutIncident(db.pool, { rolloutId, record, now: NOW, limits, maxAttempts: 3 });
    assert.equal(first.outcome, 'opened');
    assert.deepEqual(again, { outcome: 'already', incidentId: first.outcome === 'opened' ? first.incidentId : null });
  });
});
