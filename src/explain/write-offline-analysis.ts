import type { Analysis } from '../domain/analysis.js';
import type { ExplainInput } from '../pipeline/stages.js';

/**
 * PLACEHOLDER until the diagnosis issue lands: an analysis assembled from the alert
 * itself. Same signature as the real offline writer.
 */
export function writeOfflineAnalysis(input: ExplainInput): Analysis {
  const { subject, category, findings } = input;
  const top = findings[0];
  const summary = subject.annotations.summary ?? subject.description ?? `${subject.alertname} fired`;
  const rootCause = top ? top.title : 'No analyzer identified a cause from the evidence gathered.';
  const text = [`## Summary`, summary, `## Root cause`, rootCause, `## Category`, category.category].join('\n\n');
  return {
    summary,
    rootCause,
    evidence: top ? top.evidence.map((e) => `${e.line} (${e.source})`) : [],
    impact: subject.annotations.description ?? 'Unknown',
    actions: top ? top.actions : [],
    prevention: [],
    confidence: top ? 'medium' : 'low',
    mode: 'offline',
    text,
    analyzers: findings.map((f) => f.analyzer),
    owner: top?.owner ?? 'application',
    provider: null,
    model: null,
    promptVersion: null,
    degraded: [],
    llm: null,
  };
}
