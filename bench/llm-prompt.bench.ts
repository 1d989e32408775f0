import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { loadAll } from 'js-yaml';
import { categorizeByRules } from '../src/categorize/categorize-by-rules.js';
import { diagnose } from '../src/diagnose/diagnose.js';
import type { AlertmanagerAlert, EvidenceItem } from '../src/domain/types.js';
import { buildPrompt } from '../src/explain/build-prompt.js';
import { collectFromFixture } from '../src/eval/collect-from-fixture.js';
import { SCENARIOS_DIR } from '../src/eval/run-corpus.js';
import { subjectFromAlert } from '../src/eval/subject-from-alert.js';
import { DEFAULT_PROMPT_TOKEN_BUDGETS } from '../src/llm/llm-config.js';
import type { ExplainInput } from '../src/pipeline/stages.js';

/**
 * Prompt size per scenario before and after budgeting. Evidence items are built
 * from the scenario directory (each log file and each object in cluster.yaml one
 * item, as YAML) because the real collector is not wired into the corpus yet, so
 * the "before" sizes are upper bounds of what the collector would gather.
 */

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

function itemsFromFixture(dir: string): EvidenceItem[] {
  const logs = files(dir)
    .filter((f) => f.endsWith('.log'))
    .map((f): EvidenceItem => {
      const id = relative(dir, f).replace(/\.log$/, '');
      return { id, title: `log ${id}`, source: { kind: 'Pod', path: id }, text: readFileSync(f, 'utf8'), truncated: false };
    });
  const objects = loadAll(readFileSync(join(dir, 'cluster.yaml'), 'utf8'))
    .filter((o): o is { kind: string; metadata: { name: string; namespace?: string } } => typeof o === 'object' && o !== null && 'kind' in o)
    .filter((o) => o.kind !== 'Secret')
    .map((o): EvidenceItem => {
      const id = `${o.kind.toLowerCase()}/${o.metadata.namespace ?? '-'}/${o.metadata.name}`;
      const text = JSON.stringify(o, null, 1);
      return { id, title: `${o.kind} ${o.metadata.name}`, source: { kind: o.kind, path: id }, text, truncated: false };
    });
  return [...logs, ...objects];
}

async function inputFor(dir: string, name: string): Promise<ExplainInput> {
  const payload = JSON.parse(readFileSync(join(dir, 'alert.json'), 'utf8')) as { alerts: AlertmanagerAlert[]; externalURL?: string };
  const alert = payload.alerts[0];
  if (!alert) throw new Error(`${name}: no alert`);
  const subject = subjectFromAlert(alert, payload, `bench-${name}`, 'bench');
  const category = categorizeByRules(subject);
  const evidence = await collectFromFixture(dir)(subject, category.category);
  const findings = diagnose(subject, category.category, evidence);
  evidence.items = itemsFromFixture(dir);
  return { subject, category, evidence, findings, similar: [] };
}

/** A worst case: a chatty crash loop with 2,000 near-identical log lines and many healthy objects. */
async function noisyInput(base: ExplainInput): Promise<ExplainInput> {
  const spam = Array.from({ length: 2000 }, (_, n) => `2025-01-01T00:${String(Math.floor(n / 60) % 60).padStart(2, '0')}:${String(n % 60).padStart(2, '0')}Z WARN retrying upstream call attempt=${n}`).join('\n');
  const healthy = Array.from({ length: 40 }, (_, n): EvidenceItem => ({
    id: `pod/prod/healthy-${n}`,
    title: `Pod healthy-${n}`,
    source: { kind: 'Pod', path: `/api/v1/namespaces/prod/pods/healthy-${n}` },
    text: `phase: Running\nready: true\nrestarts: 0\nnode: worker-${n % 5}\nimage: registry.example.com/app:v1.${n}\n`.repeat(8),
    truncated: false,
  }));
  const logItem: EvidenceItem = { id: 'pod/prod/chatty/logs/app', title: 'chatty log', source: { kind: 'Pod', path: 'chatty' }, text: spam, truncated: false };
  return { ...base, evidence: { ...base.evidence, items: [...base.evidence.items, logItem, ...healthy] } };
}

export async function run(): Promise<{ title: string; markdown: string }> {
  const budgets = [DEFAULT_PROMPT_TOKEN_BUDGETS.openai, DEFAULT_PROMPT_TOKEN_BUDGETS.ollama, 2000];
  const names = readdirSync(SCENARIOS_DIR).filter((n) => statSync(join(SCENARIOS_DIR, n)).isDirectory()).sort();
  const rows: string[] = [];
  let last: ExplainInput | null = null;
  const row = (name: string, input: ExplainInput) => {
    const results = budgets.map((b) => buildPrompt(input, b).budget);
    const before = results[0]?.tokensBefore ?? 0;
    const cells = results.map((r) => `${r.tokensAfter} (${r.dropped.length} cuts)`);
    rows.push(`| ${name} | ${input.evidence.items.length} | ${input.findings.length} | ${before} | ${cells.join(' | ')} |`);
  };
  for (const name of names) {
    const input = await inputFor(join(SCENARIOS_DIR, name), name);
    row(name, input);
    last = input;
  }
  if (last) row('synthetic: noisy crash loop (2,000 log lines, 40 healthy pods)', await noisyInput(last));
  const markdown = [
    'Estimated prompt tokens (system + user, `estimateTokens`: ~4 chars/token) per scenario in `test/fixtures/scenarios/`,',
    `before trimming and after \`buildPrompt(input, budget)\` for budgets ${budgets.join(' / ')} tokens`,
    '(default for hosted providers / Ollama default / a tight budget). "cuts" counts trimming steps recorded in `Analysis.budget.dropped`.',
    'Evidence items are built from each scenario directory (every log file and every non-Secret object of cluster.yaml as one item),',
    'not by the real collector, so "before" is an upper bound. Command: `npm run bench -- llm-prompt`.',
    '',
    `| scenario | items | findings | tokens before | ${budgets.map((b) => `after ≤${b}`).join(' | ')} |`,
    `|---|---|---|---|${budgets.map(() => '---').join('|')}|`,
    ...rows,
  ].join('\n');
  return { title: 'LLM prompt size before and after budgeting', markdown };
}
