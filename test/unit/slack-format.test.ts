import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeMrkdwn, mrkdwnLink } from '../../src/slack/escape-mrkdwn.js';
import { formatAnalysisMessage, similarCaseLine } from '../../src/slack/format-analysis-message.js';
import type { SimilarCase } from '../../src/domain/analysis.js';
import { formatDuration } from '../../src/slack/format-duration.js';
import { formatParentMessage } from '../../src/slack/format-parent-message.js';
import { splitForSlack } from '../../src/slack/split-for-slack.js';
import { toSlackMrkdwn } from '../../src/slack/to-slack-mrkdwn.js';
import { makeSubject } from '../support/fake-slack.js';

describe('escapeMrkdwn', () => {
  const cases: [string, string][] = [
    ['<!channel> now', '&lt;!channel&gt; now'],
    ['<@U123>', '&lt;@U123&gt;'],
    ['a & b', 'a &amp; b'],
    ['&lt; already', '&amp;lt; already'],
    ['plain', 'plain'],
  ];
  for (const [input, expected] of cases) it(`turns ${JSON.stringify(input)} into ${JSON.stringify(expected)}`, () => assert.equal(escapeMrkdwn(input), expected));

  it('writes a link only for http(s) URLs and keeps | and > from ending it', () => {
    assert.equal(mrkdwnLink('https://x.example/a?b=1&c=2|>', 'A|B'), '<https://x.example/a?b=1&amp;c=2%7C%3E|A¦B>');
    assert.equal(mrkdwnLink('javascript:alert(1)', 'x'), 'x');
    assert.equal(mrkdwnLink(null, '<b>'), '&lt;b&gt;');
  });
});

describe('toSlackMrkdwn', () => {
  const cases: [string, string, string][] = [
    ['headings become bold', '## Root cause', '*Root cause*'],
    ['bold headings lose the inner stars', '### **Impact**', '*Impact*'],
    ['double-star bold becomes single', 'exits with **code 1**', 'exits with *code 1*'],
    ['underscore bold becomes single', '__x__', '*x*'],
    ['italics become underscores', 'an *important* note', 'an _important_ note'],
    ['dash bullets become dots', '- one\n  - two', '• one\n  • two'],
    ['star bullets become dots', '* one', '• one'],
    ['numbered lists stay numbered', '1) first', '1. first'],
    ['links become Slack links', 'see [runbook](https://r.example/x)', 'see <https://r.example/x|runbook>'],
    ['strikethrough uses one tilde', '~~old~~', '~old~'],
    ['control characters are escaped', 'a <!here> & b', 'a &lt;!here&gt; &amp; b'],
    ['inline code is escaped but not formatted', '`**x** <y>`', '`**x** &lt;y&gt;`'],
    ['fenced code loses its language and keeps its stars', '```yaml\na: **b**\n```', '```\na: **b**\n```'],
    ['an unclosed fence is closed', '```\npartial', '```\npartial\n```'],
    ['quotes stay quotes', '> note <x>', '>note &lt;x&gt;'],
    ['rules disappear', '---', ''],
  ];
  for (const [name, input, expected] of cases) it(name, () => assert.equal(toSlackMrkdwn(input), expected));
});

