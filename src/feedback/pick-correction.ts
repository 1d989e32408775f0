import type { SlackReply } from '../slack/slack-client.js';

const ACTUAL_CAUSE = /^\s*(?:the\s+)?actual\s+cause\s*(?:was|is)?\s*[:\-–—]\s*/i;

/**
 * The correction in a thread, pure: a person's reply (bots ignored) after the
 * analysis message. A reply that starts "actual cause: …" wins; otherwise the most
 * recent person's reply. The "actual cause:" prefix is dropped.
 */
export function pickCorrection(replies: SlackReply[], afterTs: string): { text: string; user: string; ts: string } | null {
  const human = replies.filter((r) => r.user && !r.botId && Number(r.ts) > Number(afterTs) && r.text.trim().length > 0);
  const chosen = [...human].reverse().find((r) => ACTUAL_CAUSE.test(r.text)) ?? human[human.length - 1];
  if (!chosen?.user) return null;
  return { text: chosen.text.replace(ACTUAL_CAUSE, '').trim(), user: chosen.user, ts: chosen.ts };
}
