import type { Analysis, Finding } from '../domain/analysis.js';
import type { Category, ConfidenceLevel, IncidentSubject, TriageOwner } from '../domain/types.js';
import { preventionFor } from '../diagnose/prevention.js';
import { rankFindings } from '../diagnose/rank-findings.js';
import type { ExplainInput } from '../pipeline/stages.js';
import { renderAnalysisMarkdown } from './render-analysis-markdown.js';

const MAX_EVIDENCE = 10;
const MAX_ACTIONS = 6;
/** Secondary findings below this are noise next to the root cause. */
const SECONDARY_MIN = 0.6;

const IMPACT: Record<Category, string> = {
  'pod-crash': 'The affected containers keep crashing, so the workload runs with fewer ready replicas (or none) and requests to it may fail.',
  'pod-restart': 'The containers are restarted repeatedly; in-flight requests are dropped at every restart.',
  'pod-pending': 'New pods cannot start, so the workload runs below its desired replica count and cannot scale.',
  'image-pull': 'The new pods never start; if this is a rollout, the old ReplicaSet keeps serving, otherwise the workload has no running pods.',
  'oom-killed': 'The container is killed whenever it reaches its memory limit; requests in flight fail and the pod restarts with back-off.',
  'cpu-throttling': 'Requests are slowed down by CPU throttling: higher latency and possible timeouts, no crashes.',
  'service-down': 'Clients of the service get errors or timeouts.',
  'endpoint-missing': 'The Service has no ready endpoints: every request to it fails.',
  'node-not-ready': 'Pods on the node are not served and will be evicted; the node takes no new pods.',
  'disk-pressure': 'The node evicts pods and rejects new ones while disk is short; writes on the filesystem may fail.',
  'network-policy': 'The traffic the policy blocks fails with timeouts; dependent requests fail.',
  'dns-issues': 'Name lookups fail, so connections to the named services fail.',
  'rollout-failed': 'The new version is not available; the previous ReplicaSet (if any) keeps serving, at reduced capacity if pods were replaced.',
  'job-failed': 'The job\'s work was not done; anything that depends on its output is stale.',
  'storage': 'Pods that need the volume cannot start or cannot write.',
  'config-error': 'The containers cannot be created until the configuration reference is fixed.',
  'unknown': 'The impact could not be determined from the evidence.',
};

function level(top: Finding | undefined, clusterReadable: boolean): ConfidenceLevel {
  if (!top || !clusterReadable) return 'low';
  if (top.confidence >= 0.85) return 'high';
  if (top.confidence >= 0.65) return 'medium';
  return 'low';
}

const PLATFORM_CATEGORIES: ReadonlySet<Category> = new Set<Category>(['node-not-ready', 'disk-pressure', 'dns-issues', 'storage', 'pod-pending']);

function where(subject: IncidentSubject): string {
  const parts = [subject.namespace ? `namespace ${subject.namespace}` : null, subject.workload ? `${subject.workload.kind} ${subject.workload.name}` : null].filter(Boolean);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

/**
 * The analysis written from the findings alone, in the structure the LLM also uses.
 * The top finding is the root cause; when nothing fired, it says so and lists what
 * was read — it never invents a cause.
 */
export function writeOfflineAnalysis(input: ExplainInput): Analysis {
  const { subject, category, evidence } = input;
  const findings = rankFindings(input.findings, category.category);
  const top = findings[0];
  const secondary = findings.slice(1).filter((f) => f.confidence >= SECONDARY_MIN).slice(0, 2);
  const alert = `${subject.alertname}${where(subject)}`;
  const degraded = evidence.clusterReadable ? [] : ['The cluster could not be read; the analysis rests on the alert alone.'];

  let summary: string;
  let rootCause: string;
  let evidenceLines: string[];
  let actions: string[];
  let prevention: string[];
  if (top) {
    summary = `${alert}: ${top.title}`;
    rootCause = [top.title, top.detail, secondary.length > 0 ? `Also observed: ${secondary.map((f) => f.title).join(' ')}` : '']
      .filter(Boolean)
      .join('\n\n');
    evidenceLines = [...top.evidence, ...secondary.flatMap((f) => f.evidence.slice(0, 2))]
      .slice(0, MAX_EVIDENCE)
      .map((e) => `\`${e.line.replace(/`/g, "'")}\` — ${e.source}`);
    actions = [...new Set([...top.actions, ...secondary.flatMap((f) => f.actions.slice(0, 1))])].slice(0, MAX_ACTIONS);
    prevention = preventionFor(top.cause);
  } else {
    const text = subject.annotations.summary ?? subject.description ?? `${subject.alertname} fired`;
    summary = `${alert}: ${text}. No analyzer identified a cause from the evidence gathered.`;
    rootCause = 'Undetermined. None of the deterministic analyzers matched the evidence that was read; the cause needs a human (or an LLM-assisted) look.';
    evidenceLines = [
      ...evidence.items.slice(0, MAX_EVIDENCE).map((i) => `${i.title}${i.error ? ` (could not be read: ${i.error})` : ''} — ${i.source.path}`),
      ...evidence.missing.map((m) => `Not available: ${m}`),
    ];
    if (evidenceLines.length === 0) evidenceLines = ['Nothing beyond the alert itself was read.'];
    const ns = subject.namespace ? `-n ${subject.namespace} ` : '';
    actions = [`kubectl ${ns}get events --sort-by=.lastTimestamp | tail -30`, `kubectl ${ns}get pods -o wide`];
    if (subject.workload && subject.workload.kind !== 'Node') actions.push(`kubectl ${ns}describe ${subject.workload.kind.toLowerCase()} ${subject.workload.name}`);
    prevention = [];
  }
  const confidence = level(top, evidence.clusterReadable);
  const owner: TriageOwner = top?.owner ?? (PLATFORM_CATEGORIES.has(category.category) ? 'platform' : 'application');
  const impactNote = subject.annotations.description && !top ? ` Alert: ${subject.annotations.description}` : '';
  const impact = `${IMPACT[category.category]}${impactNote}`;
  const analyzers = [...new Set(findings.map((f) => f.analyzer))];
  const sections = { summary, rootCause, evidence: evidenceLines, impact, actions, prevention, confidence };
  return {
    ...sections,
    mode: 'offline',
    text: renderAnalysisMarkdown({ ...sections, analyzers, owner, notes: degraded }),
    analyzers,
    owner,
    provider: null,
    model: null,
    promptVersion: null,
    degraded,
    llm: null,
  };
}
