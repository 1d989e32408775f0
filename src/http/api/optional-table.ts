import type pg from 'pg';

/**
 * Tables that other parts of k8flex add in later migrations (feedback, kb_cases,
 * rollouts). The API reads them only when they exist and only by name-agnostic
 * means (`to_jsonb(row)`), so the routes work before, during and after those
 * migrations land. Table names here are constants from our code, never input.
 */
export const OPTIONAL_TABLES = ['feedback', 'feedback_state', 'kb_cases', 'rollouts'] as const;
export type OptionalTable = (typeof OPTIONAL_TABLES)[number];

type Db = Pick<pg.Pool, 'query'>;

export async function tableColumns(db: Db, table: OptionalTable): Promise<Set<string> | null> {
  const exists = await db.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [table]);
  if (!exists.rows[0]?.t) return null;
  const r = await db.query<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns WHERE table_name = $1 AND table_schema = current_schema()`,
    [table],
  );
  return new Set(r.rows.map((c) => c.column_name));
}

/** Embeddings are large and meaningless to people; every JSON reply leaves them out. */
export const HIDDEN_COLUMNS = ['embedding'] as const;

/** The first of `candidates` the table has, for ordering newest first. */
export function timeColumn(columns: Set<string>, candidates: readonly string[]): string | null {
  return candidates.find((c) => columns.has(c)) ?? null;
}

/** `to_jsonb(alias) - 'embedding'`: a whole row as JSON without its vectors. */
export function rowJson(alias: string): string {
  return `(to_jsonb(${alias}) ${HIDDEN_COLUMNS.map((c) => `- '${c}'`).join(' ')})`;
}

/** Feedback verdicts as the learning loop may spell them, reduced to correct/incorrect. */
export const VERDICT_SQL = (alias: string) => `CASE
  WHEN lower(coalesce(to_jsonb(${alias})->>'verdict', to_jsonb(${alias})->>'reaction', '')) IN ('correct', 'positive', 'confirmed', 'white_check_mark', 'up', 'yes') THEN 'correct'
  WHEN lower(coalesce(to_jsonb(${alias})->>'verdict', to_jsonb(${alias})->>'reaction', '')) IN ('incorrect', 'negative', 'wrong', 'rejected', 'x', 'down', 'no') THEN 'incorrect'
END`;
