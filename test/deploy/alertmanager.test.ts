import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import yaml from 'js-yaml';
import { DEPLOY_DIR, findOne, renderKustomize, type K8sObject } from './support/render.js';

type Route = { receiver: string; continue?: boolean; group_by?: string[]; group_wait?: string; matchers?: string[]; routes?: Route[] };
type Webhook = { url: string; send_resolved: boolean; http_config: { authorization: { type: string; credentials_file: string } } };
type AmConfig = { route: Route; receivers: { name: string; webhook_configs?: Webhook[] }[] };

const path = join(DEPLOY_DIR, 'alertmanager', 'alertmanager.yml');
const text = readFileSync(path, 'utf8');
const config = yaml.load(text) as AmConfig;
const operator = yaml.load(readFileSync(join(DEPLOY_DIR, 'alertmanager', 'alertmanagerconfig.yaml'), 'utf8')) as K8sObject & {
  spec: {
    route: { receiver: string; continue: boolean; groupBy: string[]; groupWait: string; groupInterval: string; repeatInterval: string; matchers: { name: string; matchType: string; value: string }[] };
    receivers: { name: string; webhookConfigs: { url: string; sendResolved: boolean; maxAlerts: number; httpConfig: { authorization: { type: string; credentials: { name: string; key: string } } } }[] }[];
  };
};
const work = mkdtempSync(join(tmpdir(), 'k8flex-am-'));
after(() => rmSync(work, { recursive: true, force: true }));

function amtool(file: string): { ok: boolean; output: string } {
  try {
    return { ok: true, output: execFileSync('amtool', ['check-config', file], { encoding: 'utf8', stdio: 'pipe' }) };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

const k8flexRoute = () => config.route.routes?.find((r) => r.receiver === 'k8flex');
const k8flexWebhook = () => config.receivers.find((r) => r.name === 'k8flex')?.webhook_configs?.[0] as Webhook;

test('amtool check-config accepts the Alertmanager snippet', () => {
  const result = amtool(path);
  assert.ok(result.ok, result.output);
  assert.match(result.output, /SUCCESS/);
});

test('amtool check-config rejects the snippet when the k8flex receiver is missing, so the check has teeth', () => {
  const broken = { ...config, receivers: config.receivers.filter((r) => r.name !== 'k8flex') };
  const file = join(work, 'broken.yml');
  writeFileSync(file, yaml.dump(broken));
  const result = amtool(file);
  assert.equal(result.ok, false);
  assert.match(result.output, /k8flex/);
});

test('the k8flex route continues to the existing routes and groups alerts after a short wait', () => {
  const route = k8flexRoute();
  assert.equal(route?.continue, true);
  assert.equal(config.route.routes?.[0], route, 'k8flex comes first so that no earlier route stops alerts before it');
  assert.ok(route.group_by?.includes('alertname') && route.group_by.includes('namespace'));
  assert.ok(route.group_wait);
});

test('the receiver posts resolved alerts to the k8flex Service with a bearer token read from a file', () => {
  const webhook = k8flexWebhook();
  assert.equal(webhook.send_resolved, true);
  assert.deepEqual(Object.keys(webhook.http_config.authorization).sort(), ['credentials_file', 'type']);
  assert.equal(webhook.http_config.authorization.type, 'Bearer');
  const service = findOne(renderKustomize('base'), 'Service', 'k8flex') as K8sObject & { spec: { ports: { port: number }[] } };
  const url = new URL(webhook.url);
  assert.equal(url.hostname, `${service.metadata.name}.${service.metadata.namespace}.svc.cluster.local`);
  assert.equal(Number(url.port), service.spec.ports[0]?.port);
  assert.equal(url.pathname, '/webhook');
});

test('the AlertmanagerConfig resource routes and delivers exactly as the snippet does', () => {
  assert.equal(operator.apiVersion, 'monitoring.coreos.com/v1alpha1');
  const route = k8flexRoute() as Route & { group_interval: string; repeat_interval: string };
  const { spec } = operator;
  assert.equal(spec.route.receiver, 'k8flex');
  assert.equal(spec.route.continue, true);
  assert.deepEqual(spec.route.groupBy, route.group_by);
  assert.deepEqual([spec.route.groupWait, spec.route.groupInterval, spec.route.repeatInterval], [route.group_wait, route.group_interval, route.repeat_interval]);
  assert.deepEqual(spec.route.matchers.map((m) => `${m.name}${m.matchType}"${m.value}"`), route.matchers);
  const receiver = spec.receivers.find((r) => r.name === spec.route.receiver)?.webhookConfigs[0];
  assert.equal(receiver?.url, k8flexWebhook().url);
  assert.equal(receiver.sendResolved, true);
  assert.equal(receiver.httpConfig.authorization.type, 'Bearer');
  assert.ok(receiver.httpConfig.authorization.credentials.name && receiver.httpConfig.authorization.credentials.key);
});
