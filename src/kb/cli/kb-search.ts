import { stripVariableNames } from '../case-text.js';
import type { CaseMatch } from '../kb-case.js';
import type { KnowledgeBase } from '../make-knowledge-base.js';
import { oneLine } from './kb-list.js';

/**
 * Nearest cases to free text, every cluster, no threshold. The query loses its pod
 * hashes, IPs and ordinals first, as stored cases did, so a pasted log line matches.
 */
export async function kbSearch(kb: KnowledgeBase, text: string, out: NodeJS.WritableStream, topK = 10): Promise<CaseMatch[]> {
  const query = text.split('\n').map(stripVariableNames).join('\n');
  const matches = await kb.search({ text: query, cluster: null, threshold: 0, topK });
  for (const m of matches) {
    const mark = m.verdict === 'correct' ? '✅' : '❌';
    const fix = m.correction ? ` — actual cause: ${oneLine(m.correction)}` : '';
    out.write(`${m.similarity.toFixed(3)} ${mark} ${m.id} ${m.alertname} [${m.category}] ${oneLine(m.rootCause)}${fix}\n`);
  }
  if (matches.length === 0) out.write('no cases\n');
  return matches;
}
