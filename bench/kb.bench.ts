import { cpSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { categorizeByRules } from '../src/categorize/categorize-by-rules.js';
import { refineCategory } from '../src/categorize/refine-category.js';
import { makePool, withTransaction } from '../src/db/make-pool.js';
import { migrate } from '../src/db/migrate.js';
import { startEmbeddedDatabase } from '../src/db/start-embedded-database.js';
import { diagnose } from '../src/diagnose/diagnose.js';
import type { AlertmanagerAlert } from '../src/domain/types.js';
import { embedLocally } from '../src/embeddings/local-embedder.js';
import { makeLocalEmbedder } from '../src/embeddings/local-embedder.js';
import { collectFromFixture } from '../src/eval/collect-from-fixture.js';
import { SCENARIOS_DIR } from '../src/eval/run-corpus.js';
import { subjectFromAlert } from '../src/eval/subject-from-alert.js';
import { caseText } from '../src/kb/case-text.js';
import { makeKnowledgeBase } from '../src/kb/make-knowledge-base.js';
import { caseSearchQuery, EF_SEARCH, searchCases } from '../src/kb/search-cases.js';
import { silentLogger } from '../src/observability/logger.js';
import { mergeEvidence } from '../src/pipeline/merge-evidence.js';
import { withoutHnswIndexes } from '../test/support/without-hnsw-indexes.js';

const SIZES = [1_000, 10_000, 100_000];
/** Past this much insert time, the largest size reached is measured and reported instead. */
const INSERT_BUDGET_MS = 180_000;
const BATCH = 1_000;
const QUERIES = 200;
const RECALL_QUERIES = 50;
const TOP_K = 5;
const MODEL = 'local-hash-v1-384';

/**
 * Knowledge base search latency at growing sizes (embedded PGlite + pgvector HNSW,
 * local embedder), and recall@5 of near-duplicates on the scenario corpus.
 */
export async function run(): Promise<{ title: string; markdown: string }> {
  const scenarios = readdirSync(SCENARIOS_DIR).filter((n) => statSync(join(SCENARIOS_DIR, n)).isDirectory()).sort();
  const texts = await Promise.all(scenarios.map((n) => scenarioCaseText(join(SCENARIOS_DIR, n))));
  const recall = await measureRecall(scenarios, texts);
  const latency = await measureLatency(texts);
  return {
    title: 'Knowledge base search',
    markdown: [
      '`npx tsx bench/run.ts kb` (bench/kb.bench.ts). Embedded PGlite with pgvector over loopback `pg`, in memory; local embedder (`local-hash-v1-384`, HNSW index `kb_cases_embedding_384`).',
      '',
      '### Search latency',
      '',
      `Synthetic cases derived from the corpus's case texts (workload, namespace, cluster and one evidence line varied per case), bulk-loaded ${BATCH.toLocaleString('en')} per \`INSERT\` ` +
        'with the HNSW index dropped and then built again from its definition (`maintenance_work_mem` 512 MB), as for a large import; then `kb.count()`, which analyzes kb_cases once it has grown (sql/005). ' +
        `${QUERIES} sequential \`kb.search\` calls per size (embedding the query included), top ${TOP_K}, threshold 0, \`hnsw.ef_search\` ${EF_SEARCH}, iterative scan \`strict_order\`; ` +
        'the same queries again filtered to one of the 5 clusters. "Served by HNSW" is the plan of the search statement itself (`caseSearchQuery`), without and with the cluster filter. ' +
        `Recall is the share of the exact top ${TOP_K} (sequential scan, \`enable_indexscan = off\`) that the search returns, over ${RECALL_QUERIES} queries, counting ties at the ${TOP_K}th distance.`,
      '',
      '| cases | insert (cumulative) | index build | ANALYZE | p50 | p95 | max | p95, one cluster | served by HNSW (all / one cluster) | recall@5 vs exact |',
      '|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|',
      ...latency.rows.map(
        (r) =>
          `| ${r.size.toLocaleString('en')} | ${(r.insertMs / 1000).toFixed(1)} s | ${(r.buildMs / 1000).toFixed(1)} s | ${r.analyzeMs.toFixed(0)} ms | ${r.p50.toFixed(1)} ms | ${r.p95.toFixed(1)} ms | ${r.max.toFixed(1)} ms | ` +
          `${r.clusterP95.toFixed(1)} ms | ${r.hnsw ? 'yes' : 'no'} / ${r.hnswCluster ? 'yes' : 'no'} | ${(100 * r.recall).toFixed(1)}% |`,
      ),
      '',
      latency.note,
      '',
      `Adding cases one \`INSERT\` at a time with the index in place, as verdicts do, costs ${latency.perCaseMs.toFixed(1)} ms per case at ${latency.rows.at(-1)?.size.toLocaleString('en') ?? '?'} cases (200 inserted after the last size).`,
      '',
      '### Recall of near-duplicates',
      '',
      `Each of the ${scenarios.length} scenarios runs through the offline pipeline (categorize → collect from fixture → diagnose → refine) and its case is stored. ` +
        'Then a copy of the scenario with every pod hash and suffix, IP address and UID rewritten (files and log paths alike) runs through the same pipeline, ' +
        `and its case text is the query (top ${TOP_K}, threshold 0, all cases of the corpus in the base).`,
      '',
      '| scenarios | recall@1 | recall@5 | own-case similarity (min / median) | best other case (median) |',
      '|---:|---:|---:|---:|---:|',
      `| ${scenarios.length} | ${pct(recall.at1, scenarios.length)} | ${pct(recall.at5, scenarios.length)} | ${recall.ownMin.toFixed(3)} / ${recall.ownMedian.toFixed(3)} | ${recall.otherMedian.toFixed(3)} |`,
      '',
      recall.misses.length > 0 ? `Missed at 5: ${recall.misses.join(', ')}.` : 'Every perturbed scenario found its own case in the top 5.',
    ].join('\n'),
  };
}

async function withDb<T>(fn: (deps: { pool: ReturnType<typeof makePool> }) => Promise<T>): Promise<T> {
  const db = await startEmbeddedDatabase({ dataDir: 'memory://', port: 0 });
  const pool = makePool({ connectionString: db.connectionString, max: 2, logger: silentLogger() });
  try {
    await migrate(pool, silentLogger());
    return await fn({ pool });
  } finally {
    await pool.end();
    await db.stop();
  }
}

async function scenarioCaseText(dir: string): Promise<string> {
  const payload = JSON.parse(readFileSync(join(dir, 'alert.json'), 'utf8')) as { alerts: AlertmanagerAlert[] };
  const alert = payload.alerts[0];
  if (!alert) throw new Error(`${dir}: no alert`);
  const subject = subjectFromAlert(alert, payload, 'bench', 'bench');
  const collect = collectFromFixture(dir);
  const first = categorizeByRules(subject);
  let evidence = await collect(subject, first.category);
  let findings = diagnose(subject, first.category, evidence);
  const decision = refineCategory(first, evidence, findings);
  if (decision.category !== first.category) {
    evidence = mergeEvidence(evidence, await collect(subject, decision.category));
    findings = diagnose(subject, decision.category, evidence);
  }
  const workload = subject.workload ? `${subject.workload.namespace}/${subject.workload.name}` : null;
  return caseText({ alertname: subject.alertname, category: decision.category, namespace: subject.namespace, workload, findings });
}

/** Deterministic pseudo-random numbers, so every run perturbs and generates the same way. */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return s / 2 ** 32;
  };
}

