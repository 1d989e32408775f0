import type pg from 'pg';
import { rowJson, tableColumns, timeColumn } from './optional-table.js';

/**
 * Feedback rows for one incident (oldest first), whole rows as JSON: the `feedback`
 * table belongs to the learning loop and may not exist yet, in which case there is
 * no feedback.
 */
export async function readFeedback(db: Pick<pg.Pool, 'query'>, incidentId: string): Promise<Record<string, unknown>[]> {
  const columns = await tableColumns(db, 'feedback');
  if (!columns?.has('incident_id')) return [];
  const order = timeColumn(columns, ['created_at', 'received_at', 'updated_at']);
  const r = await db.query<{ row: Record<string, unknown> }>(
    `SELECT ${rowJson('f')} AS row FROM feedback f WHERE f.incident_id = $1 ${order ? `ORDER BY f.${order}` : ''} LIMIT 100`,
    [incidentId],
  );
  return r.rows.map((x) => x.row);
}
