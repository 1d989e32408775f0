import type { IncidentSubject } from '../domain/types.js';
import { clip } from './clip.js';
import { escapeMrkdwn, mrkdwnLink } from './escape-mrkdwn.js';
import { formatDuration } from './format-duration.js';
import { SLACK_LIMITS } from './slack-limits.js';
import type { MrkdwnText, SlackBlock, SlackMessage } from './slack-message.js';

/** The state the thread's parent message shows. */
export type ParentStatus =
  | { state: 'firing' }
  | { state: 'firing-again'; at: string }
  | { state: 'resolved'; durationMs: number };

export type ParentMessageInput = {
  subject: IncidentSubject;
  /** The namespace's `k8flex/team` annotation, if any. */
  team: string | null;
  /** The incident in the dashboard (`${PUBLIC_URL}/incidents/<id>`). */
  incidentUrl: string | null;
  status: ParentStatus;
};

const SEVERITY_EMOJI: Record<string, string> = { critical: '🔴', error: '🔴', warning: '🟠', info: '🔵' };

/**
 * The thread's parent message: what fired, where, how bad, and links to its source.
 * Every value that comes from an alert or the cluster is escaped.
 */
export function formatParentMessage(input: ParentMessageInput): SlackMessage {
  const { subject, team, status } = input;
  const severity = subject.severity || 'unknown';
  const icon = status.state === 'resolved' ? '✅' : (SEVERITY_EMOJI[severity.toLowerCase()] ?? '⚪');
  const prefix = status.state === 'resolved' ? 'Resolved: ' : '';
  const where = workloadText(subject);
  const summary = subject.annotations.summary ?? subject.description ?? subject.annotations.description ?? null;

  const fields: MrkdwnText[] = [
    field('Severity', severity),
    field('Namespace / workload', where),
    field('Cluster', subject.cluster || 'unknown'),
  ];
  if (team) fields.push(field('Team', team));

  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(`${icon} ${prefix}${subject.alertname}`, SLACK_LIMITS.maxHeaderChars), emoji: true } },
    { type: 'section', fields },
  ];
  if (summary) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: clip(escapeMrkdwn(summary), SLACK_LIMITS.maxSectionChars) } });
  }
  const links = [
    subject.generatorURL ? mrkdwnLink(subject.generatorURL, 'Source') : null,
    subject.externalURL ? mrkdwnLink(subject.externalURL, 'Alertmanager') : null,
    input.incidentUrl ? mrkdwnLink(input.incidentUrl, 'Incident in k8flex') : null,
  ].filter((l): l is string => l !== null);
  const statusLine = statusText(status);
  const context = [statusLine, ...links].filter((t) => t.length > 0).join(' · ');
  if (context) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: context }], block_id: 'k8flex-status' });

  const fallback = `${icon} ${prefix}${subject.alertname} (${severity}) in ${where}${summary ? ` — ${summary}` : ''}`;
  return { text: clip(escapeMrkdwn(fallback), SLACK_LIMITS.maxFallbackChars), blocks };
}

function statusText(status: ParentStatus): string {
  if (status.state === 'resolved') return `*Resolved* after ${formatDuration(status.durationMs)}`;
  if (status.state === 'firing-again') return `*Firing again* since ${escapeMrkdwn(status.at)}`;
  return '*Firing*';
}

function workloadText(subject: IncidentSubject): string {
  const ns = subject.namespace ?? subject.labels.namespace ?? null;
  const workload = subject.workload ? `${subject.workload.kind.toLowerCase()}/${subject.workload.name}` : null;
  if (ns && workload) return `${ns} / ${workload}`;
  return ns ?? workload ?? 'cluster-wide';
}

function field(name: string, value: string): MrkdwnText {
  return { type: 'mrkdwn', text: clip(`*${name}*\n${escapeMrkdwn(value)}`, SLACK_LIMITS.maxFieldChars) };
}
