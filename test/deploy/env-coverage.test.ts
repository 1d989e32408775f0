import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import yaml from 'js-yaml';
import { parseEnv } from '../../src/config/config.js';
import { llmConfigFromEnv } from '../../src/llm/llm-config.js';
import { DEPLOY_DIR, findOne, renderKustomize, type K8sObject } from './support/render.js';
import { readEnvFile, SCHEMA_VARIABLES } from './support/schema-variables.js';
import { validateK8sObject } from './support/validate-k8s-object.js';

/**
 * Decision: non-secret variables live in deploy/base/config.properties (the generated
 * ConfigMap); optional ones without a default are present there as commented
 * `# NAME=example` lines. Secret variables live in deploy/base/secret.example.yaml.
 * Every schema variable is in exactly one of the two.
 */
const configEnv = readEnvFile(readFileSync(join(DEPLOY_DIR, 'base', 'config.properties'), 'utf8'));
const secretExample = yaml.load(readFileSync(join(DEPLOY_DIR, 'base', 'secret.example.yaml'), 'utf8')) as K8sObject & { stringData: Record<string, string> };
const secretNames = Object.keys(secretExample.stringData);
const SECRETS = ['WEBHOOK_AUTH_TOKEN', 'API_AUTH_TOKEN', 'SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_WEBHOOK_URL', 'DATABASE_URL', 'OPENAI_API_KEY', 'AZURE_OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'GEMINI_API_KEY', 'EMBEDDINGS_API_KEY'];

test('every variable the ConfigMap, the Secret example or the Deployments set is a schema variable', () => {
  const known = new Set(SCHEMA_VARIABLES);
  const deploymentEnv = ['base', 'overlays/embedded', 'overlays/postgres'].flatMap((path) => {
    const d = findOne(renderKustomize(path), 'Deployment', 'k8flex') as K8sObject & { spec: { template: { spec: { containers: { env?: { name: string }[] }[] } } } };
    return d.spec.template.spec.containers.flatMap((c) => (c.env ?? []).map((e) => e.name));
  });
  for (const name of [...configEnv.set.keys(), ...configEnv.commented, ...secretNames, ...deploymentEnv]) assert.ok(known.has(name), `${name} is not read by k8flex`);
});

test('every schema variable appears exactly once, in the ConfigMap or in the Secret example', () => {
  const places = [...configEnv.set.keys(), ...configEnv.commented, ...secretNames];
  assert.deepEqual([...places].sort(), [...SCHEMA_VARIABLES].sort());
});

test('the Secret example holds every secret variable and nothing else, and the ConfigMap none of them', () => {
  assert.deepEqual([...secretNames].sort(), [...SECRETS].sort());
  for (const name of SECRETS) assert.ok(!configEnv.set.has(name) && !configEnv.commented.has(name), name);
  assert.deepEqual(validateK8sObject(secretExample), []);
});

test('the rendered ConfigMap with the empty Secret example is a valid configuration for in-cluster use', () => {
  const configMap = findOne(renderKustomize('overlays/embedded'), 'ConfigMap') as K8sObject & { data: Record<string, string> };
  const env = { ...configMap.data, ...secretExample.stringData };
  const config = parseEnv(env);
  assert.equal(config.DATA_DIR, '/data');
  assert.equal(config.K8S_IN_CLUSTER, 'true');
  assert.equal(config.FEEDBACK_POLL_CRON, '*/30 * * * * *');
  assert.equal(config.DATABASE_URL, null);
  assert.equal(llmConfigFromEnv(env).provider, 'none');
});
