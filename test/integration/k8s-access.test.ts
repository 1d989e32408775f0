import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as k8s from '@kubernetes/client-node';
import { loadKubeConfig } from '../../src/k8s/load-kube-config.js';
import { makeNamespaceAnnotations } from '../../src/k8s/namespace-annotations.js';
import { startFakeKubeApi, type FakeKubeApi } from '../support/fake-kube-api.js';

describe('Kubernetes access', () => {
  let api: FakeKubeApi;
  let dir: string;
  before(async () => {
    api = await startFakeKubeApi({
      objects: [
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', annotations: { 'k8flex/slack-channel': '#shop-oncall' } } },
        { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-1', namespace: 'shop', labels: { app: 'web' } }, spec: { containers: [{ name: 'web' }] } },
        { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'db-1', namespace: 'shop', labels: { app: 'db' } }, spec: { containers: [{ name: 'db' }] } },
      ],
      logs: { 'shop/web-1/web': 'one\ntwo\nthree\n' },
    });
    dir = mkdtempSync(join(tmpdir(), 'k8flex-kube-'));
  });
  after(async () => {
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lets the real client list with a label selector and read a log tail from the fake server', async () => {
    const core = api.kubeConfig().makeApiClient(k8s.CoreV1Api);
    const pods = await core.listNamespacedPod({ namespace: 'shop', labelSelector: 'app in (web)' });
    assert.deepEqual(pods.items.map((p) => p.metadata?.name), ['web-1']);
    assert.equal(await core.readNamespacedPodLog({ name: 'web-1', namespace: 'shop', tailLines: 2 }), 'two\nthree\n');
    await assert.rejects(core.readNamespacedPod({ name: 'nope', namespace: 'shop' }), (e: { code?: number }) => e.code === 404);
  });

  it('loads the cluster name from a kubeconfig file and reaches the API with it', async () => {
    const file = join(dir, 'config');
    writeFileSync(
      file,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters: [{name: staging-eu, cluster: {server: "' + api.url + '", insecure-skip-tls-verify: true}}]',
        'users: [{name: bot, user: {token: t}}]',
        'contexts: [{name: ctx, context: {cluster: staging-eu, user: bot}}]',
        'current-context: ctx',
      ].join('\n'),
    );
    const loaded = loadKubeConfig({ kubeconfigPath: file, inCluster: 'false', home: dir });
    assert.equal(loaded.cluster, 'staging-eu');
    assert.equal(loaded.reason, null);
    const ns = await loaded.kubeConfig?.makeApiClient(k8s.CoreV1Api).readNamespace({ name: 'shop' });
    assert.equal(ns?.metadata?.name, 'shop');
  });

  it('returns no config and a reason, without throwing, when there is no kubeconfig', () => {
    const loaded = loadKubeConfig({ kubeconfigPath: join(dir, 'missing'), inCluster: 'false', home: dir });
    assert.equal(loaded.kubeConfig, null);
    assert.match(loaded.reason ?? '', /no kubeconfig found/);
  });

  it('returns no config and a reason when a kubeconfig file is malformed', () => {
    const file = join(dir, 'broken');
    writeFileSync(file, 'clusters: [unterminated');
    const loaded = loadKubeConfig({ kubeconfigPath: file, inCluster: 'false', home: dir });
    assert.equal(loaded.kubeConfig, null);
    assert.match(loaded.reason ?? '', /could not be loaded/);
  });

  it('reads namespace annotations once per TTL and answers {} for an unreadable namespace', async () => {
    let now = 0;
    const annotations = makeNamespaceAnnotations(api.kubeConfig(), 60_000, { now: () => now });
    const before = api.requests.length;
    assert.deepEqual(await annotations('shop'), { 'k8flex/slack-channel': '#shop-oncall' });
    assert.deepEqual(await annotations('shop'), { 'k8flex/slack-channel': '#shop-oncall' });
    assert.equal(api.requests.length - before, 1);
    now = 60_001;
    await annotations('shop');
    assert.equal(api.requests.length - before, 2);
    assert.deepEqual(await annotations('missing'), {});
  });
});
