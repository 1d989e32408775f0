import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { embedLocally } from '../../src/embeddings/local-embedder.js';
import { pickCorrection } from '../../src/feedback/pick-correction.js';
import { heldFromReactions } from '../../src/feedback/reaction-verdicts.js';
import { currentVerdict, reconcileVerdicts } from '../../src/feedback/reconcile-verdicts.js';
import { slackSignature, verifySlackSignature } from '../../src/feedback/verify-slack-signature.js';
import { caseText } from '../../src/kb/case-text.js';

const T0 = '2025-06-12T10:00:00.000Z';
const T1 = '2025-06-12T10:01:00.000Z';

describe('reconcileVerdicts', () => {
  it('records nothing when the same reactions are seen twice', () => {
    const held = heldFromReactions([{ name: 'white_check_mark', users: ['U1'], count: 1 }]);
    const first = reconcileVerdicts({}, held, T0);
    assert.deepEqual(first.changes, [{ user: 'U1', verdict: 'correct', reaction: 'white_check_mark' }]);
    assert.deepEqual(reconcileVerdicts(first.next, held, T1).changes, []);
  });

  it('treats ❌ added beside a recorded ✅ as a change of mind to incorrect', () => {
    const prev = { U1: { verdict: 'correct' as const, reaction: '+1', at: T0 } };
    const held = heldFromReactions([{ name: '+1', users: ['U1'], count: 1 }, { name: 'x', users: ['U1'], count: 1 }]);
    const { next, changes } = reconcileVerdicts(prev, held, T1);
    assert.deepEqual(changes, [{ user: 'U1', verdict: 'incorrect', reaction: 'x' }]);
    assert.equal(currentVerdict(next)?.verdict, 'incorrect');
  });

  it('withdraws a verdict whose reaction was removed and ignores the bot and other emoji', () => {
    const prev = { U1: { verdict: 'correct' as const, reaction: 'white_check_mark', at: T0 } };
    const held = heldFromReactions([{ name: 'eyes', users: ['U1'], count: 1 }, { name: 'x', users: ['UBOT'], count: 1 }], new Set(['UBOT']));
    const { next, changes } = reconcileVerdicts(prev, held, T1);
    assert.deepEqual(changes, [{ user: 'U1', verdict: 'withdrawn', reaction: null }]);
    assert.equal(currentVerdict(next), null);
  });

  it('takes the most recent verdict still held as the incident verdict', () => {
    assert.deepEqual(currentVerdict({ A: { verdict: 'incorrect', reaction: 'x', at: T0 }, B: { verdict: 'correct', reaction: '+1', at: T1 } }), { verdict: 'correct', user: 'B', at: T1 });
  });
});

describe('pickCorrection', () => {
  const r = (ts: string, text: string, user: string | null = 'U1', botId: string | null = null) => ({ ts, text, user, botId, threadTs: '1.0' });
  it('prefers an "actual cause:" reply from a person and drops the prefix', () => {
    const replies = [r('1.0', 'parent', null, 'B1'), r('3.0', 'Actual cause: DNS was down'), r('4.0', 'thanks'), r('5.0', 'actual cause: bot says', null, 'B1')];
    assert.deepEqual(pickCorrection(replies, '2.0'), { text: 'DNS was down', user: 'U1', ts: '3.0' });
  });
  it('falls back to the latest person reply after the analysis, and to nothing without one', () => {
    assert.equal(pickCorrection([r('3.0', 'the node ran out of disk'), r('4.0', 'quota, really')], '2.0')?.text, 'quota, really');
    assert.equal(pickCorrection([r('1.5', 'before the analysis')], '2.0'), null);
  });
});

describe('verifySlackSignature', () => {
  const body = '{"type":"event_callback"}';
  const nowMs = 1_750_000_000_000;
  const ts = String(nowMs / 1000);
  it('accepts a valid signature and rejects a wrong, stale or missing one', () => {
    const sig = slackSignature('s3cret', ts, body);
    assert.deepEqual(verifySlackSignature({ signingSecret: 's3cret', timestamp: ts, signature: sig, rawBody: body, nowMs }), { ok: true });
    assert.equal(verifySlackSignature({ signingSecret: 'other', timestamp: ts, signature: sig, rawBody: body, nowMs }).ok, false);
    assert.deepEqual(verifySlackSignature({ signingSecret: 's3cret', timestamp: ts, signature: sig, rawBody: body, nowMs: nowMs + 301_000 }), { ok: false, reason: 'stale timestamp' });
    assert.equal(verifySlackSignature({ signingSecret: 's3cret', timestamp: ts, signature: undefined, rawBody: body, nowMs }).ok, false);
    assert.equal(verifySlackSignature({ signingSecret: 's3cret', timestamp: ts, signature: sig, rawBody: `${body} `, nowMs }).ok, false);
  });
});

describe('local embeddings of case text', () => {
  const finding = (pod: string) => ({ cause: 'oom-killed', title: `Container ledger in pod payments/${pod} was OOMKilled`, evidence: [{ line: `pod ${pod}: lastState.terminated.reason=OOMKilled exitCode=137`, source: 'pod' }] });
  const text = (pod: string, cause = 'oom-killed') => caseText({ alertname: 'KubePodCrashLooping', category: cause, namespace: 'payments', workload: 'payments/ledger', findings: [finding(pod)] });
  const cos = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * (b[i] ?? 0), 0);

  it('embeds a repeat with different pod names identically, and is unit length and deterministic', () => {
    const a = embedLocally(text('ledger-7d9f8b6c5-x2v9k'));
    const b = embedLocally(text('ledger-5c8d7f9b4-q8z4m'));
    assert.equal(a.length, 384);
    assert.ok(Math.abs(cos(a, a) - 1) < 1e-9);
    assert.ok(cos(a, b) > 0.999);
    assert.deepEqual(embedLocally(text('ledger-7d9f8b6c5-x2v9k')), a);
  });

  it('scores a different cause well below the default threshold', () => {
    const other = caseText({ alertname: 'KubePodNotReady', category: 'image-pull', namespace: 'web', workload: 'web/frontend', findings: [{ cause: 'image-not-found', title: 'Image registry.example.com/web:9.9 not found', evidence: [{ line: 'ErrImagePull: manifest unknown', source: 'events' }] }] });
    assert.ok(cos(embedLocally(text('ledger-7d9f8b6c5-x2v9k')), embedLocally(other)) < 0.5);
  });
});
