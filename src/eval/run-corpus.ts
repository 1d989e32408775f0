import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { KubeConfig } from '@kubernetes/client-node';
import type { Collect } from '../pipeline/stages.js';
import { collectFromFixture } from './collect-from-fixture.js';
import { runScenario, type ScenarioResult } from './run-scenario.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SCENARIOS_DIR = join(ROOT, 'test', 'fixtures', 'scenarios');

/** "fake-api": the wire-level fake Kubernetes API + the real collector; "fixture": the YAML read directly. */
export type CollectMode = 'fake-api' | 'fixture';

type FakeApiModule = { startFakeKubeApi(opts: { fixtureDir: string }): Promise<{ kubeConfig(): KubeConfig; close(): Promise<void> }> };
type CollectorModule = {
  makeCollector(opts: { kubeConfig: KubeConfig; cluster: string; prometheusUrl: string | null; requestTimeoutMs: number; logTailLines: number; logMaxBytes: number }): Collect;
};

const FAKE_API = join(ROOT, 'test', 'support', 'fake-kube-api.ts');
const COLLECTOR = join(ROOT, 'src', 'k8s', 'make-collector.ts');

export function availableMode(): CollectMode {
  return existsSync(FAKE_API) && existsSync(COLLECTOR) ? 'fake-api' : 'fixture';
}

async function withCollect<T>(dir: string, mode: CollectMode, run: (collect: Collect) => Promise<T>): Promise<T> {
  if (mode === 'fixture') return run(collectFromFixture(dir));
  // Imported by path: both modules belong to other parts of the tree and may not exist yet.
  const fake = (await import(pathToFileURL(FAKE_API).href)) as FakeApiModule;
  const { makeCollector } = (await import(pathToFileURL(COLLECTOR).href)) as CollectorModule;
  const api = await fake.startFakeKubeApi({ fixtureDir: dir });
  try {
    const collect = makeCollector({ kubeConfig: api.kubeConfig(), cluster: 'eval', prometheusUrl: null, requestTimeoutMs: 5000, logTailLines: 200, logMaxBytes: 64 * 1024 });
    return await run(collect);
  } finally {
    await api.close();
  }
}

/** Runs every scenario under `dir` (one at a time: the machine is shared). */
export async function runCorpus(dir = SCENARIOS_DIR, mode: CollectMode = availableMode()): Promise<ScenarioResult[]> {
  const names = readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  const results: ScenarioResult[] = [];
  for (const name of names) {
    const scenarioDir = join(dir, name);
    results.push(await withCollect(scenarioDir, mode, (collect) => runScenario(scenarioDir, collect)));
  }
  return results;
}
