import type { Finding } from '../domain/analysis.js';

/** What a case's embedding is computed from: the same for a stored case and a new incident. */
export type CaseTextInput = {
  alertname: string;
  category: string;
  namespace: string | null;
  workload: string | null;
  findings: Pick<Finding, 'cause' | 'title' | 'evidence'>[];
};

/** Decisive evidence lines per finding, and findings in all: enough to say what happened, short enough to embed. */
const MAX_FINDINGS = 4;
const MAX_LINES_PER_FINDING = 4;

/**
 * The text a case is embedded from: alert, category, workload, the analyzers' causes
 * and their decisive evidence lines, with the names that differ between repeats of
 * the same incident (pod hashes, ordinals, IPs, UIDs, timestamps) replaced by
 * placeholders, so a repeat with new pod names embeds like the original.
 */
export function caseText(input: CaseTextInput): string {
  const lines = [
    `alert ${input.alertname}`,
    `category ${input.category}`,
    input.workload ? `workload ${input.workload}` : null,
    ...input.findings.slice(0, MAX_FINDINGS).flatMap((f) => [
      `cause ${f.cause}`,
      f.title,
      ...f.evidence.slice(0, MAX_LINES_PER_FINDING).map((e) => e.line),
    ]),
  ];
  return lines
    .filter((l): l is string => Boolean(l))
    .map(stripVariableNames)
    .join('\n');
}

/** Replaces the parts of object names and log lines that change from one repeat to the next. */
export function stripVariableNames(line: string): string {
  return line
    .replace(/\b\d{4}-\d{2}-\d{2}[T ][\d:.]+Z?\b/g, '<time>')
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<uid>')
    .replace(/\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b/g, '<ip>')
    // Deployment pods: <name>-<replicaset hash>-<5 chars>.
    .replace(/\b([a-z][a-z0-9]*(?:-[a-z][a-z0-9]*)*)-[a-z0-9]{6,10}-[a-z0-9]{5}\b/g, '$1-<pod>')
    // DaemonSet / Job pods: <name>-<5 chars with a digit>.
    .replace(/\b([a-z][a-z0-9]*(?:-[a-z][a-z0-9]*)*)-(?=[a-z]*\d)[a-z0-9]{5}\b/g, '$1-<pod>')
    // StatefulSet ordinals.
    .replace(/\b([a-z][a-z0-9]*(?:-[a-z][a-z0-9]*)*)-\d{1,3}\b/g, '$1-<n>')
    .replace(/\b[0-9a-f]{12,}\b/g, '<hex>');
}
