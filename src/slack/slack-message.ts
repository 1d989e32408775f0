/**
 * The subset of Block Kit k8flex writes. Every text is Slack mrkdwn that has already
 * been escaped (see escape-mrkdwn.ts) except `plain_text`, which Slack never parses.
 */
export type MrkdwnText = { type: 'mrkdwn'; text: string };
export type PlainText = { type: 'plain_text'; text: string; emoji?: boolean };

export type SlackBlock =
  | { type: 'header'; text: PlainText; block_id?: string }
  | { type: 'section'; text: MrkdwnText; fields?: MrkdwnText[]; block_id?: string }
  | { type: 'section'; fields: MrkdwnText[]; block_id?: string }
  | { type: 'context'; elements: MrkdwnText[]; block_id?: string }
  | { type: 'divider'; block_id?: string };

/** One Slack message: `text` is the notification fallback, `blocks` what people see. */
export type SlackMessage = { text: string; blocks: SlackBlock[] };
