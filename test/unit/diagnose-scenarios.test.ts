import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { categorizeByRules } from '../../src/categorize/categorize-by-rules.js';
import { diagnose } from '../../src/diagnose/diagnose.js';
import { CAUSES } from '../../src/diagnose/causes.js';
import { subjectFromAlert } from '../../src/eval/subject-from-alert.js';
import type { AlertmanagerAlert } from '../../src/domain/types.js';
import { collectFromFixture } from '../support/snapshot-from-fixture.js';

const ROOT = join(import.meta.dirname, '..', 'fixtures', 'scenarios');

for (const name of readdirSync(ROOT).sort()) {
  const dir = join(ROOT, name);
  const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as { cause: string };
  test(`diagnose names ${expected.cause} as the root cause of scenario ${name}`, async () => {
    const payload = JSON.parse(readFileSync(join(dir, 'alert.json'), 'utf8')) as { alerts: AlertmanagerAlert[] };
    const subject = subjectFromAlert(payload.alerts[0] as AlertmanagerAlert, payload, name, 'test');
    const category = categorizeByRules(subject).category;
    const findings = diagnose(subject, category, await collectFromFixture(dir)(subject, category));
    assert.equal(findings[0]?.cause ?? 'none', expected.cause);
    for (const f of findings) {
      assert.ok(f.cause in CAUSES, `${f.cause} is in the cause vocabulary`);
      assert.ok(f.evidence.length > 0, `${f.cause} carries evidence`);
      assert.ok(f.evidence.every((e) => e.source.length > 0), `${f.cause} evidence names its source`);
    }
  });
}

test('diagnose returns no findings, not a guess, when the snapshot is empty', async () => {
  const { emptyEvidence } = await import('../../src/domain/evidence.js');
  const subject = subjectFromAlert(
    { status: 'firing', labels: { alertname: 'KubePodCrashLooping', namespace: 'x', pod: 'y' }, annotations: {}, startsAt: '', endsAt: '', generatorURL: '', fingerprint: 'f' },
    {}, 'i', 'c',
  );
  assert.deepEqual(diagnose(subject, 'pod-crash', emptyEvidence('no cluster')), []);
});
