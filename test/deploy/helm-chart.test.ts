import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import yaml from 'js-yaml';
import { parseEnv } from '../../src/config/config.js';
import { llmConfigFromEnv } from '../../src/llm/llm-config.js';
import { DEPLOY_DIR } from './support/render.js';
import { SCHEMA_VARIABLES } from './support/schema-variables.js';

/**
 * Helm is not installed on our machines (no Debian package), so the chart's
 * templates are NOT rendered here. These checks cover what can be checked without
 * it: values.yaml holds every setting as a valid value, every `.Values` path a
 * template reads exists, every `include` names a defined template, control blocks
 * are balanced, and the ClusterRole's rules equal the kustomize base's.
 */
const chartDir = join(DEPLOY_DIR, 'helm', 'k8flex');
const values = yaml.load(readFileSync(join(chartDir, 'values.yaml'), 'utf8')) as Record<string, unknown> & {
  config: Record<string, unknown>;
  secrets: { values: Record<string, unknown> };
};
const templatesDir = join(chartDir, 'templates');
const templates = Object.fromEntries(readdirSync(templatesDir).map((f) => [f, readFileSync(join(templatesDir, f), 'utf8')]));

test('the chart values hold every schema variable exactly once, in config or secrets.values, as strings', () => {
  const names = [...Object.keys(values.config), ...Object.keys(values.secrets.values)];
  assert.deepEqual([...names].sort(), [...SCHEMA_VARIABLES].sort());
  for (const [name, value] of Object.entries({ ...values.config, ...values.secrets.values })) assert.equal(typeof value, 'string', `${name} must be a string`);
});

test('the chart default values, with the empty ones left out as the ConfigMap template does, are a valid configuration', () => {
  const env = Object.fromEntries(Object.entries({ ...values.config, ...values.secrets.values }).filter(([, v]) => v !== '')) as Record<string, string>;
  const config = parseEnv({ ...env, PUBLIC_URL: 'http://k8flex.k8flex.svc:8080', LEADER_LEASE_NAMESPACE: 'k8flex' });
  assert.equal(config.DATA_DIR, '/data');
  assert.equal(llmConfigFromEnv(env).provider, 'none');
});

test('every .Values path the templates read exists in values.yaml', () => {
  const missing: string[] = [];
  for (const [file, text] of Object.entries(templates)) {
    for (const [, path] of text.matchAll(/\.Values((?:\.[A-Za-z_][A-Za-z0-9_]*)+)/g)) {
      let node: unknown = values;
      for (const key of (path ?? '').slice(1).split('.')) node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
      if (node === undefined) missing.push(`${file}: .Values${path}`);
    }
  }
  assert.deepEqual(missing, []);
});

test('every included template is defined and every control block is closed', () => {
  const defined = new Set([...Object.values(templates).join('\n').matchAll(/\{\{-? define "([^"]+)"/g)].map((m) => m[1]));
  for (const [file, text] of Object.entries(templates)) {
    for (const [, name] of text.matchAll(/include "([^"]+)"/g)) assert.ok(defined.has(name), `${file} includes undefined ${name}`);
    const opened = [...text.matchAll(/\{\{-?\s*(?:if|range|with|define)\b/g)].length;
    const closed = [...text.matchAll(/\{\{-?\s*end\s*-?\}\}/g)].length;
    assert.equal(opened, closed, `${file}: ${opened} blocks opened, ${closed} closed`);
  }
});

test('the chart ClusterRole grants exactly the rules of deploy/base/clusterrole.yaml', () => {
  const base = yaml.load(readFileSync(join(DEPLOY_DIR, 'base', 'clusterrole.yaml'), 'utf8')) as { rules: unknown };
  const [clusterRole] = (templates['clusterrole.yaml'] ?? '').split('\n---\n');
  const literal = (clusterRole ?? '').split('\n').filter((l) => !l.includes('{{')).join('\n');
  assert.deepEqual((yaml.load(literal) as { rules: unknown }).rules, base.rules);
});

test('the chart lease Role is the only grant with write verbs, on leases alone', () => {
  const role = yaml.load((templates['role-leader-election.yaml'] ?? '').split('\n---\n')[0]?.split('\n').filter((l) => !l.includes('{{')).join('\n') ?? '') as { rules: unknown };
  assert.deepEqual(role.rules, [{ apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update'] }]);
});

test('the chart deployment probes /healthz and /readyz and gives more grace than the shutdown deadline', () => {
  const deployment = templates['deployment.yaml'] ?? '';
  assert.match(deployment, /livenessProbe:\n\s+httpGet:\n\s+path: \/healthz/);
  assert.match(deployment, /readinessProbe:\n\s+httpGet:\n\s+path: \/readyz/);
  const grace = values.terminationGracePeriodSeconds as number;
  assert.ok(grace * 1000 > Number(values.config.SHUTDOWN_TIMEOUT_MS) + (values.preStopSleepSeconds as number) * 1000);
});
