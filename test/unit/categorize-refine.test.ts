import assert from 'node:assert/strict';
import { test } from 'node:test';
import { refineCategory } from '../../src/categorize/refine-category.js';
import type { Finding } from '../../src/domain/analysis.js';
import { emptyEvidence } from '../../src/domain/evidence.js';
import type { Category, CategoryDecision } from '../../src/domain/types.js';

const decision = (category: Category): CategoryDecision => ({ category, confidence: 0.5, reason: 'alertname', decidedBy: 'rules' });
const finding = (cause: string, category: Category | undefined, confidence: number): Finding => ({
  analyzer: 'x', cause, title: cause, detail: '', evidence: [], confidence, actions: [], owner: 'application', category,
});

test('a NotReady alert over a pod in ImagePullBackOff becomes image-pull, decided by evidence', () => {
  const d = refineCategory(decision('pod-crash'), emptyEvidence('x', true), [finding('image-not-found', 'image-pull', 0.93)]);
  assert.equal(d.category, 'image-pull');
  assert.equal(d.decidedBy, 'evidence');
});

test('a category that a confident finding supports is kept', () => {
  const d = refineCategory(decision('job-failed'), emptyEvidence('x', true), [finding('oom-killed', 'oom-killed', 0.95), finding('job-backoff-limit-exceeded', 'job-failed', 0.9)]);
  assert.equal(d.category, 'job-failed');
  assert.equal(d.decidedBy, 'rules');
});

test('weak findings do not move the category', () => {
  const d = refineCategory(decision('pod-crash'), emptyEvidence('x', true), [finding('unbound-pvc', 'pod-pending', 0.65)]);
  assert.equal(d.category, 'pod-crash');
});

test('no findings leave the decision unchanged', () => {
  const before = decision('unknown');
  assert.deepEqual(refineCategory(before, emptyEvidence('x', true), []), before);
});
