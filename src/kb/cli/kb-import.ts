import type { Queryable } from '../../db/make-pool.js';
import type { KnowledgeBase } from '../make-knowledge-base.js';
import { caseLineSchema, type CaseLine } from './case-line.js';

export type ImportResult = { imported: number; errors: string[] };

/**
 * Imports `k8flex kb export` lines. Every line is validated first: if any is bad,
 * each bad line is reported by number and nothing is written. Each case is then one
 * upsert on its incident or id, so importing the same file twice yields the same
 * cases. An incident this database does not have is dropped from its case (the
 * case stays, keyed by id), since kb_cases.incident_id references incidents.
 */
export async function kbImport(deps: { db: Queryable; kb: KnowledgeBase }, text: string): Promise<ImportResult> {
  const { lines, errors } = parseCaseLines(text);
  if (errors.length > 0) return { imported: 0, errors };
  const known = await knownIncidents(deps.db, lines.flatMap((l) => (l.incidentId ? [l.incidentId] : [])));
  for (const line of lines) {
    const { embeddingModel: _model, ...c } = line;
    await deps.kb.put({ ...c, incidentId: c.incidentId && known.has(c.incidentId.toLowerCase()) ? c.incidentId : null });
  }
  return { imported: lines.length, errors: [] };
}

/** Blank lines are skipped; line numbers count from 1 as editors show them. */
export function parseCaseLines(text: string): { lines: CaseLine[]; errors: string[] } {
  const lines: CaseLine[] = [];
  const errors: string[] = [];
  for (const [i, raw] of text.split('\n').entries()) {
    if (!raw.trim()) continue;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (err) {
      errors.push(`line ${i + 1}: not JSON (${(err as Error).message})`);
      continue;
    }
    const parsed = caseLineSchema.safeParse(json);
    if (parsed.success) lines.push(parsed.data);
    else errors.push(`line ${i + 1}: ${parsed.error.issues.map((e) => `${e.path.join('.') || '(line)'}: ${e.message}`).join('; ')}`);
  }
  return { lines, errors };
}

async function knownIncidents(db: Queryable, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const r = await db.query<{ id: string }>('SELECT id::text AS id FROM incidents WHERE id = ANY($1::uuid[])', [ids]);
  return new Set(r.rows.map((x) => x.id));
}
