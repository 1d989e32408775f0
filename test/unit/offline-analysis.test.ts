import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding } from '../../src/domain/analysis.js';
import { emptyEvidence } from '../../src/domain/evidence.js';
import type { IncidentSubject } from '../../src/domain/types.js';
import { ANALYSIS_HEADINGS } from '../../src/explain/render-analysis-markdown.js';
import { writeOfflineAnalysis } from '../../src/explain/write-offline-analysis.js';

const subject: IncidentSubject = {
  incidentId: 'i1', source: 'alert', cluster: 'c', alertname: 'KubePodCrashLooping', severity: 'warning',
  labels: { alertname: 'KubePodCrashLooping', namespace: 'shop', pod: 'api-1' }, annotations: { summary: 'Pod is crash looping.' },
  namespace: 'shop', workload: { kind: 'Deployment', namespace: 'shop', name: 'api' }, description: 'Pod is crash looping.',
  startsAt: '2025-06-12T10:00:00Z', generatorURL: null, externalURL: null,
};

const oom: Finding = {
  analyzer: 'containers', cause: 'oom-killed', title: 'Container api in pod shop/api-1 was OOMKilled (exit code 137) at its 256Mi memory limit.',
  detail: 'The kernel killed it.', evidence: [{ line: 'container api: last terminated reason=OOMKilled exitCode=137', source: 'pod/shop/api-1/status' }],
  confidence: 0.95, actions: ['kubectl -n shop top pod api-1 --containers'], owner: 'application', category: 'oom-killed',
};

function headings(text: string): string[] {
  return [...text.matchAll(/^## (.+)$/gm)].map((m) => m[1] ?? '');
}

test('the offline analysis has exactly the seven sections in order', () => {
  const a = writeOfflineAnalysis({ subject, category: { category: 'oom-killed', confidence: 0.9, reason: '', decidedBy: 'evidence' }, evidence: emptyEvidence('', true), findings: [oom], similar: [] });
  assert.deepEqual(headings(a.text), [...ANALYSIS_HEADINGS]);
  assert.equal(a.mode, 'offline');
});

test('the top finding becomes the root cause, quoted with its source, at high confidence', () => {
  const a = writeOfflineAnalysis({ subject, category: { category: 'oom-killed', confidence: 0.9, reason: '', decidedBy: 'evidence' }, evidence: emptyEvidence('', true), findings: [oom], similar: [] });
  assert.match(a.rootCause, /OOMKilled/);
  assert.match(a.evidence[0] ?? '', /exitCode=137.*pod\/shop\/api-1\/status/);
  assert.equal(a.confidence, 'high');
  assert.equal(a.owner, 'application');
  assert.deepEqual(a.analyzers, ['containers']);
  assert.match(a.text, /`kubectl -n shop top pod api-1 --containers`/);
});

test('with no findings the analysis says the cause is undetermined and lists what was missing', () => {
  const a = writeOfflineAnalysis({ subject, category: { category: 'pod-crash', confidence: 0.85, reason: '', decidedBy: 'rules' }, evidence: emptyEvidence('pods could not be listed (403)', true), findings: [], similar: [] });
  assert.match(a.rootCause, /Undetermined/);
  assert.equal(a.confidence, 'low');
  assert.ok(a.evidence.some((e) => e.includes('403')));
  assert.deepEqual(headings(a.text), [...ANALYSIS_HEADINGS]);
});

test('an unreadable cluster makes the analysis degraded and low confidence', () => {
  const a = writeOfflineAnalysis({ subject, category: { category: 'oom-killed', confidence: 0.9, reason: '', decidedBy: 'rules' }, evidence: emptyEvidence('no kubeconfig', false), findings: [oom], similar: [] });
  assert.equal(a.confidence, 'low');
  assert.equal(a.degraded.length, 1);
});
