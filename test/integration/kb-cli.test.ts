import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Writable } from 'node:stream';
import { makeLocalEmbedder } from '../../src/embeddings/local-embedder.js';
import { caseText } from '../../src/kb/case-text.js';
import { runKbCommand } from '../../src/kb/cli/run-kb-command.js';
import type { KbCaseRecord } from '../../src/kb/kb-case.js';
import { listCases } from '../../src/kb/list-cases.js';
import { makeKnowledgeBase, type KnowledgeBase } from '../../src/kb/make-knowledge-base.js';
import { startTestDb, type TestDb } from '../support/test-db.js';

function sink(): Writable & { text(): string } {
  const chunks: string[] = [];
  const w = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return Object.assign(w, { text: () => chunks.join('') });
}

async function kb(args: string[], db: TestDb, knowledge: KnowledgeBase, files: Record<string, string> = {}) {
  const stdout = sink();
  const stderr = sink();
  const read = async (path: string) => {
    const f = files[path];
    if (f === undefined) throw new Error(`no file ${path}`);
    return f;
  };
  const code = await runKbCommand(args, { db: db.pool, kb: knowledge }, { stdout, stderr, read });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

const ORDERS_OOM = caseText({
  alertname: 'KubePodCrashLooping',
  category: 'oom-killed',
  namespace: 'shop',
  workload: 'shop/orders',
  findings: [{ cause: 'oom-killed', title: 'orders-7c9d8f6b5-x2k4q was OOMKilled', evidence: [{ source: 'pod', line: 'Last State: Terminated Reason: OOMKilled exit code 137 limit 512Mi' }] }],
});
const BILLING_DB = caseText({
  alertname: 'KubePodCrashLooping',
  category: 'crashloop',
  namespace: 'billing',
  workload: 'billing/invoicer',
  findings: [{ cause: 'connection-refused', title: 'invoicer cannot reach postgres', evidence: [{ source: 'logs', line: 'dial tcp 10.0.3.14:5432: connect: connection refused' }] }],
});

function aCase(over: Partial<KbCaseRecord>): Omit<KbCaseRecord, 'embeddingModel'> {
  return {
    id: randomUUID(),
    incidentId: null,
    alertname: 'KubePodCrashLooping',
    severity: 'critical',
    category: 'oom-killed',
    cluster: 'prod',
    namespace: 'shop',
    workloadKind: 'Deployment',
    workloadName: 'orders',
    title: 'orders is OOMKilled',
    rootCause: 'Java heap larger than the 512Mi limit',
    analysis: '## Root cause\nJava heap larger than the 512Mi limit',
    evidence: [{ source: 'pod', line: 'OOMKilled' }],
    findings: [{ cause: 'oom-killed' }],
    correction: null,
    verdict: 'correct',
    validatedBy: 'U123',
    validatedAt: '2026-11-20T10:00:00.000Z',
    embeddedText: ORDERS_OOM,
    ...over,
  };
}

describe('k8flex kb', () => {
  let source: TestDb;
  let target: TestDb;
  let sourceKb: KnowledgeBase;
  let targetKb: KnowledgeBase;

  before(async () => {
    source = await startTestDb();
    target = await startTestDb();
    sourceKb = makeKnowledgeBase({ pool: source.pool, embedder: makeLocalEmbedder() });
    targetKb = makeKnowledgeBase({ pool: target.pool, embedder: makeLocalEmbedder() });
    const incident = await source.pool.query<{ id: string }>(
      `INSERT INTO incidents (id, group_key, alertname, cluster, source) VALUES ($1, 'key-1', 'KubePodCrashLooping', 'prod', 'alert') RETURNING id`,
      [randomUUID()],
    );
    await sourceKb.put(aCase({ incidentId: incident.rows[0]?.id ?? null }));
    await sourceKb.put(
      aCase({
        category: 'crashloop',
        namespace: 'billing',
        workloadName: 'invoicer',
        rootCause: 'Postgres was down',
        verdict: 'incorrect',
        correction: 'the NetworkPolicy blocked 5432',
        validatedBy: 'U456',
        validatedAt: '2026-11-21T09:30:00.000Z',
        embeddedText: BILLING_DB,
      }),
    );
  });
  after(async () => {
    await source?.close();
    await target?.close();
  });

  it('exports every case as a JSON line without the embedding, and importing it into a fresh database yields the same cases', async () => {
    const exported = await kb(['export'], source, sourceKb);
    assert.equal(exported.code, 0);
    const lines = exported.stdout.trim().split('\n');
    assert.equal(lines.length, 2);
    assert.ok(lines.every((l) => !('embedding' in JSON.parse(l))));

    const imported = await kb(['import', 'cases.jsonl'], target, targetKb, { 'cases.jsonl': exported.stdout });
    assert.equal(imported.code, 0, imported.stderr);
    assert.match(imported.stderr, /imported 2 cases/);
    // The target has no incidents, so the case loses its incident link and keeps everything else.
    const comparable = (c: KbCaseRecord) => ({ ...c, incidentId: null });
    assert.deepEqual((await listCases(target.pool, null)).map(comparable), (await listCases(source.pool, null)).map(comparable));
  });

  it('importing the same file twice leaves the same cases, not duplicates', async () => {
    const file = (await kb(['export'], source, sourceKb)).stdout;
    const before = await listCases(target.pool, null);
    const again = await kb(['import', 'cases.jsonl'], target, targetKb, { 'cases.jsonl': file });
    assert.equal(again.code, 0, again.stderr);
    assert.equal(await targetKb.count(), 2);
    assert.deepEqual(await listCases(target.pool, null), before);
  });

  it('reports a bad line by its number and imports nothing from the file', async () => {
    const fresh = await startTestDb();
    try {
      const freshKb = makeKnowledgeBase({ pool: fresh.pool, embedder: makeLocalEmbedder() });
      const good = JSON.stringify({ ...aCase({}), embeddingModel: 'local-hash-v1-384' });
      const badVerdict = JSON.stringify({ ...aCase({}), verdict: 'maybe' });
      const file = [good, '', badVerdict, '{not json'].join('\n');
      const r = await kb(['import', 'cases.jsonl'], fresh, freshKb, { 'cases.jsonl': file });
      assert.equal(r.code, 1);
      assert.match(r.stderr, /cases\.jsonl: line 3: verdict/);
      assert.match(r.stderr, /cases\.jsonl: line 4: not JSON/);
      assert.doesNotMatch(r.stderr, /line 1:/);
      assert.equal(await freshKb.count(), 0);
    } finally {
      await fresh.close();
    }
  });

  it('search ranks a near-duplicate with new pod names and IPs first', async () => {
    const query = 'KubePodCrashLooping oom-killed shop/orders orders-5f7b9c8d4-q8w2e was OOMKilled Last State: Terminated Reason: OOMKilled exit code 137 limit 512Mi';
    const r = await kb(['search', query], target, targetKb);
    assert.equal(r.code, 0);
    const [first, second] = r.stdout.trim().split('\n');
    assert.match(first ?? '', /^0\.\d{3} ✅ .* Java heap larger than the 512Mi limit$/);
    assert.match(second ?? '', /❌ .* Postgres was down — actual cause: the NetworkPolicy blocked 5432$/);
    assert.ok(Number(first?.split(' ')[0]) > Number(second?.split(' ')[0]));
  });

  it('lists cases newest first with their verdict and who gave it', async () => {
    const r = await kb(['list'], target, targetKb);
    assert.deepEqual(r.stdout.trim().split('\n').map((l) => l.split(' ').slice(0, 2).concat(l.split(' ')[3] ?? '')), [
      ['2026-11-21', '❌', 'U456'],
      ['2026-11-20', '✅', 'U123'],
    ]);
  });

  it('answers an unknown subcommand with its usage and exit code 2', async () => {
    const r = await kb(['frobnicate'], target, targetKb);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown kb command frobnicate[\s\S]*usage: k8flex kb/);
  });
});
