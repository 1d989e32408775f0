import autocannon from 'autocannon';
import pg from 'pg';
import { freePort } from '../test/support/alertmanager.js';
import { spawnService } from './support/spawn-service.js';
import { startPostgres } from '../test/support/start-postgres.js';

/**
 * Webhook intake under load, from a second process (autocannon in this one, the
 * service in a child): sustained webhooks/s with 32 connections for 10 s, and
 * p50/p99 acknowledgement latency at a fixed 200 webhooks/s. Every webhook carries
 * 10 new alerts of one Deployment (realistic Alertmanager groups); rows are counted
 * afterwards to prove none was lost.
 */

const TOKEN = 'bench-token';
let seq = 0;
function body(): string {
  const n = seq++;
  const ns = `ns${n % 20}`;
  const alerts = Array.from({ length: 10 }, (_, i) => ({
    status: 'firing',
    labels: { alertname: 'KubePodCrashLooping', namespace: ns, pod: `api${n % 50}-6c9f8d7b5d-${String(i).padStart(5, 'x')}`, container: 'api', severity: 'warning', job: 'kube-state-metrics' },
    annotations: { summary: 'Pod is crash looping.', description: `Pod ${ns}/api is in waiting state (reason: "CrashLoopBackOff").` },
    startsAt: new Date(Date.now() - 60_000).toISOString(),
    endsAt: '0001-01-01T00:00:00Z',
    generatorURL: 'http://prometheus:9090/graph?g0.expr=kube_pod_container_status_waiting_reason',
    fingerprint: `${n.toString(16)}-${i}`,
  }));
  return JSON.stringify({ version: '4', groupKey: `{}:{namespace="${ns}"}`, truncatedAlerts: 0, status: 'firing', receiver: 'k8flex', groupLabels: {}, commonLabels: {}, commonAnnotations: {}, externalURL: 'http://am:9093', alerts });
}

async function load(url: string, opts: { connections: number; duration: number; overallRate?: number }) {
  return autocannon({
    url: `${url}/webhook`,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    connections: opts.connections,
    duration: opts.duration,
    overallRate: opts.overallRate,
    requests: [{ setupRequest: (req) => ({ ...req, body: body() }) }],
  });
}

type Row = { db: string; maxRps: number; p50: number; p99: number; rateRps: number; non2xx: number; sent: number; stored: number; rss: number };

async function measure(db: string, env: Record<string, string>, dbUrl: () => string): Promise<Row> {
  const port = await freePort();
  // No workers: this measures intake alone (investigations are benched elsewhere).
  const service = await spawnService({ WEBHOOK_AUTH_TOKEN: TOKEN, ROLES: 'webhook', DB_POOL_MAX: '20', ...env }, port);
  try {
    const max = await load(service.url, { connections: 32, duration: Number(process.env.BENCH_SECONDS ?? 10) });
    const paced = await load(service.url, { connections: 20, duration: Number(process.env.BENCH_SECONDS ?? 10), overallRate: 200 });
    const okWebhooks = max['2xx'] + paced['2xx'];
    const client = new pg.Client({ connectionString: dbUrl() });
    await client.connect();
    const stored = Number((await client.query('SELECT count(*) AS n FROM alerts')).rows[0].n);
    await client.end();
    return {
      db,
      maxRps: Math.round(max.requests.average),
      p50: paced.latency.p50,
      p99: paced.latency.p99,
      rateRps: Math.round(paced.requests.average),
      non2xx: max.non2xx + paced.non2xx + max.errors + paced.errors,
      sent: okWebhooks * 10,
      stored,
      rss: service.peakRssMiB(),
    };
  } finally {
    await service.stop();
  }
}

export async function run(): Promise<{ title: string; markdown: string }> {
  const rows: Row[] = [];
  const embeddedPort = await freePort();
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dataDir = mkdtempSync(join(tmpdir(), 'k8flex-bench-'));
  rows.push(await measure('embedded PGlite (on disk)', { DATA_DIR: dataDir, EMBEDDED_DB_PORT: String(embeddedPort) }, () => `postgres://postgres@127.0.0.1:${embeddedPort}/postgres`));
  // The embedded database lives in the service process; count rows by restarting it read-only is not
  // possible, so the count above is taken while it still runs (see measure()).
  const pgPort = await freePort();
  const postgres = await startPostgres(pgPort);
  try {
    rows.push(await measure('PostgreSQL 15 (Debian)', { DATABASE_URL: postgres.connectionString }, () => postgres.connectionString));
  } finally {
    await postgres.stop();
  }
  const table = [
    '| database | max webhooks/s (32 conns, 10 s) | p50 ack ms @200/s | p99 ack ms @200/s | achieved rate | non-2xx/errors | alerts acked | alerts stored | peak RSS MiB |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.db} | ${r.maxRps} | ${r.p50} | ${r.p99} | ${r.rateRps}/s | ${r.non2xx} | ${r.sent} | ${r.stored} | ${r.rss} |`),
  ].join('\n');
  return {
    title: 'Webhook intake',
    markdown: `Command: \`npm run bench -- ingest\` (bench/ingest.bench.ts). Service in a child process (\`ROLES=webhook\`, \`DB_POOL_MAX=20\`), load from autocannon in the bench process; each webhook carries 10 new alerts. Targets: p99 ≤ 100 ms at 200 webhooks/s; ≥ 300 webhooks/s embedded, ≥ 1,000 on PostgreSQL; alerts stored = alerts acknowledged.\n\n${table}`,
  };
}
