import type { Queryable } from '../../db/make-pool.js';
import { listCases } from '../list-cases.js';
import { caseLine } from './case-line.js';

/** Writes every case as one JSON line, newest first, without embeddings. Returns how many. */
export async function kbExport(db: Queryable, out: NodeJS.WritableStream): Promise<number> {
  const cases = await listCases(db, null);
  for (const c of cases) out.write(`${caseLine(c)}\n`);
  return cases.length;
}