const ALNUM = 'bcdfghjklmnpqrstvwxz2456789';
function token(rand: () => number, length: number): string {
  return Array.from({ length }, () => ALNUM[Math.floor(rand() * ALNUM.length)]).join('');
}

/**
 * A copy of a scenario as a repeat of the incident would look: new ReplicaSet hashes,
 * pod suffixes, IPs and UIDs, the same everywhere they occur (alert, cluster YAML, log paths).
 */
function perturbedCopy(dir: string, rand: () => number): string {
  const out = mkdtempSync(join(tmpdir(), 'k8flex-kb-bench-'));
  cpSync(dir, out, { recursive: true });
  const files = listFiles(out);
  const all = files.map((f) => readFileSync(f, 'utf8')).join('\n') + '\n' + files.join('\n');
  const map = new Map<string, string>();
  for (const m of all.matchAll(/\b[a-z][a-z0-9]*(?:-[a-z][a-z0-9]*)*-((?=[a-z]*\d)[a-z0-9]{6,10})-([a-z0-9]{5})\b/g)) {
    for (const t of [m[1], m[2]]) if (t && !map.has(t)) map.set(t, token(rand, t.length));
  }
  for (const m of all.matchAll(/\b(?:\d{1,3}\.){3}\d{1,3}\b/g)) {
    if (!map.has(m[0]) && !m[0].startsWith('0.')) map.set(m[0], `10.${Math.floor(rand() * 250)}.${Math.floor(rand() * 250)}.${1 + Math.floor(rand() * 250)}`);
  }
  for (const m of all.matchAll(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g)) {
    if (!map.has(m[0])) map.set(m[0], crypto.randomUUID());
  }
  const rewrite = (s: string) => {
    let r = s;
    for (const [from, to] of map) r = r.replace(new RegExp(`(?<![\\w.])${from.replace(/\./g, '\\.')}(?![\\w.])`, 'g'), to);
    return r;
  };
  for (const f of files) writeFileSync(f, rewrite(readFileSync(f, 'utf8')));
  // Log directories are named after pods: deepest first, so parents are renamed last.
  for (const p of listPaths(out).sort((a, b) => b.length - a.length)) {
    const base = p.slice(p.lastIndexOf('/') + 1);
    const renamed = rewrite(base);
    if (renamed !== base) renameSync(p, join(p.slice(0, p.lastIndexOf('/')), renamed));
  }
  return out;
}

