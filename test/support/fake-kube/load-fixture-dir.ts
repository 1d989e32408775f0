import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadAll, load } from 'js-yaml';
import type { Fault } from './faults.js';

/**
 * Reads a fixture cluster (see test/fixtures/README.md): `cluster.yaml`,
 * `logs/<ns>/<pod>/<container>[.previous].log` and optional `faults.yaml`.
 * Log keys are `<ns>/<pod>/<container>` and `<ns>/<pod>/<container>/previous`.
 */
export type FixtureCluster = { objects: unknown[]; logs: Record<string, string>; faults: Fault[] };

export function logKey(namespace: string, pod: string, container: string, previous: boolean): string {
  return `${namespace}/${pod}/${container}${previous ? '/previous' : ''}`;
}

export function loadFixtureDir(dir: string): FixtureCluster {
  const objects = loadAll(readFileSync(join(dir, 'cluster.yaml'), 'utf8')).filter((o) => o !== null && o !== undefined);
  const logs: Record<string, string> = {};
  const logsDir = join(dir, 'logs');
  if (existsSync(logsDir)) {
    for (const namespace of readdirSync(logsDir)) {
      for (const pod of readdirSync(join(logsDir, namespace))) {
        const podDir = join(logsDir, namespace, pod);
        if (!statSync(podDir).isDirectory()) continue;
        for (const file of readdirSync(podDir)) {
          const match = /^(.+?)(\.previous)?\.log$/.exec(file);
          if (!match?.[1]) continue;
          logs[logKey(namespace, pod, match[1], Boolean(match[2]))] = readFileSync(join(podDir, file), 'utf8');
        }
      }
    }
  }
  const faultsFile = join(dir, 'faults.yaml');
  const faults = existsSync(faultsFile) ? ((load(readFileSync(faultsFile, 'utf8')) as Fault[] | null) ?? []) : [];
  return { objects, logs, faults };
}
