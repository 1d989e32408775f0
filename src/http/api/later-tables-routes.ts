import { Router } from 'express';
import type pg from 'pg';
import { z } from 'zod';
import { InputError } from '../../errors.js';
import { describeZodError } from '../../intake/webhook-schema.js';
import { containsPattern } from './incidents-routes.js';
import { rowJson, tableColumns, timeColumn, VERDICT_SQL } from './optional-table.js';

const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  namespace: z.string().max(253).optional(),
  category: z.string().max(64).optional(),
  q: z.string().trim().max(200).optional(),
});

type Row = { row: Record<string, unknown> };

/**
 * GET /rollouts and GET /kb/cases. Their tables come with the rollout watcher and the
 * learning loop; until those migrations run the routes answer `{"items": []}`.
 * Rows are returned whole (embeddings left out) so new columns appear without an
 * API change.
 */
export function makeLaterTablesRouter(deps: { pool: pg.Pool }): Router {
  const router = Router();

  router.get('/rollouts', async (req, res) => {
    const q = parseQuery(req.query);
    const columns = await tableColumns(deps.pool, 'rollouts');
    if (!columns) return void res.json({ items: [] });
    const { where, params } = filters(columns, q, 'r');
    const order = timeColumn(columns, ['created_at', 'detected_at', 'started_at', 'updated_at']);
    params.push(q.limit);
    const r = await deps.pool.query<Row>(
      `SELECT ${rowJson('r')} AS row FROM rollouts r ${where} ${order ? `ORDER BY r.${order} DESC` : ''} LIMIT $${params.length}`,
      params,
    );
    res.json({ items: r.rows.map((x) => x.row) });
  });

  router.get('/kb/cases', async (req, res) => {
    const q = parseQuery(req.query);
    const columns = await tableColumns(deps.pool, 'kb_cases');
    if (!columns) return void res.json({ items: [] });
    const { where, params } = filters(columns, q, 'k');
    const order = timeColumn(columns, ['validated_at', 'created_at', 'updated_at']);
    params.push(q.limit);
    const r = await deps.pool.query<Row>(
      `SELECT ${rowJson('k')} AS row FROM kb_cases k ${where} ${order ? `ORDER BY k.${order} DESC` : ''} LIMIT $${params.length}`,
      params,
    );
    const items = r.rows.map((x) => ({ ...x.row, verdicts: [] as Record<string, unknown>[] }));
    await attachVerdicts(deps.pool, items);
    res.json({ items });
  });

  return router;
}

function parseQuery(query: unknown): z.infer<typeof listQuery> {
  const parsed = listQuery.safeParse(query);
  if (!parsed.success) throw new InputError(describeZodError(parsed.error));
  return parsed.data;
}

function filters(columns: Set<string>, q: z.infer<typeof listQuery>, alias: string): { where: string; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  if (q.namespace && columns.has('namespace')) {
    params.push(q.namespace);
    where.push(`${alias}.namespace = $${params.length}`);
  }
  if (q.category && columns.has('category')) {
    params.push(q.category);
    where.push(`${alias}.category = $${params.length}`);
  }
  if (q.q) {
    params.push(containsPattern(q.q));
    where.push(`${rowJson(alias)}::text ILIKE $${params.length}`);
  }
  return { where: where.length ? `WHERE ${where.join(' AND ')}` : '', params };
}

/** Each case's verdict history: feedback on the case itself or on the incident it came from. */
async function attachVerdicts(pool: pg.Pool, items: Array<Record<string, unknown> & { verdicts: Record<string, unknown>[] }>): Promise<void> {
  const feedback = await tableColumns(pool, 'feedback');
  if (!feedback || items.length === 0) return;
  const links: string[] = [];
  if (feedback.has('case_id')) links.push(`(f.case_id::text = c.c->>'id')`);
  if (feedback.has('incident_id')) links.push(`(f.incident_id::text = c.c->>'incident_id')`);
  if (links.length === 0) return;
  const order = timeColumn(feedback, ['created_at', 'received_at', 'updated_at']);
  const r = await pool.query<{ case_index: number; row: Record<string, unknown>; verdict: string | null }>(
    `SELECT c.ordinality - 1 AS case_index, ${rowJson('f')} AS row, ${VERDICT_SQL('f')} AS verdict
     FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS c(c, ordinality)
     JOIN feedback f ON ${links.join(' OR ')}
     ${order ? `ORDER BY f.${order}` : ''}`,
    [JSON.stringify(items.map((i) => ({ id: i.id === undefined ? null : String(i.id), incident_id: i.incident_id ?? null })))],
  );
  for (const v of r.rows) items[Number(v.case_index)]?.verdicts.push({ ...v.row, verdict: v.verdict ?? v.row.verdict ?? null });
}
