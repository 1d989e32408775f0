import type { Logger } from '../observability/logger.js';
import type { RateBudget } from './make-rate-budget.js';
import type { SlackCallError } from './slack-call-error.js';
import type { SlackClient } from './slack-client.js';
import type { SlackMessage } from './slack-message.js';
import { slackCalls, slackUpdatesSkipped } from './slack-metrics.js';

export type StreamIntoReplyInput = {
  client: SlackClient;
  budget: RateBudget;
  clock: () => number;
  logger: Logger;
  channel: string;
  ts: string;
  chunks: AsyncIterable<string>;
  /** At most one update per this many ms for this message. */
  intervalMs: number;
  /** When the message last changed (its post), so the first update waits a full interval. */
  lastSentAt: number;
  render: (markdown: string) => SlackMessage;
};

export type StreamIntoReplyResult = { markdown: string; updates: number; skipped: number; error: SlackCallError | null };

/**
 * Drains the analysis stream into one Slack message. Chunks are never held back by
 * Slack: an update is started only when none is in flight, the message's interval has
 * passed, no Retry-After is pending and the workspace budget has a `stream` slot; any
 * other chunk just extends the text the next update (or the completion) carries.
 * A permanent error stops the updates but not the draining.
 */
export async function streamIntoReply(input: StreamIntoReplyInput): Promise<StreamIntoReplyResult> {
  const { client, budget, clock } = input;
  let markdown = '';
  let lastSentAt = input.lastSentAt;
  let lastSentMarkdown = '';
  let blockedUntil = 0;
  let inFlight: Promise<void> | null = null;
  let updates = 0;
  let skipped = 0;
  let error: SlackCallError | null = null;

  /** One update: a budget slot, then chat.update with the text as it is by then. */
  const update = async (): Promise<void> => {
    const { slot } = await budget.take('stream');
    if (!slot) {
      skipped += 1;
      slackUpdatesSkipped.inc();
      return;
    }
    lastSentAt = clock();
    lastSentMarkdown = markdown;
    try {
      await client.update({ channel: input.channel, ts: input.ts, message: input.render(markdown) });
      updates += 1;
      slackCalls.inc({ method: 'chat.update', outcome: 'ok' });
    } catch (caught) {
      const e = caught as SlackCallError;
      slackCalls.inc({ method: 'chat.update', outcome: e.code === 'rate_limited' ? 'rate_limited' : 'error' });
      if (e.retryAfterMs !== null) {
        blockedUntil = clock() + e.retryAfterMs;
        budget.pauseUntil(blockedUntil);
      }
      if (e.permanent) error = e;
      input.logger.debug({ err: e }, 'streaming update to Slack failed; the next update carries the text');
    } finally {
      slot.settled();
    }
  };

  const maybeUpdate = (): void => {
    if (error?.permanent || inFlight || markdown === lastSentMarkdown) return;
    const now = clock();
    if (now - lastSentAt < input.intervalMs || now < blockedUntil) return;
    inFlight = update().finally(() => {
      inFlight = null;
    });
  };

  for await (const chunk of input.chunks) {
    markdown += chunk;
    maybeUpdate();
  }
  await inFlight;
  return { markdown, updates, skipped, error };
}
