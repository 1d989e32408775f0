import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Category, IncidentSubject } from '../src/domain/types.js';
import { makeCollector } from '../src/k8s/make-collector.js';
import { startFakeKubeApi } from '../test/support/fake-kube-api.js';

/**
 * Collect per category against the wire-level fake API server (loopback HTTP, the
 * real @kubernetes/client-node): API calls, milliseconds per collection, and the
 * prompt context before and after log reduction.
 */
const CLUSTERS = fileURLToPath(new URL('../test/fixtures/clusters/', import.meta.url));
const ITERATIONS = 20;
const LIMITS = { requestTimeoutMs: 5000, logTailLines: 100, logMaxBytes: 4096 };

type Case = { fixture: string; category: Category; labels: Record<string, string> };

function subject(labels: Record<string, string>): IncidentSubject {
  return {
    incidentId: 'bench',
    source: 'alert',
    cluster: 'fake',
    alertname: 'Bench',
    severity: 'critical',
    labels,
    annotations: {},
    namespace: labels.namespace ?? null,
    workload: null,
    description: null,
    startsAt: new Date(0).toISOString(),
    generatorURL: null,
    externalURL: null,
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
}

export async function run(): Promise<{ title: string; markdown: string }> {
  const cases = JSON.parse(readFileSync(`${CLUSTERS}cases.json`, 'utf8')) as Case[];
  const rows: string[] = [];
  for (const c of cases) {
    const api = await startFakeKubeApi({ fixtureDir: `${CLUSTERS}${c.fixture}` });
    try {
      const collect = makeCollector({ kubeConfig: api.kubeConfig(), cluster: 'fake', ...LIMITS });
      await collect(subject(c.labels), c.category);
      const times: number[] = [];
      let last = await collect(subject(c.labels), c.category);
      for (let i = 0; i < ITERATIONS; i += 1) {
        const start = performance.now();
        last = await collect(subject(c.labels), c.category);
        times.push(performance.now() - start);
      }
      times.sort((a, b) => a - b);
      const ctx = last.context;
      rows.push(
        `| ${c.category} | ${c.fixture} | ${last.apiCalls} | ${last.items.length} | ${percentile(times, 0.5).toFixed(1)} | ${percentile(times, 0.95).toFixed(1)} | ${ctx.charsBeforeReduction} | ${ctx.chars} | ${ctx.estimatedTokens} |`,
      );
    } finally {
      await api.close();
    }
  }
  const markdown = [
    `Command: \`npm run bench -- k8s-collect\`. Each fixture cluster in \`test/fixtures/clusters/\` is served by the fake API server on loopback;`,
    `\`makeCollector\` runs once to warm up, then ${ITERATIONS} times. Limits: request timeout ${LIMITS.requestTimeoutMs} ms, ${LIMITS.logTailLines} log lines, ${LIMITS.logMaxBytes} bytes per log.`,
    'Context is the prompt text built from the evidence items (chars before reduction count raw log tails).',
    '',
    '| category | fixture | API calls | items | p50 ms | p95 ms | context chars before | context chars after | est. tokens |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
  ].join('\n');
  return { title: 'Collect per category (fake Kubernetes API)', markdown };
}
