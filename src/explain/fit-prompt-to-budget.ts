import type { SimilarCase } from '../domain/analysis.js';
import type { EvidenceItem } from '../domain/types.js';
import { estimateTokens } from '../redact/estimate-tokens.js';

export type PromptBudget = { tokensBefore: number; tokensAfter: number; dropped: string[] };

export type PromptParts = { items: EvidenceItem[]; similar: SimilarCase[] };

/** Words that make an evidence item worth keeping even when no finding cites it. */
const TROUBLE =
  /\b(error|errors|fail(ed|ure|ing)?|back-?off|oom\w*|killed|panic|exception|fatal|denied|forbidden|time(d)? ?out|refused|not ?ready|unhealthy|evicted|pending|crash\w*|warning|unschedulable|insufficient|exceeded|invalid|cannot|unable|unreachable|missing|not found)\b/i;

/**
 * Trims the evidence in a prompt until `render` fits `budgetTokens`, lowest value
 * first, and says what it dropped:
 *   1. repeated log lines collapsed (same line apart from numbers → one line "(×N)");
 *   2. healthy items dropped (no finding cites them, nothing in them looks wrong), largest first;
 *   3. similar cases beyond the two closest;
 *   4. uncited items cut to their last 20 lines, then dropped, largest first;
 *   5. cited items cut to their last 40 lines, then halved until they fit.
 * Findings and the alert are never trimmed here: they are the analysis.
 */
export function fitPromptToBudget(
  parts: PromptParts,
  cited: ReadonlySet<string>,
  render: (parts: PromptParts) => string,
  budgetTokens: number,
): { parts: PromptParts; budget: PromptBudget } {
  const dropped: string[] = [];
  let items = parts.items.map((i) => ({ ...i }));
  let similar = [...parts.similar];
  const measure = () => estimateTokens(render({ items, similar }));
  const tokensBefore = measure();
  const fits = () => measure() <= budgetTokens;
  const isCited = (item: EvidenceItem) => cited.has(item.id) || cited.has(item.source.path);
  const bySizeDesc = (a: EvidenceItem, b: EvidenceItem) => b.text.length - a.text.length;

  if (!fits()) {
    for (const item of items) {
      const { text, collapsed } = collapseRepeatedLines(item.text);
      if (collapsed > 0) {
        item.text = text;
        dropped.push(`${item.id}: ${collapsed} repeated lines collapsed`);
      }
    }
  }

  const dropWhile = (candidates: EvidenceItem[], why: string) => {
    for (const item of [...candidates].sort(bySizeDesc)) {
      if (fits()) return;
      items = items.filter((i) => i !== item);
      dropped.push(`${item.id}: dropped (${why})`);
    }
  };
  dropWhile(items.filter((i) => !isCited(i) && !i.error && !TROUBLE.test(i.text)), 'healthy, not cited by a finding');

  while (!fits() && similar.length > 2) {
    const last = similar.reduce((low, c) => (c.similarity < low.similarity ? c : low));
    similar = similar.filter((c) => c !== last);
    dropped.push(`similar case ${last.caseId}: dropped (similarity ${last.similarity.toFixed(2)})`);
  }

  const cutToTail = (candidates: EvidenceItem[], lines: number) => {
    for (const item of [...candidates].sort(bySizeDesc)) {
      if (fits()) return;
      const kept = tailLines(item.text, lines);
      if (kept !== item.text) {
        item.text = kept;
        item.truncated = true;
        dropped.push(`${item.id}: cut to its last ${lines} lines`);
      }
    }
  };
  cutToTail(items.filter((i) => !isCited(i)), 20);
  dropWhile(items.filter((i) => !isCited(i)), 'not cited by a finding, over budget');
  cutToTail(items, 40);

  for (let round = 0; round < 200 && !fits() && items.length > 0; round++) {
    for (const item of [...items].sort(bySizeDesc).slice(0, 1)) {
      item.text = item.text.slice(Math.floor(item.text.length / 2));
      item.truncated = true;
      dropped.push(`${item.id}: halved`);
    }
  }
  if (!fits() && similar.length > 0) {
    dropped.push(`${similar.length} similar cases: dropped (over budget)`);
    similar = [];
  }

  return { parts: { items, similar }, budget: { tokensBefore, tokensAfter: measure(), dropped } };
}

/** Lines equal apart from digits (timestamps, counters, ids) are one line with a count. */
export function collapseRepeatedLines(text: string): { text: string; collapsed: number } {
  const seen = new Map<string, { line: string; count: number }>();
  for (const line of text.split('\n')) {
    const key = line.replace(/\d+/g, '#').trim();
    const entry = seen.get(key);
    if (entry) entry.count++;
    else seen.set(key, { line, count: 1 });
  }
  let collapsed = 0;
  const lines = [...seen.values()].map(({ line, count }) => {
    collapsed += count - 1;
    return count > 1 && line.trim() !== '' ? `${line} (×${count})` : line;
  });
  return { text: lines.join('\n'), collapsed };
}

function tailLines(text: string, count: number): string {
  const lines = text.split('\n');
  return lines.length <= count ? text : [`… ${lines.length - count} earlier lines cut`, ...lines.slice(-count)].join('\n');
}
