import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from '../test/support/alertmanager.js';
import { startPostgres } from '../test/support/start-postgres.js';
import { driveLoad, type LoadResult } from './support/drive-load.js';
import { scrapeMetrics } from './support/scrape-metrics.js';
import { spawnService } from './support/spawn-service.js';

/**
 * Webhook intake under load. The service runs `k8flex serve` with only the webhook
 * role in a child process; load comes from this process. Each webhook is one
 * Alertmanager group of 10 new firing alerts of one Deployment (100 Deployments in
 * 20 namespaces, so later webhooks join open incidents, as repeats do). Per database:
 * a closed-loop phase finds the sustained maximum, an open-loop phase at a fixed rate
 * measures acknowledgement latency, and every acknowledged alert is looked up in the
 * database afterwards.
 */

const TOKEN = 'bench-token';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = 2;
const MAX_CONNECTIONS = 32;
const PACED_RATE = 200;
const PACED_SENDERS = 64;
const ALERTS_PER_WEBHOOK = 10;
/** prom-client samples event-loop delay every 10 ms; an idle loop reports 10 ms. */
const LAG_RESOLUTION_MS = 10;

const fingerprint = (webhook: number, i: number) => `${webhook.toString(16)}-${i}`;

function webhookBody(n: number): string {
  const ns = `ns${n % 20}`;
  const startsAt = new Date(Date.now() - 60_000).toISOString();
  const alerts = Array.from({ length: ALERTS_PER_WEBHOOK }, (_, i) => ({
    status: 'firing',
    labels: { alertname: 'KubePodCrashLooping', namespace: ns, pod: `api${n % 100}-6c9f8d7b5d-${String(i).padStart(5, 'x')}`, container: 'api', severity: 'warning', job: 'kube-state-metrics' },
    annotations: { summary: 'Pod is crash looping.', description: `Pod ${ns}/api is in waiting state (reason: "CrashLoopBackOff").` },
    startsAt,
    endsAt: '0001-01-01T00:00:00Z',
    generatorURL: 'http://prometheus:9090/graph?g0.expr=kube_pod_container_status_waiting_reason',
    fingerprint: fingerprint(n, i),
  }));
  return JSON.stringify({ version: '4', groupKey: `{}:{namespace="${ns}"}`, truncatedAlerts: 0, status: 'firing', receiver: 'k8flex', groupLabels: { namespace: ns }, commonLabels: {}, commonAnnotations: {}, externalURL: 'http://am:9093', alerts });
}

type Phase = LoadResult & { rate: number; lagP99Ms: number; lagMaxMs: number };
type Row = { db: string; max: Phase; paced: Phase; acked: number; ackedStored: number; stored: number; failed: number; rssMiB: number };

