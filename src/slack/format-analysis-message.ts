import type { Analysis, SimilarCase } from '../domain/analysis.js';
import { clip } from './clip.js';
import { escapeMrkdwn, mrkdwnLink } from './escape-mrkdwn.js';
import { SLACK_LIMITS, type SlackLimits } from './slack-limits.js';
import type { SlackBlock, SlackMessage } from './slack-message.js';
import { splitForSlack } from './split-for-slack.js';
import { toSlackMrkdwn } from './to-slack-mrkdwn.js';

export const PROGRESS_MARKER = '⏳ Analysing… this message updates as the analysis is written.';
export const COMPLETION_MARKER = '✅ Analysis complete';
export const FEEDBACK_INSTRUCTIONS = 'React ✅ if this is right, ❌ if not — reply in the thread with the actual cause';

export type AnalysisMessageInput = {
  /** The markdown written so far (all of it once complete). */
  markdown: string;
  /** Null while streaming; the finished analysis once complete. */
  analysis: Pick<Analysis, 'confidence' | 'mode' | 'degraded'> | null;
  similar: SimilarCase[];
  incidentUrl: string | null;
  limits?: SlackLimits;
};

const MAX_SIMILAR = 5;

/**
 * The thread reply carrying the analysis: the body as mrkdwn sections, then either the
 * progress marker (streaming) or the completion marker, confidence, similar cases and
 * feedback instructions (complete). Stays within Slack's block, section and message
 * limits: what does not fit is cut, with a link to the full text in the dashboard.
 */
export function formatAnalysisMessage(input: AnalysisMessageInput): SlackMessage {
  const limits = input.limits ?? SLACK_LIMITS;
  const footer = input.analysis ? completeFooter(input) : progressFooter();
  const footerChars = footer.reduce((n, b) => n + blockChars(b), 0);
  const header: SlackBlock = { type: 'context', elements: [{ type: 'mrkdwn', text: '🔎 *k8flex analysis*' }] };

  const pieces = splitForSlack(toSlackMrkdwn(input.markdown.trim()), limits.maxSectionChars);
  // One block is kept back for the truncation notice, so it always fits.
  const blockRoom = limits.maxBlocks - footer.length - 2;
  const charRoom = limits.maxMessageChars - footerChars - blockChars(header) - 400;
  const body: SlackBlock[] = [];
  let used = 0;
  let truncated = false;
  for (const piece of pieces) {
    if (body.length >= blockRoom || used + piece.length > charRoom) {
      truncated = true;
      break;
    }
    body.push({ type: 'section', text: { type: 'mrkdwn', text: piece } });
    used += piece.length;
  }
  if (truncated) {
    const where = input.incidentUrl ? `the full text is in the ${mrkdwnLink(input.incidentUrl, 'dashboard')}` : 'the full text is in the dashboard';
    body.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `✂️ _Shortened to fit Slack (${input.markdown.length} characters in all); ${where}._` }] });
  }
  if (body.length === 0 && !input.analysis) {
    body.push({ type: 'section', text: { type: 'mrkdwn', text: '_Reading the cluster…_' } });
  }

  const first = input.markdown.trim().split('\n').find((l) => l.trim() && !l.startsWith('#')) ?? '';
  const lead = input.analysis ? `${COMPLETION_MARKER} (confidence ${input.analysis.confidence})` : '⏳ Analysing…';
  return {
    text: clip(`${lead}: ${escapeMrkdwn(first.trim())}`, SLACK_LIMITS.maxFallbackChars),
    blocks: [header, ...body, ...footer],
  };
}

function progressFooter(): SlackBlock[] {
  return [{ type: 'context', elements: [{ type: 'mrkdwn', text: PROGRESS_MARKER }], block_id: 'k8flex-progress' }];
}

function completeFooter(input: AnalysisMessageInput): SlackBlock[] {
  const analysis = input.analysis;
  if (!analysis) return [];
  const mode = analysis.mode === 'offline' ? ' · written by the rules engine (no LLM)' : analysis.mode === 'llm-fallback' ? ' · LLM unavailable, written by the rules engine' : '';
  const blocks: SlackBlock[] = [
    { type: 'divider' },
    {
      type: 'section',
      text: { type: 'mrkdwn', text: `*${COMPLETION_MARKER}* · Confidence: *${escapeMrkdwn(analysis.confidence)}*${mode}` },
      block_id: 'k8flex-complete',
    },
  ];
  if (analysis.degraded.length > 0) {
    const notes = analysis.degraded.map((d) => `• ${escapeMrkdwn(d)}`).join('\n');
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: clip(`⚠️ Partial analysis:\n${notes}`, SLACK_LIMITS.maxSectionChars) }] });
  }
  const similar = input.similar.slice(0, MAX_SIMILAR);
  if (similar.length > 0) {
    const lines = similar.map((c) => `• ${similarCaseLine(c)}`);
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: clip(`*Similar past cases*\n${lines.join('\n')}`, SLACK_LIMITS.maxSectionChars) } });
  }
  const full = input.incidentUrl ? ` · ${mrkdwnLink(input.incidentUrl, 'Full analysis')}` : '';
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `${FEEDBACK_INSTRUCTIONS}${full}` }], block_id: 'k8flex-feedback' });
  return blocks;
}

/**
 * "Similar to <link|case>, confirmed by <@U123> on 2026-11-20, similarity 0.91", or for a
 * ❌ case "…, marked incorrect by <@U123> on … — actual cause: <correction>, similarity …".
 * Everything is escaped except the mention, which is built only from a Slack user ID.
 */
export function similarCaseLine(c: SimilarCase): string {
  const label = mrkdwnLink(c.link, `${c.alertname}: ${c.rootCause}`.slice(0, MAX_LABEL_CHARS));
  const by = c.validatedBy ? ` by ${mention(c.validatedBy)}` : '';
  const on = c.validatedAt ? ` on ${escapeMrkdwn(c.validatedAt.slice(0, 10))}` : '';
  const similarity = `similarity ${c.similarity.toFixed(2)}`;
  if (c.verdict === 'correct') return `Similar to ${label}, confirmed${by}${on}, ${similarity}`;
  const actual = c.correction ? ` — actual cause: ${escapeMrkdwn(c.correction.replace(/\s+/g, ' ').trim().slice(0, MAX_CORRECTION_CHARS))}` : '';
  return `Similar to ${label}, marked incorrect${by}${on}${actual}, ${similarity}`;
}

const MAX_LABEL_CHARS = 150;
const MAX_CORRECTION_CHARS = 200;

/** A Slack user ID becomes a mention; anything else (an imported name) stays inert text. */
function mention(user: string): string {
  return /^[UW][A-Z0-9]{2,}$/.test(user) ? `<@${user}>` : escapeMrkdwn(user);
}

function blockChars(block: SlackBlock): number {
  if (block.type === 'section') return (('text' in block ? block.text.text.length : 0) + (block.fields ?? []).reduce((n, f) => n + f.text.length, 0));
  if (block.type === 'context') return block.elements.reduce((n, e) => n + e.text.length, 0);
  if (block.type === 'header') return block.text.text.length;
  return 0;
}
