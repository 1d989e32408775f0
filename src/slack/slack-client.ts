import type { SlackMessage } from './slack-message.js';

export type SlackReaction = { name: string; users: string[]; count: number };
export type SlackReply = { ts: string; user: string | null; botId: string | null; text: string; threadTs: string | null };

/**
 * The Slack Web API as k8flex uses it. Every method rejects with a SlackCallError;
 * rate-limited calls reject at once (with `retryAfterMs`) instead of pausing, so the
 * caller decides whether to wait, skip or retry.
 */
export type SlackClient = {
  /** Posts a message (a thread reply when `threadTs` is set); `channel` in the result is the channel ID. */
  postMessage(args: { channel: string; message: SlackMessage; threadTs?: string }): Promise<{ channel: string; ts: string }>;
  update(args: { channel: string; ts: string; message: SlackMessage }): Promise<void>;
  getPermalink(args: { channel: string; ts: string }): Promise<string>;
  /** Reactions on one message (reactions.get, `full`). */
  getReactions(args: { channel: string; ts: string }): Promise<SlackReaction[]>;
  /** The thread under `ts`, parent first (conversations.replies). */
  getReplies(args: { channel: string; ts: string; oldest?: string }): Promise<SlackReply[]>;
  authTest(): Promise<{ teamId: string | null; userId: string | null; botId: string | null; url: string | null }>;
};
