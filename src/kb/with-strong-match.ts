import type { SimilarCase } from '../domain/analysis.js';
import type { Explain } from '../pipeline/stages.js';

/**
 * Wraps the explain stage so that, when a confirmed case matches very closely, the
 * analysis opens with it at once — before the deeper analysis (an LLM call, say) has
 * written a word. The lead paragraph is part of the stream, so `Analysis.text`
 * stays the concatenation of the chunks.
 */
export function withStrongMatch(explain: Explain, strongMatch: number): Explain {
  return (input, signal) => {
    const best = input.similar.filter((c) => c.verdict === 'correct' && c.similarity >= strongMatch).sort((a, b) => b.similarity - a.similarity)[0];
    const inner = explain(input, signal);
    if (!best) return inner;
    const lead = strongMatchParagraph(best);
    async function* chunks(): AsyncGenerator<string> {
      yield lead;
      yield* inner.chunks;
    }
    return { chunks: chunks(), done: inner.done.then((a) => ({ ...a, text: lead + a.text })) };
  };
}

/** "🔁 Very similar to a confirmed case: …, confirmed by @U… on 2025-06-01, similarity 0.93." */
export function strongMatchParagraph(c: SimilarCase): string {
  const name = c.link ? `[${c.alertname}](${c.link})` : c.alertname;
  const by = c.validatedBy ? ` by @${c.validatedBy}` : '';
  const on = c.validatedAt ? ` on ${c.validatedAt.slice(0, 10)}` : '';
  return `🔁 **Very similar to a confirmed case:** ${name} — ${c.rootCause} (confirmed${by}${on}, similarity ${c.similarity.toFixed(2)})\n\n`;
}
