/**
 * Where an incident's Slack thread lives. The Postgres implementation reads and
 * writes these columns of `incidents`: slack_channel, slack_parent_ts, slack_reply_ts,
 * slack_permalink, slack_error (plus group_key for `findRecentThread`).
 *
 * Invariant: `saveParent` is called right after the parent message is posted and
 * before anything is streamed, so a job retried after a crash finds the thread and
 * does not post a second parent.
 *
 * Slack has no idempotency key, so a crash between Slack accepting the parent and
 * `saveParent` would still leave a parent the store does not know. `saveIntent` writes
 * slack_channel alone (slack_parent_ts stays NULL) before the post; a retry that finds
 * an intent looks for the parent in the channel's history by its metadata instead of
 * posting again.
 */
export type SlackThread = {
  incidentId: string;
  /** Channel ID as Slack returned it. */
  channel: string;
  parentTs: string;
  /** The reply carrying the analysis; null until posted. */
  replyTs: string | null;
  permalink: string | null;
};

export type SlackThreadStore = {
  get(incidentId: string): Promise<SlackThread | null>;
  /** Sets slack_channel and slack_parent_ts; clears slack_error. */
  saveParent(incidentId: string, channel: string, parentTs: string): Promise<void>;
  /** Sets slack_channel (an ID when known) while slack_parent_ts is still NULL: a parent post is about to be tried. */
  saveIntent(incidentId: string, channel: string): Promise<void>;
  /** The channel of an earlier `saveIntent` whose parent was never saved, or null. */
  getIntent(incidentId: string): Promise<string | null>;
  /** Sets slack_reply_ts and slack_permalink. */
  saveReply(incidentId: string, replyTs: string, permalink: string | null): Promise<void>;
  /** Sets slack_error (null clears it). */
  saveError(incidentId: string, message: string | null): Promise<void>;
  /**
   * The thread of the most recent other incident with this group key whose parent
   * was posted at or after `sinceMs` (epoch ms). A Slack ts is epoch seconds, so SQL
   * can compare `slack_parent_ts::numeric * 1000 >= $since` with no extra column:
   *   SELECT … FROM incidents WHERE group_key = $1 AND id <> $3
   *     AND slack_parent_ts IS NOT NULL AND slack_parent_ts::numeric * 1000 >= $2
   *   ORDER BY slack_parent_ts::numeric DESC LIMIT 1
   */
  findRecentThread(groupKey: string, sinceMs: number, excludeIncidentId: string): Promise<SlackThread | null>;
};

/** Slack's message ts ("1712345678.000100") as epoch milliseconds. */
export function slackTsToMs(ts: string): number {
  return Math.round(Number(ts) * 1000);
}
