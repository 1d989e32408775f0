import type { SlackMessage } from './slack-message.js';

export type SlackReaction = { name: string; users: string[]; count: number };
export type SlackReply = { ts: string; user: string | null; botId: string | null; text: string; threadTs: string | null };
/** Slack message metadata: an app-defined event type and a small JSON payload kept with the message. */
export type SlackMetadata = { eventType: string; payload: Record<string, string | number | boolean> };
export type SlackHistoryMessage = { ts: string; threadTs: string | null; metadata: SlackMetadata | null };
export type SlackHistoryPage = { messages: SlackHistoryMessage[]; nextCursor: string | null };

/**
 * The Slack Web API as k8flex uses it. Every method rejects with a SlackCallError;
 * rate-limited calls reject at once (with `retryAfterMs`) instead of pausing, so the
 * caller decides whether to wait, skip or retry.
 */
export type SlackClient = {
  /** Posts a message (a thread reply when `threadTs` is set); `channel` in the result is the channel ID. */
  postMessage(args: { channel: string; message: SlackMessage; threadTs?: string; metadata?: SlackMetadata }): Promise<{ channel: string; ts: string }>;
  update(args: { channel: string; ts: string; message: SlackMessage }): Promise<void>;
  getPermalink(args: { channel: string; ts: string }): Promise<string>;
  /** Reactions on one message (reactions.get, `full`). */
  getReactions(args: { channel: string; ts: string }): Promise<SlackReaction[]>;
  /** The thread under `ts`, parent first (conversations.replies). */
  getReplies(args: { channel: string; ts: string; oldest?: string }): Promise<SlackReply[]>;
  /**
   * One page of a channel's top-level messages after `oldest`, newest first, with their
   * metadata (conversations.history, `include_all_metadata`). `channel` must be an ID.
   */
  getHistory(args: { channel: string; oldest: string; limit: number; cursor?: string }): Promise<SlackHistoryPage>;
  authTest(): Promise<{ teamId: string | null; userId: string | null; botId: string | null; url: string | null }>;
};
