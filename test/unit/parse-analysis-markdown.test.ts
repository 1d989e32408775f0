import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAnalysisMarkdown } from '../../src/explain/parse-analysis-markdown.js';
import { writeOfflineAnalysis } from '../../src/explain/write-offline-analysis.js';
import { GOOD_ANSWER, sampleExplainInput } from '../support/fake-llm/sample-explain-input.js';

test('a well-formed answer fills every field and misses nothing', () => {
  const { sections, missing, usable } = parseAnalysisMarkdown(GOOD_ANSWER);
  assert.equal(usable, true);
  assert.deepEqual(missing, []);
  assert.equal(sections.impact, 'Orders API unavailable.');
  assert.deepEqual(sections.prevention, ['Roll out password rotations with the workload.']);
  assert.equal(sections.confidence, 'high');
});

test('the offline analysis parses back into the fields it was rendered from', () => {
  const offline = writeOfflineAnalysis(sampleExplainInput());
  const { sections, usable } = parseAnalysisMarkdown(offline.text);
  assert.equal(usable, true);
  assert.equal(sections.summary, offline.summary);
  assert.equal(sections.rootCause, offline.rootCause);
  assert.equal(sections.impact, offline.impact);
  assert.equal(sections.evidence.length, offline.evidence.length);
  assert.equal(sections.actions.length, offline.actions.length);
  assert.equal(sections.confidence, offline.confidence);
});

const headingStyles: Array<[string, string]> = [
  ['level-3 headings with colons', '### Summary:\nS\n### Root Cause:\nR\n### Confidence:\nmedium'],
  ['bold pseudo-headings', '**Summary**\nS\n\n**Root cause**\nR\n\n**Confidence**\nMedium confidence.'],
  ['answers with a preamble before the first heading', 'Here is the analysis.\n\n## Summary\nS\n## Root cause\nR\n## Confidence\n**medium**'],
];
for (const [style, text] of headingStyles) {
  test(`${style} are read as the fixed sections`, () => {
    const { sections, usable } = parseAnalysisMarkdown(text);
    assert.equal(usable, true);
    assert.equal(sections.summary, 'S');
    assert.equal(sections.rootCause, 'R');
    assert.equal(sections.confidence, 'medium');
  });
}

test('an answer without a root cause is not usable and names what is missing', () => {
  const { usable, missing, sections } = parseAnalysisMarkdown('## Summary\nSomething broke.\n## Impact\nSome.');
  assert.equal(usable, false);
  assert.deepEqual(missing, ['Root cause', 'Evidence', 'Recommended actions', 'Prevention', 'Confidence']);
  assert.equal(sections.confidence, 'low');
});

test('free text with no headings is not usable', () => {
  assert.equal(parseAnalysisMarkdown('The pod is sad.').usable, false);
});

test('a heading inside a fenced code block stays part of the section', () => {
  const { sections } = parseAnalysisMarkdown('## Summary\nS\n## Root cause\nR\n```\n## Impact\n```\n## Confidence\nlow');
  assert.match(sections.rootCause, /## Impact/);
  assert.equal(sections.impact, '');
});

test('list items with * markers, numbers and continuation lines become one entry each', () => {
  const { sections } = parseAnalysisMarkdown('## Recommended actions\n1) first\n   continued\n* second\n\n## Evidence\n- a\n- b');
  assert.deepEqual(sections.actions, ['first continued', 'second']);
  assert.deepEqual(sections.evidence, ['a', 'b']);
});
