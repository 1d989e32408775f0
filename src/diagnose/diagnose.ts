import type { Finding } from '../domain/analysis.js';
import type { Diagnose } from '../pipeline/stages.js';
import type { Analyzer } from './analyzer.js';
import { analyzeAppLogs } from './analyzers/app-logs.js';
import { analyzeContainers } from './analyzers/containers.js';
import { analyzeImages } from './analyzers/images.js';
import { analyzeNetwork } from './analyzers/network.js';
import { analyzeNodes } from './analyzers/nodes.js';
import { analyzeScheduling } from './analyzers/scheduling.js';
import { analyzeServices } from './analyzers/services.js';
import { analyzeStorage } from './analyzers/storage.js';
import { analyzeWorkloads } from './analyzers/workloads.js';
import { rankFindings } from './rank-findings.js';

export const ANALYZERS: ReadonlyArray<readonly [name: string, analyze: Analyzer]> = [
  ['containers', analyzeContainers],
  ['images', analyzeImages],
  ['scheduling', analyzeScheduling],
  ['services', analyzeServices],
  ['nodes', analyzeNodes],
  ['storage', analyzeStorage],
  ['workloads', analyzeWorkloads],
  ['network', analyzeNetwork],
  ['app-logs', analyzeAppLogs],
];

/**
 * Runs every analyzer over the evidence and returns the findings best first,
 * one per cause. An analyzer that throws on unexpected data is skipped: one bad
 * object must not cost the whole diagnosis.
 */
export const diagnose: Diagnose = (subject, category, evidence) => {
  const findings: Finding[] = [];
  for (const [, analyze] of ANALYZERS) {
    try {
      findings.push(...analyze({ subject, category, evidence }));
    } catch {
      continue;
    }
  }
  return rankFindings(findings, category);
};
