import type { ScenarioResult } from './run-scenario.js';

export type EvalSummary = { scenarios: number; categoryAccuracy: number; causeAccuracy: number; mentionAccuracy: number };

export function summarizeEval(results: ScenarioResult[]): EvalSummary {
  const n = results.length || 1;
  return {
    scenarios: results.length,
    categoryAccuracy: results.filter((r) => r.categoryOk).length / n,
    causeAccuracy: results.filter((r) => r.causeOk).length / n,
    mentionAccuracy: results.filter((r) => r.missingMentions.length === 0).length / n,
  };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const mark = (ok: boolean) => (ok ? '✅' : '❌');

/** Markdown: the accuracy table, then one row per scenario. */
export function formatEvalTable(results: ScenarioResult[]): string {
  const s = summarizeEval(results);
  const rows = results.map((r) =>
    `| ${r.name} | ${r.expected.category} | ${mark(r.categoryOk)} ${r.category} | ${r.expected.cause} | ${mark(r.causeOk)} ${r.cause} | ${r.missingMentions.length === 0 ? '✅' : `❌ ${r.missingMentions.join(', ')}`} | ${r.analysis.confidence} | ${r.analysis.owner} |`,
  );
  return [
    '| metric | value |',
    '|---|---|',
    `| scenarios | ${s.scenarios} |`,
    `| category accuracy | ${pct(s.categoryAccuracy)} |`,
    `| root-cause accuracy | ${pct(s.causeAccuracy)} |`,
    `| root cause names the expected objects | ${pct(s.mentionAccuracy)} |`,
    '',
    '| scenario | expected category | category | expected cause | cause | mentions | confidence | owner |',
    '|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}
