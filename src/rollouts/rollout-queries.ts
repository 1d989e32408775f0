import type pg from 'pg';
import type { Queryable } from '../db/make-pool.js';
import type { RolloutChange } from './describe-rollout-change.js';
import type { NamespaceMetadata } from './namespace-metadata.js';
import type { RolloutState } from './rollout-types.js';

/** One `rollouts` row as the watcher writes it. */
export type RolloutRecord = {
  cluster: string;
  namespace: string;
  deployment: string;
  state: RolloutState;
  imagesBefore: string[];
  imagesAfter: string[];
  change: RolloutChange | null;
  meta: NamespaceMetadata;
};

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * Inserts or updates the row for (cluster, namespace, deployment, generation). The
 * first start time wins: a new leader that re-derives the state after a hand-over
 * must not move it. Returns the row id.
 */
export async function saveRollout(db: Queryable, r: RolloutRecord): Promise<string> {
  const s = r.state;
  const result = await db.query<{ id: string }>(
    `INSERT INTO rollouts (cluster, namespace, deployment, generation, status, revision, template_hash, images_before,
                           images_after, change, reason, message, slack_channel, team, namespace_meta,
                           started_at, completed_at, failed_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
     ON CONFLICT (cluster, namespace, deployment, generation) DO UPDATE SET
       status = EXCLUDED.status,
       revision = COALESCE(EXCLUDED.revision, rollouts.revision),
       template_hash = EXCLUDED.template_hash,
       images_before = CASE WHEN EXCLUDED.images_before = '[]'::jsonb THEN rollouts.images_before ELSE EXCLUDED.images_before END,
       images_after = EXCLUDED.images_after,
       change = CASE WHEN EXCLUDED.change = '{}'::jsonb THEN rollouts.change ELSE EXCLUDED.change END,
       reason = COALESCE(EXCLUDED.reason, rollouts.reason),
       message = COALESCE(EXCLUDED.message, rollouts.message),
       slack_channel = EXCLUDED.slack_channel,
       team = EXCLUDED.team,
       namespace_meta = EXCLUDED.namespace_meta,
       completed_at = EXCLUDED.completed_at,
       failed_at = COALESCE(rollouts.failed_at, EXCLUDED.failed_at),
       updated_at = now()
     RETURNING id`,
    [
      r.cluster, r.namespace, r.deployment, s.generation, s.status, s.revision, s.templateHash,
      JSON.stringify(r.imagesBefore), JSON.stringify(r.imagesAfter), JSON.stringify(r.change ?? {}),
      s.reason, s.message, r.meta.slackChannel, r.meta.team, JSON.stringify(r.meta.extra),
      iso(s.startedAt), iso(s.completedAt), iso(s.failedAt),
    ],
  );
  return result.rows[0]?.id ?? '';
}

export type RolloutRow = {
  id: string;
  cluster: string;
  namespace: string;
  deployment: string;
  generation: string;
  status: string;
  reason: string | null;
  incident_id: string | null;
  suppressed: boolean;
  note: string | null;
  change: Partial<RolloutChange>;
  images_before: string[];
  images_after: string[];
  started_at: Date;
  failed_at: Date | null;
  completed_at: Date | null;
};

export async function listRollouts(pool: pg.Pool, where: { namespace?: string; deployment?: string } = {}): Promise<RolloutRow[]> {
  const r = await pool.query<RolloutRow>(
    `SELECT * FROM rollouts WHERE ($1::text IS NULL OR namespace = $1) AND ($2::text IS NULL OR deployment = $2)
     ORDER BY started_at, id`,
    [where.namespace ?? null, where.deployment ?? null],
  );
  return r.rows;
}
