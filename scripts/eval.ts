import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { availableMode, runCorpus, type CollectMode } from '../src/eval/run-corpus.js';
import { formatEvalTable, summarizeEval } from '../src/eval/summarize-eval.js';

// npm run eval [-- --mode fixture|fake-api] [--verbose]
const args = process.argv.slice(2);
const modeArg = args[args.indexOf('--mode') + 1];
const mode: CollectMode = args.includes('--mode') && (modeArg === 'fixture' || modeArg === 'fake-api') ? modeArg : availableMode();
const results = await runCorpus(undefined, mode);
const table = formatEvalTable(results);
console.log(table);
if (args.includes('--verbose')) {
  for (const r of results.filter((x) => !x.categoryOk || !x.causeOk || x.missingMentions.length > 0)) {
    console.log(`\n### ${r.name}\n${r.analysis.text}`);
  }
}
const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'eval.md');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(
  out,
  [
    '# Offline diagnosis — evaluation',
    '',
    'Produced by `npm run eval` (`tsx scripts/eval.ts`): every scenario in `test/fixtures/scenarios/` runs through',
    'categorize (rules) → collect → diagnose → refine → offline analysis, with no LLM.',
    `Collection: ${mode === 'fake-api' ? 'the wire-level fake Kubernetes API and the real collector' : 'the fixture YAML read directly (snapshotFromFixture)'}.`,
    'A scenario passes on category when the final category equals `expected.category`, on cause when the top finding\'s',
    'cause id equals `expected.cause`; "mentions" checks that the root cause names the expected objects.',
    '',
    table,
    '',
  ].join('\n'),
);
const s = summarizeEval(results);
process.exitCode = s.categoryAccuracy >= 0.95 && s.causeAccuracy >= 0.95 ? 0 : 1;
