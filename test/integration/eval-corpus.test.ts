import assert from 'node:assert/strict';
import { test } from 'node:test';
import { availableMode, runCorpus } from '../../src/eval/run-corpus.js';
import { summarizeEval } from '../../src/eval/summarize-eval.js';

test('the offline pipeline gets at least 95% of categories and root causes right over the whole corpus', async () => {
  const results = await runCorpus(undefined, availableMode());
  const s = summarizeEval(results);
  const wrong = results.filter((r) => !r.categoryOk || !r.causeOk).map((r) => `${r.name}: ${r.category}/${r.cause}`);
  assert.ok(s.scenarios >= 25, `${s.scenarios} scenarios`);
  assert.ok(s.categoryAccuracy >= 0.95, `category accuracy ${s.categoryAccuracy}; wrong: ${wrong.join('; ')}`);
  assert.ok(s.causeAccuracy >= 0.95, `cause accuracy ${s.causeAccuracy}; wrong: ${wrong.join('; ')}`);
});
