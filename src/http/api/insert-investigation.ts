import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { withTransaction } from '../../db/make-pool.js';
import { entityLabels, type Entities } from '../../intake/extract-entities.js';
import { workloadFromLabels } from '../../intake/workload-from-labels.js';

/** Shown as the alert name of incidents people open through the API or dashboard. */
export const MANUAL_ALERTNAME = 'ManualInvestigation';

export type NewInvestigation = {
  source: 'api' | 'dashboard';
  cluster: string;
  description: string;
  entities: Entities;
  idempotencyKey: string | null;
  maxAttempts: number;
};

/**
 * Opens an incident with one investigate job, in one transaction. A repeated
 * Idempotency-Key returns the incident the first request opened (the column is
 * UNIQUE, so two concurrent requests with one key still open one incident).
 */
export async function insertInvestigation(pool: pg.Pool, n: NewInvestigation): Promise<{ id: string; created: boolean }> {
  const labels = entityLabels(n.entities);
  const workload = workloadFromLabels(labels);
  const id = randomUUID();
  return withTransaction(pool, async (client) => {
    const inserted = await client.query<{ id: string }>(
      `INSERT INTO incidents (id, group_key, source, cluster, alertname, namespace, workload_kind, workload_name,
                              description, labels, entities, notify, idempotency_key)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
       ON CONFLICT (idempotency_key) DO NOTHING
       RETURNING id`,
      [
        id,
        `${n.source}/${id}`,
        n.source,
        n.cluster,
        MANUAL_ALERTNAME,
        n.entities.namespace ?? null,
        workload?.kind ?? null,
        workload?.name ?? null,
        n.description,
        JSON.stringify(labels),
        JSON.stringify(n.entities),
        n.source !== 'dashboard',
        n.idempotencyKey,
      ],
    );
    if (inserted.rows.length === 0) {
      const existing = await client.query<{ id: string }>('SELECT id FROM incidents WHERE idempotency_key = $1', [n.idempotencyKey]);
      return { id: existing.rows[0]!.id, created: false };
    }
    await client.query(`INSERT INTO jobs (incident_id, kind, max_attempts) VALUES ($1, 'investigate', $2)`, [id, n.maxAttempts]);
    return { id, created: true };
  });
}
