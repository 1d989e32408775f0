/**
 * `npm run demo` — k8flex against a simulated cluster, nothing to configure:
 *
 *  1. serves a few broken workloads from test/fixtures/scenarios/ through the
 *     wire-level fake Kubernetes API, and writes a kubeconfig for it to a temp file;
 *  2. starts the whole service (embedded PostgreSQL in a temp dir, offline analysis
 *     unless an LLM is configured in the environment) with KUBECONFIG pointing there;
 *  3. fires each scenario's Alertmanager payload through the real webhook (HTTP POST);
 *  4. prints the dashboard URL and runs until Ctrl-C.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startService } from '../src/main.js';
import { startFakeKubeApi } from '../test/support/fake-kube-api.js';
import { loadFixtureDir } from '../test/support/fake-kube/load-fixture-dir.js';

const SCENARIOS_DIR = join(import.meta.dirname, '..', 'test', 'fixtures', 'scenarios');
/** Broken workloads whose alerts fire, in this order, a few seconds apart. */
const FIRING = ['crashloop-oomkilled', 'image-tag-not-found', 'config-missing-configmap', 'crashloop-database-connection-refused'];
/** Healthy workloads that only populate the cluster view. */
const QUIET = ['no-cause-healthy-workload'];
const BETWEEN_ALERTS_MS = 4000;

const objects: unknown[] = [];
const logs: Record<string, string> = {};
for (const name of [...QUIET, ...FIRING]) {
  const fixture = loadFixtureDir(join(SCENARIOS_DIR, name));
  objects.push(...fixture.objects);
  Object.assign(logs, fixture.logs);
}
const kube = await startFakeKubeApi({ objects, logs });

const dir = mkdtempSync(join(tmpdir(), 'k8flex-demo-'));
const kubeconfig = join(dir, 'kubeconfig.yaml');
writeFileSync(
  kubeconfig,
  [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: demo',
    '  cluster:',
    `    server: ${kube.url}`,
    '    insecure-skip-tls-verify: true',
    'users:',
    '- name: demo',
    '  user:',
    '    token: demo-token',
    'contexts:',
    '- name: demo',
    '  context: {cluster: demo, user: demo}',
    'current-context: demo',
    '',
  ].join('\n'),
);

const env = {
  ...process.env,
  KUBECONFIG: kubeconfig,
  K8S_IN_CLUSTER: 'false',
  CLUSTER_NAME: process.env.CLUSTER_NAME ?? 'demo',
  DATA_DIR: join(dir, 'data'),
  EMBEDDED_DB_PORT: process.env.EMBEDDED_DB_PORT ?? '0',
  HOST: process.env.HOST ?? '127.0.0.1',
  PORT: process.env.PORT ?? '8080',
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
};
process.env.KUBECONFIG = kubeconfig;
process.env.K8S_IN_CLUSTER = 'false';

const service = await startService(env);
const headers: Record<string, string> = { 'content-type': 'application/json' };
if (service.config.WEBHOOK_AUTH_TOKEN) headers.authorization = `Bearer ${service.config.WEBHOOK_AUTH_TOKEN}`;

console.log(`
  k8flex demo is running.

  Dashboard:   ${service.url}/${service.config.API_AUTH_TOKEN ? '   (log in with API_AUTH_TOKEN)' : ''}
  API:         ${service.url}/api/v1/incidents   (OpenAPI: ${service.url}/api/v1/openapi.json)
  Cluster:     simulated Kubernetes API at ${kube.url} (kubeconfig ${kubeconfig})
  Database:    psql ${service.embedded?.connectionString ?? '(DATABASE_URL)'}

  Firing ${FIRING.length} alerts through POST /webhook, ${BETWEEN_ALERTS_MS / 1000} s apart. Press Ctrl-C to stop.
`);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log('\n  stopping…');
  await service.stop();
  await kube.close();
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());

for (const name of FIRING) {
  if (stopping) break;
  const payload = readFileSync(join(SCENARIOS_DIR, name, 'alert.json'), 'utf8');
  const res = await fetch(`${service.url}/webhook`, { method: 'POST', headers, body: payload }).catch((err: unknown) => err as Error);
  if (res instanceof Error) console.log(`  ${name}: webhook failed: ${res.message}`);
  else {
    const body = (await res.json()) as { new_incidents?: string[]; error?: string };
    const incident = body.new_incidents?.[0];
    console.log(`  ${name}: ${res.status}${incident ? ` → ${service.url}/#/incidents/${incident}` : body.error ? ` ${body.error}` : ''}`);
  }
  await sleep(BETWEEN_ALERTS_MS);
}
if (!stopping) console.log(`\n  All alerts sent. Try "Investigate" in the dashboard, e.g. "pods of deployment checkout in namespace shop cannot pull their image".`);
