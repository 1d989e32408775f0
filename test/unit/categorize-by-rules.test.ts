import assert from 'node:assert/strict';
import { test } from 'node:test';
import { categorizeByRules } from '../../src/categorize/categorize-by-rules.js';
import type { Category, IncidentSubject } from '../../src/domain/types.js';

function subject(alertname: string, labels: Record<string, string> = {}, summary?: string): IncidentSubject {
  return {
    incidentId: 'i1', source: 'alert', cluster: 'c', alertname, severity: 'warning', labels: { alertname, ...labels },
    annotations: summary ? { summary } : {}, namespace: labels.namespace ?? null, workload: null, description: summary ?? null,
    startsAt: '2025-06-12T10:00:00Z', generatorURL: null, externalURL: null,
  };
}

const CASES: Array<[name: string, s: IncidentSubject, category: Category, sure: boolean]> = [
  ['KubePodCrashLooping is pod-crash', subject('KubePodCrashLooping'), 'pod-crash', true],
  ['KubeContainerWaiting with reason ImagePullBackOff is image-pull', subject('KubeContainerWaiting', { reason: 'ImagePullBackOff' }), 'image-pull', true],
  ['KubeContainerWaiting with reason CreateContainerConfigError is config-error', subject('KubeContainerWaiting', { reason: 'CreateContainerConfigError' }), 'config-error', true],
  ['KubePodNotReady is pod-crash but unsure', subject('KubePodNotReady'), 'pod-crash', false],
  ['KubeDeploymentRolloutStuck is rollout-failed', subject('KubeDeploymentRolloutStuck'), 'rollout-failed', true],
  ['KubeJobFailed is job-failed', subject('KubeJobFailed'), 'job-failed', true],
  ['KubeNodeUnreachable is node-not-ready', subject('KubeNodeUnreachable'), 'node-not-ready', true],
  ['KubeNodePressure with DiskPressure is disk-pressure', subject('KubeNodePressure', { condition: 'DiskPressure' }), 'disk-pressure', true],
  ['NodeFilesystemAlmostOutOfSpace is disk-pressure', subject('NodeFilesystemAlmostOutOfSpace'), 'disk-pressure', true],
  ['KubePersistentVolumeErrors is storage', subject('KubePersistentVolumeErrors'), 'storage', true],
  ['CPUThrottlingHigh is cpu-throttling', subject('CPUThrottlingHigh'), 'cpu-throttling', true],
  ['KubeQuotaExceeded is pod-pending, unsure until evidence confirms it', subject('KubeQuotaExceeded'), 'pod-pending', false],
  ['TargetDown is service-down', subject('TargetDown'), 'service-down', true],
  ['an alert named ContainerOOMKilled is oom-killed', subject('ContainerOOMKilled'), 'oom-killed', true],
  ['a free-form alert about DNS lookups is dns-issues', subject('PaymentsErrors', {}, 'lookups of db.internal fail: no such host'), 'dns-issues', true],
  ['a free-form alert about a pending pod is pod-pending', subject('Custom', {}, 'Pod shop/api has been Pending for 20 minutes'), 'pod-pending', true],
  ['a free-form alert about a NetworkPolicy is network-policy', subject('Custom', {}, 'traffic blocked by NetworkPolicy'), 'network-policy', true],
  ['an alert nothing recognises is unknown and unsure', subject('Watchdog'), 'unknown', false],
];

for (const [name, s, category, sure] of CASES) {
  test(name, () => {
    const d = categorizeByRules(s);
    assert.equal(d.category, category);
    assert.equal(d.decidedBy, 'rules');
    assert.equal(d.confidence >= 0.6, sure, `confidence ${d.confidence}`);
  });
}
