import type pg from 'pg';
import { categorizeByRules } from '../categorize/categorize-by-rules.js';
import type { Env } from '../config/config.js';
import { emptyEvidence } from '../domain/evidence.js';
import { writeOfflineAnalysis } from '../explain/write-offline-analysis.js';
import type { Logger } from '../observability/logger.js';
import { makeLogDeliver } from './deliver-to-log.js';
import { streamOfAnalysis } from './offline-stream.js';
import type { Categorize, Collect, Deliver, Diagnose, Explain, Recall, Refine } from './stages.js';

export type Stages = {
  cluster: string;
  investigation: {
    categorize: Categorize;
    collect: Collect;
    diagnose: Diagnose;
    refine: Refine;
    recall: Recall;
    explain: Explain;
    deliver: Deliver;
  };
  notifyResolved: (incidentId: string) => Promise<void>;
  close: () => Promise<void>;
};

/** Builds every pipeline stage from configuration (the clients they need included). */
export async function makeStages(deps: { config: Env; env: Record<string, string | undefined>; pool: pg.Pool; logger: Logger }): Promise<Stages> {
  const { config, logger } = deps;
  const cluster = config.CLUSTER_NAME ?? 'default';
  const categorize: Categorize = async (subject) => categorizeByRules(subject);
  const collect: Collect = async () => emptyEvidence('no Kubernetes access is configured; the cluster could not be read');
  const explain: Explain = (input) => streamOfAnalysis(writeOfflineAnalysis(input));
  return {
    cluster,
    investigation: {
      categorize,
      collect,
      diagnose: () => [],
      refine: (decision) => decision,
      recall: async () => ({ cases: [], note: null }),
      explain,
      deliver: makeLogDeliver(logger),
    },
    notifyResolved: async () => undefined,
    close: async () => undefined,
  };
}
