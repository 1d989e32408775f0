import { Router } from 'express';
import type pg from 'pg';
import { z } from 'zod';
import { INCIDENT_SOURCES, INCIDENT_STATUSES } from '../../domain/types.js';
import { InputError, NotFoundError } from '../../errors.js';
import { describeZodError } from '../../intake/webhook-schema.js';
import { incidentFromRow, type IncidentRow } from '../../store/incident-record.js';
import { incidentJson } from './incident-json.js';
import { readFeedback } from './read-feedback.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().optional(),
  /** One status or a comma-separated list (`pending,investigating,failed`: everything still open or failing). */
  status: z
    .string()
    .optional()
    .transform((v) => (v ? v.split(',').map((x) => x.trim()) : undefined))
    .pipe(z.array(z.enum(INCIDENT_STATUSES)).min(1).optional()),
  source: z.enum(INCIDENT_SOURCES).optional(),
  category: z.string().max(64).optional(),
  namespace: z.string().max(253).optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  /** Free text over alert name, namespace, workload and description. */
  q: z.string().trim().max(200).optional(),
});

/** ILIKE pattern matching `text` literally anywhere. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Cursor = base64url of "<created_at ISO>|<id>" of the last item of the previous page. */
export function encodeCursor(createdAt: Date, id: string): string {
  return Buffer.from(`${createdAt.toISOString()}|${id}`).toString('base64url');
}

export function decodeCursor(cursor: string): { createdAt: string; id: string } {
  const [createdAt, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!createdAt || !id || Number.isNaN(Date.parse(createdAt)) || !UUID.test(id)) throw new InputError('cursor: malformed');
  return { createdAt, id };
}

export function parseIncidentId(id: string | undefined): string {
  if (!id || !UUID.test(id)) throw new InputError('id: must be a UUID');
  return id;
}

export function makeIncidentsReadRouter(deps: { pool: pg.Pool }): Router {
  const router = Router();

  router.get('/incidents', async (req, res) => {
    const parsed = listQuery.safeParse(req.query);
    if (!parsed.success) throw new InputError(describeZodError(parsed.error));
    const q = parsed.data;
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (q.status) add('status = ANY(?::text[])', q.status);
    if (q.source) add('source = ?', q.source);
    if (q.category) add('category = ?', q.category);
    if (q.namespace) add('namespace = ?', q.namespace);
    if (q.since) add('created_at >= ?', q.since);
    if (q.q) {
      add(
        `(alertname ILIKE ? OR namespace ILIKE $${params.length + 1} OR workload_name ILIKE $${params.length + 1}
          OR description ILIKE $${params.length + 1} OR category ILIKE $${params.length + 1})`,
        containsPattern(q.q),
      );
    }
    if (q.cursor) {
      const c = decodeCursor(q.cursor);
      params.push(c.createdAt, c.id);
      where.push(`(created_at, id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(q.limit + 1);
    const r = await deps.pool.query<IncidentRow>(
      `SELECT * FROM incidents ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY created_at DESC, id DESC LIMIT $${params.length}`,
      params,
    );
    const rows = r.rows.slice(0, q.limit).map(incidentFromRow);
    const last = rows[rows.length - 1];
    res.json({
      items: rows.map(incidentJson),
      next_cursor: r.rows.length > q.limit && last ? encodeCursor(last.createdAt, last.id) : null,
    });
  });

  router.get('/incidents/:id', async (req, res) => {
    const id = parseIncidentId(req.params.id);
    const r = await deps.pool.query<IncidentRow>('SELECT * FROM incidents WHERE id = $1', [id]);
    const row = r.rows[0];
    if (!row) throw new NotFoundError(`incident ${id} not found`);
    // One query after another: the embedded database interleaves concurrent statements badly.
    const alerts = await deps.pool.query(
      `SELECT fingerprint, status, alertname, labels, annotations, starts_at, ends_at, generator_url, receive_count
       FROM alerts WHERE incident_id = $1 ORDER BY starts_at LIMIT 100`,
      [id],
    );
    const analyses = await deps.pool.query('SELECT * FROM analyses WHERE incident_id = $1 ORDER BY created_at DESC LIMIT 1', [id]);
    const feedback = await readFeedback(deps.pool, id);
    const a = analyses.rows[0] as Record<string, unknown> | undefined;
    res.json({
      ...incidentJson(incidentFromRow(row)),
      alerts: alerts.rows,
      analysis: a
        ? {
            mode: a.mode,
            summary: a.summary,
            root_cause: a.root_cause,
            confidence: a.confidence,
            owner: a.owner,
            text: a.text,
            sections: a.sections,
            analyzers: a.analyzers,
            degraded: a.degraded,
            provider: a.provider,
            model: a.model,
            prompt_version: a.prompt_version,
            llm: { calls: a.llm_calls, tokens_in: a.tokens_in, tokens_out: a.tokens_out, error: a.llm_error },
            context: { chars: a.context_chars, estimated_tokens: a.context_tokens },
            created_at: (a.created_at as Date).toISOString(),
          }
        : null,
      suggested_root_cause: a?.root_cause ?? null,
      confidence: a?.confidence ?? null,
      findings: a?.findings ?? [],
      evidence: a?.evidence ?? null,
      similar_cases: a?.similar_cases ?? [],
      feedback,
    });
  });

  return router;
}
