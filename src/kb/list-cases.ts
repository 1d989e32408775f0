import type { Queryable } from '../db/make-pool.js';
import { CASE_COLUMNS, caseFromRow, type CaseRow } from './case-from-row.js';
import type { KbCaseRecord } from './kb-case.js';

/** Cases newest first (all of them when `limit` is null), without embeddings. */
export async function listCases(db: Queryable, limit: number | null = 100): Promise<KbCaseRecord[]> {
  const r = await db.query<CaseRow>(
    `SELECT ${CASE_COLUMNS} FROM kb_cases ORDER BY validated_at DESC, id ${limit === null ? '' : 'LIMIT $1'}`,
    limit === null ? [] : [limit],
  );
  return r.rows.map(caseFromRow);
}

export async function countCases(db: Queryable): Promise<number> {
  const r = await db.query<{ n: string }>('SELECT count(*) AS n FROM kb_cases');
  return Number(r.rows[0]?.n ?? 0);
}
