import type { Queryable } from '../../db/make-pool.js';
import { listCases } from '../list-cases.js';

/** One line per case, newest first: when, verdict, who, alert, category, root cause. */
export async function kbList(db: Queryable, out: NodeJS.WritableStream, limit = 100): Promise<number> {
  const cases = await listCases(db, limit);
  for (const c of cases) {
    const mark = c.verdict === 'correct' ? '✅' : '❌';
    const by = c.validatedBy ?? '-';
    const fix = c.correction ? ` — actual cause: ${oneLine(c.correction)}` : '';
    out.write(`${c.validatedAt.slice(0, 10)} ${mark} ${c.id} ${by} ${c.alertname} [${c.category}] ${oneLine(c.rootCause)}${fix}\n`);
  }
  return cases.length;
}

export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, 160);
}
