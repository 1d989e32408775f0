import type pg from 'pg';
import { Counter, Histogram } from 'prom-client';
import { withTransaction } from '../db/make-pool.js';
import type { Logger } from '../observability/logger.js';
import { metricsRegistry } from '../observability/metrics.js';
import { completeInvestigation, loadIncident, markInvestigating, saveCategory, saveResolvedWorkload } from '../store/incident-queries.js';
import { subjectFromIncident } from '../store/incident-record.js';
import type { AnalysisBus } from './analysis-bus.js';
import { mergeEvidence } from './merge-evidence.js';
import type { AnalysisStream, Categorize, Collect, Deliver, DeliveryResult, Diagnose, Explain, Recall, Refine } from './stages.js';

const investigations = new Counter({
  name: 'k8flex_investigations_total',
  help: 'Investigations finished, by category and analysis mode.',
  labelNames: ['category', 'mode'] as const,
  registers: [metricsRegistry],
});
const investigationSeconds = new Histogram({
  name: 'k8flex_investigation_duration_seconds',
  help: 'Time from claiming an incident to storing its analysis.',
  buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300],
  registers: [metricsRegistry],
});

export type InvestigationDeps = {
  pool: pg.Pool;
  categorize: Categorize;
  collect: Collect;
  diagnose: Diagnose;
  refine: Refine;
  recall: Recall;
  explain: Explain;
  deliver: Deliver;
  bus: AnalysisBus;
  logger: Logger;
};

/**
 * One investigation, top to bottom: categorize → collect (redacted, reduced) →
 * diagnose → refine category → recall → explain (stream) → deliver → store.
 * Safe to run again after a crash: a completed incident is left alone, and delivery
 * reuses the Slack thread it stored.
 */
export async function runInvestigation(deps: InvestigationDeps, incidentId: string, signal: AbortSignal): Promise<void> {
  const incident = await loadIncident(deps.pool, incidentId);
  if (!incident || incident.status === 'completed') return;
  const log = deps.logger.child({ component: 'pipeline', incidentId, groupKey: incident.groupKey });
  const stopTimer = investigationSeconds.startTimer();
  await markInvestigating(deps.pool, incidentId);
  const subject = subjectFromIncident(incident);

  const decision = await deps.categorize(subject);
  let evidence = await deps.collect(subject, decision.category, signal);
  if (evidence.target.workload) {
    await saveResolvedWorkload(deps.pool, incidentId, evidence.target.workload);
    subject.workload = evidence.target.workload;
  }
  let findings = deps.diagnose(subject, decision.category, evidence);
  const category = deps.refine(decision, evidence, findings);
  if (category.category !== decision.category) {
    // The new category may need data the first plan did not read (a PVC, network policies).
    evidence = mergeEvidence(evidence, await deps.collect(subject, category.category, signal));
    findings = deps.diagnose(subject, category.category, evidence);
  }
  await saveCategory(deps.pool, incidentId, category);
  signal.throwIfAborted();

  const recalled = await deps.recall(subject, category.category, evidence, findings).catch((err: unknown) => {
    log.warn({ err }, 'knowledge base recall failed; continuing without similar cases');
    return { cases: [], note: 'knowledge base unavailable' };
  });

  const input = { subject, category, evidence, findings, similar: recalled.cases };
  const stream = publishToBus(deps.explain(input, signal), deps.bus, incidentId);
  let delivery: DeliveryResult;
  try {
    delivery = await deps.deliver({ ...input, stream, notify: incident.notify });
  } catch (err) {
    // Delivery is best effort: the analysis is still stored and visible in the API.
    log.warn({ err }, 'delivery failed');
    for await (const _ of stream.chunks) {
      // drain so the explain stage can finish
    }
    delivery = { channel: null, parentTs: null, replyTs: null, permalink: null, error: (err as Error).message };
  }
  const analysis = await stream.done;
  if (recalled.note) analysis.degraded.push(recalled.note);
  if (!evidence.clusterReadable && !analysis.degraded.some((d) => /cluster could not be read/i.test(d))) {
    analysis.degraded.push('cluster could not be read');
  }
  await withTransaction(deps.pool, (client) =>
    completeInvestigation(client, incidentId, { analysis, category, evidence, findings, similar: recalled.cases, delivery }),
  );
  deps.bus.publish(incidentId, { type: 'done', status: 'completed' });
  investigations.inc({ category: category.category, mode: analysis.mode });
  stopTimer();
  log.info({ category: category.category, mode: analysis.mode, confidence: analysis.confidence }, 'investigation completed');
}

/** Passes chunks through unchanged while publishing them for live viewers. */
function publishToBus(stream: AnalysisStream, bus: AnalysisBus, incidentId: string): AnalysisStream {
  async function* chunks(): AsyncGenerator<string> {
    for await (const chunk of stream.chunks) {
      bus.publish(incidentId, { type: 'chunk', text: chunk });
      yield chunk;
    }
  }
  return { chunks: chunks(), done: stream.done };
}
