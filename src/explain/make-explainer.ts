import type { Analysis } from '../domain/analysis.js';
import type { LlmClient } from '../llm/llm-client.js';
import type { LlmLimits } from '../llm/llm-config.js';
import { analysesTotal } from '../llm/llm-metrics.js';
import { makeChunkQueue } from '../llm/make-chunk-queue.js';
import { streamLlmAnalysis } from '../llm/stream-llm-analysis.js';
import type { Logger } from '../observability/logger.js';
import { streamOfAnalysis } from '../pipeline/offline-stream.js';
import type { Explain, ExplainInput } from '../pipeline/stages.js';
import { writeOfflineAnalysis } from './write-offline-analysis.js';

/** What is left when even the offline writer throws: the incident must still complete. */
function lastResortAnalysis(input: ExplainInput, error: unknown): Analysis {
  const summary = `${input.subject.alertname} fired; k8flex could not write an analysis.`;
  return {
    summary,
    rootCause: 'Unknown: the analysis could not be written.',
    evidence: [],
    impact: 'Unknown',
    actions: [],
    prevention: [],
    confidence: 'low',
    mode: 'offline',
    text: `## Summary\n\n${summary}\n`,
    analyzers: [],
    owner: 'platform',
    provider: null,
    model: null,
    promptVersion: null,
    degraded: [`analysis failed: ${error instanceof Error ? error.message : String(error)}`],
    llm: null,
  };
}

/**
 * The explain stage: an LLM analysis streamed as it is written when a client is
 * configured, the offline analysis otherwise or when the LLM fails (see
 * stream-llm-analysis.ts). `done` never rejects.
 */
export function makeExplainer(deps: { llm: LlmClient | null; limits: LlmLimits; logger: Logger }): Explain {
  const { llm, limits } = deps;
  return (input, signal) => {
    const logger = deps.logger.child({ component: 'explain', incidentId: input.subject.incidentId });
    let offline: Analysis;
    try {
      offline = writeOfflineAnalysis(input);
    } catch (error) {
      logger.error({ err: error }, 'offline analysis failed');
      return streamOfAnalysis(lastResortAnalysis(input, error));
    }
    if (!llm) {
      analysesTotal.inc({ provider: 'none', outcome: 'offline' });
      return streamOfAnalysis(offline);
    }
    const queue = makeChunkQueue();
    const done = streamLlmAnalysis({ llm, limits, logger, input, offline, push: queue.push, signal })
      .catch((error: unknown) => {
        // Unreachable by design (streamLlmAnalysis catches); kept so `done` cannot reject.
        logger.error({ err: error }, 'LLM analysis crashed');
        queue.push(offline.text);
        return { ...offline, mode: 'llm-fallback' as const, degraded: [...offline.degraded, 'LLM analysis crashed'] };
      })
      .finally(() => queue.close());
    return { chunks: queue.chunks, done };
  };
}
