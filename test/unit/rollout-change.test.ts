import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeRolloutChange, type TemplateLike } from '../../src/rollouts/describe-rollout-change.js';

const base: TemplateLike = {
  metadata: { annotations: {} },
  spec: {
    serviceAccountName: 'web',
    containers: [{ name: 'web', image: 'shop/web:1.0', env: [{ name: 'MODE', value: 'prod' }], resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } } }],
  },
};
function change(mutate: (t: TemplateLike & { spec: NonNullable<TemplateLike['spec']> }) => void): TemplateLike {
  const copy = structuredClone(base) as TemplateLike & { spec: NonNullable<TemplateLike['spec']> };
  mutate(copy);
  return copy;
}
const web = (t: TemplateLike) => t.spec!.containers![0]!;

const rows: { name: string; after: TemplateLike; kinds: string[]; includes: string[]; excludes?: string[] }[] = [
  { name: 'an image bump names the old and new image', after: change((t) => void (web(t).image = 'shop/web:1.1')), kinds: ['image'], includes: ['container web: image shop/web:1.0 → shop/web:1.1'] },
  { name: 'env changes name the variables but never their values', after: change((t) => void (web(t).env = [{ name: 'MODE', value: 's3cr3t' }, { name: 'DEBUG', value: '1' }])), kinds: ['env'], includes: ['added DEBUG', 'changed MODE'], excludes: ['s3cr3t'] },
  { name: 'a lower memory limit shows both quantities', after: change((t) => void (web(t).resources = { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '64Mi' } })), kinds: ['resources'], includes: ['limits memory=256Mi → memory=64Mi'] },
  { name: 'a removed env variable is reported as removed', after: change((t) => void (web(t).env = [])), kinds: ['env'], includes: ['removed MODE'] },
  { name: 'a new sidecar is reported as an added container', after: change((t) => void t.spec.containers!.push({ name: 'proxy', image: 'envoy:1' })), kinds: ['containers'], includes: ['container proxy added (image envoy:1)'] },
  { name: 'a pod-level change names the field', after: change((t) => void (t.spec.serviceAccountName = 'other')), kinds: ['pod'], includes: ['serviceAccountName'] },
  { name: 'a restart-only rollout says so', after: change((t) => void (t.metadata!.annotations = { 'kubectl.kubernetes.io/restartedAt': '2024-01-01T00:00:00Z' })), kinds: [], includes: ['restart only'] },
  { name: 'image and resources together are both reported', after: change((t) => { web(t).image = 'shop/web:2.0'; web(t).resources = { requests: { cpu: '1' } }; }), kinds: ['image', 'resources'], includes: ['image shop/web:1.0 → shop/web:2.0', 'requests cpu=100m,memory=128Mi → cpu=1'] },
];

describe('describeRolloutChange', () => {
  for (const row of rows) {
    it(row.name, () => {
      const result = describeRolloutChange(base, row.after);
      assert.deepEqual([...result.kinds].sort(), [...row.kinds].sort());
      for (const text of row.includes) assert.ok(result.summary.includes(text), `expected "${text}" in "${result.summary}"`);
      for (const text of row.excludes ?? []) assert.ok(!result.summary.includes(text), `did not expect "${text}" in "${result.summary}"`);
    });
  }
  it('an unknown previous template lists the images now running', () => {
    assert.match(describeRolloutChange(null, base).summary, /previous template unknown; now running web=shop\/web:1\.0/);
  });
});