describe('splitForSlack', () => {
  it('returns short text as one piece and empty text as none', () => {
    assert.deepEqual(splitForSlack('hello', 100), ['hello']);
    assert.deepEqual(splitForSlack('', 100), []);
  });

  it('keeps every piece within the limit and loses no words', () => {
    const text = Array.from({ length: 300 }, (_, i) => `line ${i} ${'x'.repeat(i % 50)}`).join('\n');
    const pieces = splitForSlack(text, 500);
    assert.ok(pieces.every((p) => p.length <= 500));
    assert.equal(pieces.join('\n').replace(/\s+/g, ' '), text.replace(/\s+/g, ' '));
  });

  it('prefers a paragraph break in the second half of a piece', () => {
    const pieces = splitForSlack(`${'a'.repeat(60)}\n\n${'b'.repeat(30)}\n${'c'.repeat(30)}`, 100);
    assert.equal(pieces[0], `${'a'.repeat(60)}\n`);
  });

  it('hard-wraps a line longer than a piece at a space', () => {
    const pieces = splitForSlack('word '.repeat(100), 120);
    assert.ok(pieces.length > 1 && pieces.every((p) => p.length <= 120 && !p.startsWith(' ')));
  });

  it('never cuts an escaped entity in half', () => {
    const pieces = splitForSlack('&amp;'.repeat(100), 50);
    assert.ok(pieces.every((p) => /^(&amp;)+$/.test(p)), JSON.stringify(pieces));
  });

  it('closes and reopens a code fence cut by a split', () => {
    const text = `intro\n\`\`\`\n${Array.from({ length: 40 }, (_, i) => `log ${i}`).join('\n')}\n\`\`\`\nafter`;
    const pieces = splitForSlack(text, 100);
    for (const p of pieces) assert.equal((p.match(/```/g) ?? []).length % 2, 0, p);
  });
});

describe('formatDuration', () => {
  const cases: [number, string][] = [
    [45_000, '45 s'],
    [14 * 60_000, '14 min'],
    [125 * 60_000, '2 h 5 min'],
    [3 * 3_600_000, '3 h'],
    [(3 * 24 + 4) * 3_600_000, '3 d 4 h'],
    [-5, '0 s'],
  ];
  for (const [ms, expected] of cases) it(`says ${expected} for ${ms} ms`, () => assert.equal(formatDuration(ms), expected));
});

describe('formatParentMessage', () => {
  it('shows resolved state in the header and the status line', () => {
    const m = formatParentMessage({ subject: makeSubject(), team: null, incidentUrl: null, status: { state: 'resolved', durationMs: 14 * 60_000 } });
    assert.equal(m.blocks[0]?.type === 'header' && m.blocks[0].text.text, '✅ Resolved: KubePodCrashLooping');
    assert.ok(JSON.stringify(m.blocks).includes('*Resolved* after 14 min'));
  });

  it('names the scope cluster-wide when there is no namespace or workload', () => {
    const m = formatParentMessage({ subject: makeSubject({ namespace: null, workload: null, labels: {} }), team: null, incidentUrl: null, status: { state: 'firing' } });
    assert.ok(m.text.includes('in cluster-wide'));
  });

  it('clips a huge summary to one section', () => {
    const m = formatParentMessage({ subject: makeSubject({ annotations: { summary: 'y'.repeat(10_000) } }), team: null, incidentUrl: null, status: { state: 'firing' } });
    assert.ok(m.blocks.every((b) => b.type !== 'section' || !('text' in b) || b.text.text.length <= 3000));
    assert.ok(m.text.length <= 300);
  });
});

describe('formatAnalysisMessage', () => {
  const analysis = { confidence: 'medium' as const, mode: 'offline' as const, degraded: ['Cluster unreadable: 403'] };

  it('shows the progress marker while streaming and the completion when done', () => {
    assert.ok(JSON.stringify(formatAnalysisMessage({ markdown: 'x', analysis: null, similar: [], incidentUrl: null })).includes('⏳ Analysing'));
    const done = JSON.stringify(formatAnalysisMessage({ markdown: 'x', analysis, similar: [], incidentUrl: null }));
    assert.ok(done.includes('✅ Analysis complete') && done.includes('Confidence: *medium*') && done.includes('rules engine') && done.includes('Cluster unreadable: 403'));
    assert.ok(!done.includes('⏳'));
  });

  it('fits a custom block limit and says the text was shortened', () => {
    const m = formatAnalysisMessage({ markdown: 'p\n\n'.repeat(10) + 'z'.repeat(20_000), analysis, similar: [], incidentUrl: 'https://k/incidents/1', limits: { maxBlocks: 8, maxSectionChars: 1000, maxMessageChars: 40_000 } });
    assert.ok(m.blocks.length <= 8);
    assert.ok(JSON.stringify(m.blocks).includes('<https://k/incidents/1|dashboard>'));
  });
});

describe('similar past cases in the analysis message', () => {
  const confirmed: SimilarCase = {
    caseId: 'c1',
    incidentId: 'i1',
    alertname: 'KubePodCrashLooping',
    category: 'oom-killed',
    rootCause: 'Java heap larger than the 512Mi limit',
    verdict: 'correct',
    correction: null,
    validatedBy: 'U123',
    validatedAt: '2026-11-20T10:04:00.000Z',
    similarity: 0.912,
    link: 'https://k8flex.example/incidents/i1',
  };
  const wrong: SimilarCase = {
    ...confirmed,
    caseId: 'c2',
    verdict: 'incorrect',
    rootCause: 'Postgres was down',
    correction: 'the NetworkPolicy <blocked> 5432 & nothing else',
    validatedBy: 'U456',
    validatedAt: '2026-11-21T09:00:00.000Z',
    similarity: 0.876,
  };

  it('names a confirmed case with its link, who confirmed it, when, and the similarity', () => {
    assert.equal(
      similarCaseLine(confirmed),
      'Similar to <https://k8flex.example/incidents/i1|KubePodCrashLooping: Java heap larger than the 512Mi limit>, confirmed by <@U123> on 2026-11-20, similarity 0.91',
    );
  });

  it('says who marked a case incorrect and what the actual cause was, escaped', () => {
    assert.equal(
      similarCaseLine(wrong),
      'Similar to <https://k8flex.example/incidents/i1|KubePodCrashLooping: Postgres was down>, marked incorrect by <@U456> on 2026-11-21 — actual cause: the NetworkPolicy &lt;blocked&gt; 5432 &amp; nothing else, similarity 0.88',
    );
  });

  it('mentions only Slack user IDs; anything else in validatedBy or the case cannot ping anyone', () => {
    const line = similarCaseLine({ ...confirmed, validatedBy: '<!channel>', rootCause: 'ping <!here>', link: null });
    assert.equal(line, 'Similar to KubePodCrashLooping: ping &lt;!here&gt;, confirmed by &lt;!channel&gt; on 2026-11-20, similarity 0.91');
  });

  it('leaves out who and when when they are unknown', () => {
    assert.equal(similarCaseLine({ ...wrong, validatedBy: null, validatedAt: null, correction: null, link: null }), 'Similar to KubePodCrashLooping: Postgres was down, marked incorrect, similarity 0.88');
  });

  it('lists at most five cases under "Similar past cases" in the completed message', () => {
    const analysis = { confidence: 'high' as const, mode: 'offline' as const, degraded: [] };
    const similar = Array.from({ length: 7 }, (_, i) => ({ ...confirmed, caseId: `c${i}`, rootCause: `cause ${i}` }));
    const m = formatAnalysisMessage({ markdown: '## Root cause\nx', analysis, similar, incidentUrl: null });
    const section = m.blocks.find((b) => b.type === 'section' && 'text' in b && b.text.text.startsWith('*Similar past cases*'));
    assert.ok(section && section.type === 'section' && 'text' in section);
    const lines = section.text.text.split('\n').slice(1);
    assert.equal(lines.length, 5);
    assert.ok(lines.every((l, i) => l.startsWith('• Similar to ') && l.includes(`cause ${i}`) && l.includes('confirmed by <@U123>')));
  });
});
