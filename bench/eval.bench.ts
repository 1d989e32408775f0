import { availableMode, runCorpus } from '../src/eval/run-corpus.js';
import { formatEvalTable } from '../src/eval/summarize-eval.js';

/** The offline diagnosis evaluation (same as `npm run eval`), as a bench section. */
export async function run(): Promise<{ title: string; markdown: string }> {
  const mode = availableMode();
  const results = await runCorpus(undefined, mode);
  return {
    title: 'Offline diagnosis accuracy',
    markdown: [
      `\`npm run bench -- eval\`: every scenario in \`test/fixtures/scenarios/\` through categorize → collect (${mode}) → diagnose → refine → offline analysis, no LLM.`,
      '',
      formatEvalTable(results),
    ].join('\n'),
  };
}