function listPaths(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? [p, ...listPaths(p)] : [p];
  });
}
function listFiles(dir: string): string[] {
  return listPaths(dir).filter((p) => statSync(p).isFile());
}

async function measureRecall(scenarios: string[], texts: string[]) {
  const rand = seeded(7);
  const queries: string[] = [];
  for (const name of scenarios) {
    const copy = perturbedCopy(join(SCENARIOS_DIR, name), rand);
    try {
      queries.push(await scenarioCaseText(copy));
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  }
  return withDb(async ({ pool }) => {
    const kb = makeKnowledgeBase({ pool, embedder: makeLocalEmbedder() });
    const ids: string[] = [];
    for (const [i, name] of scenarios.entries()) ids.push(await kb.put(syntheticCase(name, texts[i] ?? '', 'prod')));
    let at1 = 0;
    let at5 = 0;
    const own: number[] = [];
    const other: number[] = [];
    const misses: string[] = [];
    for (const [i, q] of queries.entries()) {
      const hits = await kb.search({ text: q, cluster: null, threshold: 0, topK: TOP_K });
      const rank = hits.findIndex((h) => h.id === ids[i]);
      if (rank === 0) at1 += 1;
      if (rank >= 0) at5 += 1;
      else misses.push(scenarios[i] ?? '');
      own.push(hits[rank]?.similarity ?? 0);
      other.push(hits.find((h) => h.id !== ids[i])?.similarity ?? 0);
    }
    return { at1, at5, ownMin: Math.min(...own), ownMedian: quantile(own, 0.5), otherMedian: quantile(other, 0.5), misses };
  });
}

function syntheticCase(name: string, embeddedText: string, cluster: string) {
  return {
    id: crypto.randomUUID(),
    incidentId: null,
    alertname: name,
    severity: 'warning',
    category: 'bench',
    cluster,
    namespace: null,
    workloadKind: null,
    workloadName: null,
    title: null,
    rootCause: name,
    analysis: '',
    evidence: [],
    findings: [],
    correction: null,
    verdict: 'correct' as const,
    validatedBy: 'bench',
    validatedAt: new Date(0).toISOString(),
    embeddedText,
  };
}

const WORDS = ['timeout', 'refused', 'denied', 'quota', 'evicted', 'throttled', 'pending', 'unschedulable', 'probe', 'failed', 'restart', 'volume', 'mount', 'secret', 'configmap', 'dns', 'tls', 'certificate', 'expired', 'memory', 'cpu', 'disk', 'pressure', 'network', 'policy', 'image', 'pull', 'backoff', 'panic', 'exception'];

/** The i-th synthetic case text: a corpus case with its workload, namespace and one evidence line changed. */
function syntheticText(base: string, i: number, rand: () => number): string {
  const words = Array.from({ length: 6 }, () => WORDS[Math.floor(rand() * WORDS.length)]).join(' ');
  return base.replace(/^workload .*$/m, `workload team-${i % 53}/svc-${i % 997}`) + `\nsvc-${i % 997} ${words} after ${Math.floor(rand() * 500)} attempts`;
}

async function measureLatency(texts: string[]) {
  return withDb(async ({ pool }) => {
    const kb = makeKnowledgeBase({ pool, embedder: makeLocalEmbedder() });
    const rand = seeded(42);
    const rows: LatencyRow[] = [];
    let inserted = 0;
    let insertTotalMs = 0;
    let note = `All sizes up to ${SIZES.at(-1)?.toLocaleString('en')} were inserted within the ${INSERT_BUDGET_MS / 1000} s budget.`;
    for (const size of SIZES) {
      if (insertTotalMs >= INSERT_BUDGET_MS) break;
      const t0 = performance.now();
      let stepInsertMs = 0;
      await withoutHnswIndexes(pool, async () => {
        while (inserted < size && insertTotalMs + (performance.now() - t0) < INSERT_BUDGET_MS) {
          const n = Math.min(BATCH, size - inserted);
          await insertBatch(pool, texts, inserted, n, rand);
          inserted += n;
        }
        stepInsertMs = performance.now() - t0;
      });
      const buildMs = performance.now() - t0 - stepInsertMs;
      insertTotalMs += stepInsertMs;
      if (inserted < size) {
        note = `**${size.toLocaleString('en')} was not reached**: inserting stopped at ${inserted.toLocaleString('en')} cases after ${(insertTotalMs / 1000).toFixed(0)} s (budget ${INSERT_BUDGET_MS / 1000} s); that is the largest size measured.`;
      }
      // What the service does after a write: refresh the count and, grown, the statistics.
      const ta = performance.now();
      await kb.count();
      const analyzeMs = performance.now() - ta;

      const queryRand = seeded(size);
      const queries = Array.from({ length: QUERIES }, () => syntheticText(texts[Math.floor(queryRand() * texts.length)] ?? '', Math.floor(queryRand() * 1_000_000), queryRand));
      const latencies: number[] = [];
      for (const text of queries) {
        const t = performance.now();
        await kb.search({ text, cluster: null, threshold: 0, topK: TOP_K });
        latencies.push(performance.now() - t);
      }
      const clusterLatencies: number[] = [];
      for (const [q, text] of queries.entries()) {
        const t = performance.now();
        await kb.search({ text, cluster: `cluster-${q % 5}`, threshold: 0, topK: TOP_K });
        clusterLatencies.push(performance.now() - t);
      }
      rows.push({
        size: inserted,
        insertMs: insertTotalMs,
        buildMs,
        analyzeMs,
        p50: quantile(latencies, 0.5),
        p95: quantile(latencies, 0.95),
        max: Math.max(...latencies),
        clusterP95: quantile(clusterLatencies, 0.95),
        hnsw: await servedByHnsw(pool, null),
        hnswCluster: await servedByHnsw(pool, 'cluster-1'),
        recall: await recallAgainstExact(pool, queries.slice(0, RECALL_QUERIES)),
      });
    }
    const perCaseMs = await insertOneByOne(pool, texts, inserted, rand);
    return { rows, note, perCaseMs };
  });
}

type LatencyRow = {
  size: number;
  insertMs: number;
  buildMs: number;
  analyzeMs: number;
  p50: number;
  p95: number;
  max: number;
  clusterP95: number;
  hnsw: boolean;
  hnswCluster: boolean;
  recall: number;
};

/** Whether the planner serves the search statement itself (src/kb/search-cases.ts) from the HNSW index. */
async function servedByHnsw(pool: ReturnType<typeof makePool>, cluster: string | null): Promise<boolean> {
  const query = caseSearchQuery({ embedding: embedLocally('probe'), model: MODEL, cluster, threshold: 0, topK: TOP_K });
  if (!query) return false;
  const plan = await pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${query.text}`, query.values);
  return plan.rows.some((r) => r['QUERY PLAN'].includes('kb_cases_embedding_384'));
}

/**
 * Share of the exact top k that the indexed search returns, by distance rather than by
 * id since synthetic cases tie: a hit counts when it is no farther than the exact k-th.
 */
async function recallAgainstExact(pool: ReturnType<typeof makePool>, texts: string[]): Promise<number> {
  let found = 0;
  for (const text of texts) {
    const q = { embedding: embedLocally(text), model: MODEL, cluster: null, threshold: 0, topK: TOP_K };
    const indexed = (await searchCases(pool, q)).map((m) => 1 - m.similarity);
    const query = caseSearchQuery(q);
    if (!query) continue;
    const exact = await withTransaction(pool, async (client) => {
      await client.query('SET LOCAL enable_indexscan = off');
      return (await client.query<{ distance: number }>(query.text, query.values)).rows.map((r) => Number(r.distance));
    });
    const kth = exact.at(-1) ?? Infinity;
    found += indexed.filter((d) => d <= kth + 1e-6).length;
  }
  return found / (texts.length * TOP_K);
}

/** Milliseconds per case when cases are added one INSERT at a time with the index in place, as verdicts add them. */
async function insertOneByOne(pool: ReturnType<typeof makePool>, texts: string[], from: number, rand: () => number): Promise<number> {
  const n = 200;
  const t0 = performance.now();
  for (let i = from; i < from + n; i++) await insertBatch(pool, texts, i, 1, rand);
  return (performance.now() - t0) / n;
}

async function insertBatch(pool: ReturnType<typeof makePool>, texts: string[], from: number, n: number, rand: () => number): Promise<void> {
  const values: string[] = [];
  const params: unknown[] = [];
  for (let k = 0; k < n; k++) {
    const i = from + k;
    const text = syntheticText(texts[i % texts.length] ?? '', i, rand);
    const p = params.length;
    values.push(`($${p + 1}, 'Synthetic', 'bench', $${p + 2}, 'synthetic', '', 'correct', now(), $${p + 3}, $${p + 4}, $${p + 5})`);
    params.push(crypto.randomUUID(), `cluster-${i % 5}`, text, JSON.stringify(embedLocally(text)), MODEL);
  }
  await pool.query(
    `INSERT INTO kb_cases (id, alertname, category, cluster, root_cause, analysis, verdict, validated_at, embedded_text, embedding, embedding_model)
     VALUES ${values.join(', ')}`,
    params,
  );
}

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0;
}

function pct(n: number, of: number): string {
  return `${((100 * n) / of).toFixed(1)}% (${n}/${of})`;
}
