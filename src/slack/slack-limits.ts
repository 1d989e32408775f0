/**
 * Slack's published message limits (docs.slack.dev, "Block Kit" and "chat.postMessage").
 * Formatting stays a little under each so escaping and markers never tip a message over.
 */
export const SLACK_LIMITS = {
  /** Blocks in one message. */
  maxBlocks: 50,
  /** Characters in one section block's text. */
  maxSectionChars: 3000,
  /** Characters in one section field. */
  maxFieldChars: 2000,
  /** Characters in a header block's plain text. */
  maxHeaderChars: 150,
  /** Characters of text in one message, blocks included. */
  maxMessageChars: 40_000,
  /** Kept short on purpose: the top-level `text` is what notifications show. */
  maxFallbackChars: 300,
} as const;

export type SlackLimits = { maxBlocks: number; maxSectionChars: number; maxMessageChars: number };
