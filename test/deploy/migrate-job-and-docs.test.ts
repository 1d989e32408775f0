import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import yaml from 'js-yaml';
import { DEPLOY_DIR, type K8sObject } from './support/render.js';
import { validateK8sObject } from './support/validate-k8s-object.js';

const root = join(DEPLOY_DIR, '..');

type Job = K8sObject & {
  spec: { template: { spec: { restartPolicy: string; serviceAccountName: string; containers: { args: string[]; env: { name: string; valueFrom: { secretKeyRef: { name: string; key: string } } }[]; securityContext: Record<string, unknown> }[] } } };
};

test('the pre-upgrade migrate Job is schema-valid, runs `migrate` once and reads DATABASE_URL from the Secret', () => {
  const job = yaml.load(readFileSync(join(DEPLOY_DIR, 'jobs', 'migrate.yaml'), 'utf8')) as Job;
  assert.deepEqual(validateK8sObject(job), []);
  const spec = job.spec.template.spec;
  const container = spec.containers[0];
  assert.equal(spec.restartPolicy, 'Never');
  assert.deepEqual(container?.args, ['migrate']);
  assert.deepEqual(container.env.find((e) => e.name === 'DATABASE_URL')?.valueFrom.secretKeyRef, { name: 'k8flex-secrets', key: 'DATABASE_URL' });
  assert.equal(container.securityContext.readOnlyRootFilesystem, true);
  assert.equal(container.securityContext.allowPrivilegeEscalation, false);
});

test('every repository path docs/deploy.md names exists', () => {
  const doc = readFileSync(join(root, 'docs', 'deploy.md'), 'utf8');
  const paths = [...doc.matchAll(/(?:^|[\s`(])((?:deploy|sql|docs)\/[\w./-]*[\w])/g)].map((m) => m[1] ?? '').filter((p) => !p.includes('NNN'));
  assert.ok(paths.length > 10);
  for (const path of new Set(paths)) assert.ok(existsSync(join(root, path)) || existsSync(join(root, 'docs', path)), `${path} does not exist`);
});

test('docs/deploy.md names the Slack scopes the Slack client needs', () => {
  const doc = readFileSync(join(root, 'docs', 'deploy.md'), 'utf8');
  for (const scope of ['chat:write', 'reactions:read', 'channels:history', 'groups:history']) assert.ok(doc.includes(`\`${scope}\``), scope);
});
