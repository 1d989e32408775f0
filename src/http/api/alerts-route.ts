import { Router } from 'express';
import type pg from 'pg';
import { z } from 'zod';
import { InputError } from '../../errors.js';
import { describeZodError } from '../../intake/webhook-schema.js';
import { containsPattern } from './incidents-routes.js';

const alertsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  status: z.enum(['firing', 'resolved']).optional(),
  namespace: z.string().max(253).optional(),
  alertname: z.string().max(200).optional(),
  q: z.string().trim().max(200).optional(),
});

type AlertRow = {
  id: string;
  fingerprint: string;
  status: string;
  alertname: string;
  namespace: string | null;
  severity: string | null;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  starts_at: Date;
  ends_at: Date | null;
  generator_url: string | null;
  incident_id: string | null;
  receive_count: number;
  last_received_at: Date;
};

/** GET /alerts — alerts as Alertmanager delivered them, most recently received first. */
export function makeAlertsRouter(deps: { pool: pg.Pool }): Router {
  const router = Router();
  router.get('/alerts', async (req, res) => {
    const parsed = alertsQuery.safeParse(req.query);
    if (!parsed.success) throw new InputError(describeZodError(parsed.error));
    const q = parsed.data;
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (column: string, value: unknown) => {
      params.push(value);
      where.push(`${column} = $${params.length}`);
    };
    if (q.status) add('status', q.status);
    if (q.namespace) add('namespace', q.namespace);
    if (q.alertname) add('alertname', q.alertname);
    if (q.q) {
      params.push(containsPattern(q.q));
      where.push(`(alertname ILIKE $${params.length} OR namespace ILIKE $${params.length} OR labels::text ILIKE $${params.length})`);
    }
    params.push(q.limit);
    const r = await deps.pool.query<AlertRow>(
      `SELECT id, fingerprint, status, alertname, namespace, severity, labels, annotations, starts_at, ends_at,
              generator_url, incident_id, receive_count, last_received_at
       FROM alerts ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY last_received_at DESC, id DESC LIMIT $${params.length}`,
      params,
    );
    res.json({
      items: r.rows.map((a) => ({
        ...a,
        id: Number(a.id),
        starts_at: a.starts_at.toISOString(),
        ends_at: a.ends_at?.toISOString() ?? null,
        last_received_at: a.last_received_at.toISOString(),
      })),
    });
  });
  return router;
}