async function measure(db: string, env: Record<string, string>, connectionString: () => string): Promise<Row> {
  const port = await freePort();
  // Webhook role alone: intake without investigations competing for the CPU.
  const service = await spawnService({ WEBHOOK_AUTH_TOKEN: TOKEN, ROLES: 'webhook', DB_POOL_MAX: '20', FEEDBACK_POLLING: 'false', K8S_IN_CLUSTER: 'false', ...env }, port);
  let next = 0;
  const send = async (id: number) => {
    const res = await fetch(`${service.url}/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: webhookBody(id),
    });
    await res.arrayBuffer();
    return res.ok;
  };
  const phase = async (connections: number, seconds: number, ratePerSecond?: number): Promise<Phase> => {
    await scrapeMetrics(service.url);
    const result = await driveLoad({ send, nextId: () => next++, seconds, connections, ratePerSecond });
    const metric = await scrapeMetrics(service.url);
    const lagMs = (name: string) => Math.max(0, Math.round(metric(`k8flex_process_nodejs_eventloop_lag_${name}_seconds`) * 1000 - LAG_RESOLUTION_MS));
    return { ...result, rate: Math.round(result.acked.length / result.seconds), lagP99Ms: lagMs('p99'), lagMaxMs: lagMs('max') };
  };
  try {
    const warmup = await phase(4, WARMUP_SECONDS);
    const max = await phase(MAX_CONNECTIONS, SECONDS);
    const paced = await phase(PACED_SENDERS, SECONDS, PACED_RATE);
    const rssMiB = service.peakRssMiB();

    const client = new pg.Client({ connectionString: connectionString() });
    await client.connect();
    const rows = (await client.query<{ fingerprint: string }>('SELECT fingerprint FROM alerts')).rows;
    await client.end();
    const stored = new Set(rows.map((r) => r.fingerprint));
    const ackedAlerts = [warmup, max, paced].flatMap((p) => p.acked).flatMap((n) => Array.from({ length: ALERTS_PER_WEBHOOK }, (_, i) => fingerprint(n, i)));
    return {
      db,
      max,
      paced,
      acked: ackedAlerts.length,
      ackedStored: ackedAlerts.filter((f) => stored.has(f)).length,
      stored: rows.length,
      failed: warmup.failed + max.failed + paced.failed,
      rssMiB,
    };
  } finally {
    await service.stop();
  }
}

/** The same bench before sql/007, when intake sent 7–9 statements per webhook inside BEGIN … COMMIT. */
const BEFORE =
  'Before intake stored a delivery with one `ingest_alerts` call (sql/007_ingest_alerts.sql), it sent 7–9 statements per webhook ' +
  'inside `BEGIN … COMMIT`, each parsed and planned again, and wrote every new alert twice (insert, then link to its incident). ' +
  'This bench then measured, on the same shared 2 cores: embedded PGlite 68 webhooks/s sustained, p99 11,378 ms at 200/s ' +
  '(only 93/s achieved), peak RSS 986 MiB; PostgreSQL 155 webhooks/s, p99 234.8 ms at 200/s.';

const TARGET_P99_MS = 100;
const TARGET_RATE = { embedded: 300, postgres: 1000 } as const;

function verdicts(rows: Row[]): string {
  const met = (ok: boolean) => (ok ? 'met' : '**not met**');
  return rows
    .flatMap((r) => {
      const target = r.db.startsWith('embedded') ? TARGET_RATE.embedded : TARGET_RATE.postgres;
      const paced = r.paced.rate >= PACED_RATE * 0.98 && r.paced.latencyMs.p99 <= TARGET_P99_MS;
      return [
        `- ${r.db}, ≥ ${target.toLocaleString('en-US')} webhooks/s: ${met(r.max.rate >= target)} (${r.max.rate}/s).`,
        `- ${r.db}, p99 ≤ ${TARGET_P99_MS} ms at ${PACED_RATE}/s: ${met(paced)} (p99 ${r.paced.latencyMs.p99} ms, ${r.paced.rate}/s achieved).`,
      ];
    })
    .join('\n');
}

export async function run(): Promise<{ title: string; markdown: string }> {
  const rows: Row[] = [];
  const loadBefore = loadavg()[0] ?? 0;
  const dataDir = mkdtempSync(join(tmpdir(), 'k8flex-bench-'));
  try {
    const embeddedPort = await freePort();
    rows.push(
      await measure('embedded PGlite (on disk)', { DATA_DIR: dataDir, EMBEDDED_DB_PORT: String(embeddedPort) }, () => `postgres://postgres@127.0.0.1:${embeddedPort}/postgres`),
    );
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  const postgres = await startPostgres(await freePort());
  try {
    rows.push(await measure('PostgreSQL 15 (Debian, fsync on)', { DATABASE_URL: postgres.connectionString }, () => postgres.connectionString));
  } finally {
    await postgres.stop();
  }

  const throughput = [
    `| database | sustained webhooks/s (${MAX_CONNECTIONS} conns) | alerts/s | p50 ms | p99 ms | event-loop delay p99 / max ms |`,
    '|---|---:|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.db} | ${r.max.rate} | ${r.max.rate * ALERTS_PER_WEBHOOK} | ${r.max.latencyMs.p50} | ${r.max.latencyMs.p99} | ${r.max.lagP99Ms} / ${r.max.lagMaxMs} |`),
  ].join('\n');
  const latency = [
    `| database | offered | achieved | p50 ack ms | p99 ack ms | max ack ms | event-loop delay p99 / max ms |`,
    '|---|---:|---:|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.db} | ${PACED_RATE}/s | ${r.paced.rate}/s | ${r.paced.latencyMs.p50} | ${r.paced.latencyMs.p99} | ${r.paced.latencyMs.max} | ${r.paced.lagP99Ms} / ${r.paced.lagMaxMs} |`),
  ].join('\n');
  const proof = [
    '| database | webhooks not acknowledged | alerts acknowledged | of those stored | alerts stored | peak RSS MiB |',
    '|---|---:|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.db} | ${r.failed} | ${r.acked} | ${r.ackedStored} | ${r.stored} | ${r.rssMiB} |`),
  ].join('\n');
  const lost = rows.reduce((n, r) => n + r.acked - r.ackedStored, 0);
  const loadAfter = loadavg()[0] ?? 0;

  return {
    title: 'Webhook intake',
    markdown: `Command: \`npx tsx bench/run.ts ingest\` (bench/ingest.bench.ts), \`BENCH_SECONDS\` unset (${SECONDS} s per phase).

\`k8flex serve\` runs in a child process with \`ROLES=webhook\` (no workers), \`DB_POOL_MAX=20\`, bearer token on; the load comes from the bench process over keep-alive HTTP (Node \`fetch\`). Each webhook is one Alertmanager group of ${ALERTS_PER_WEBHOOK} new firing alerts of one Deployment (100 Deployments in 20 namespaces: the first webhook of each opens an incident and a job, later ones join it). Per database, in order: ${WARMUP_SECONDS} s warm-up (4 connections, not reported), ${SECONDS} s closed loop with ${MAX_CONNECTIONS} connections (each sends again as soon as it is answered), ${SECONDS} s open loop at ${PACED_RATE} webhooks/s (up to ${PACED_SENDERS} in flight; latency counts from each request's due time, so queueing behind a slow service counts). Requests in flight at the end of a phase are awaited, so every webhook has a known answer. Event-loop delay is the service's own prom-client \`k8flex_process_nodejs_eventloop_lag_p99_seconds\` / \`_max_seconds\` from \`/metrics\`, scraped just before and after each phase (a scrape resets the histogram), minus prom-client's ${LAG_RESOLUTION_MS} ms sampling interval. Peak RSS is the service's \`VmHWM\`. The machine has 2 cores shared by the service, the load driver, PostgreSQL and other work, so figures are noisy and lower than on a dedicated host.

The machine was shared with other engineers' test runs during this run (1-minute load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after, on 2 cores).

Targets: p99 ≤ ${TARGET_P99_MS} ms at ${PACED_RATE} webhooks/s; ≥ ${TARGET_RATE.embedded} webhooks/s embedded, ≥ ${TARGET_RATE.postgres.toLocaleString('en-US')} on PostgreSQL.

${verdicts(rows)}

${BEFORE}

### Sustained maximum

${throughput}

### Acknowledgement latency at a fixed rate

${latency}

### Nothing acknowledged is lost

After the phases, every acknowledged alert's fingerprint is looked up in \`alerts\`.

${proof}

${lost === 0 ? 'Every acknowledged alert was stored.' : `**${lost} acknowledged alerts are missing from the database.**`}`,
  };
}
