import type pg from 'pg';
import type { SlackThread, SlackThreadStore } from '../slack/slack-thread-store.js';

type Row = { id: string; slack_channel: string; slack_parent_ts: string; slack_reply_ts: string | null; slack_permalink: string | null };

const toThread = (r: Row): SlackThread => ({
  incidentId: r.id,
  channel: r.slack_channel,
  parentTs: r.slack_parent_ts,
  replyTs: r.slack_reply_ts,
  permalink: r.slack_permalink,
});

/** Slack thread coordinates stored on the incident row (columns slack_*). */
export function makePgSlackThreadStore(pool: Pick<pg.Pool, 'query'>): SlackThreadStore {
  const columns = 'id, slack_channel, slack_parent_ts, slack_reply_ts, slack_permalink';
  return {
    async get(incidentId) {
      const r = await pool.query<Row>(
        `SELECT ${columns} FROM incidents WHERE id = $1 AND slack_channel IS NOT NULL AND slack_parent_ts IS NOT NULL`,
        [incidentId],
      );
      return r.rows[0] ? toThread(r.rows[0]) : null;
    },
    async saveParent(incidentId, channel, parentTs) {
      await pool.query('UPDATE incidents SET slack_channel = $2, slack_parent_ts = $3, slack_error = NULL WHERE id = $1', [incidentId, channel, parentTs]);
    },
    async saveIntent(incidentId, channel) {
      await pool.query('UPDATE incidents SET slack_channel = $2 WHERE id = $1 AND slack_parent_ts IS NULL', [incidentId, channel]);
    },
    async getIntent(incidentId) {
      const r = await pool.query<{ slack_channel: string }>(
        'SELECT slack_channel FROM incidents WHERE id = $1 AND slack_channel IS NOT NULL AND slack_parent_ts IS NULL',
        [incidentId],
      );
      return r.rows[0]?.slack_channel ?? null;
    },
    async saveReply(incidentId, replyTs, permalink) {
      await pool.query('UPDATE incidents SET slack_reply_ts = $2, slack_permalink = $3 WHERE id = $1', [incidentId, replyTs, permalink]);
    },
    async saveError(incidentId, message) {
      await pool.query('UPDATE incidents SET slack_error = $2 WHERE id = $1', [incidentId, message]);
    },
    async findRecentThread(groupKey, sinceMs, excludeIncidentId) {
      // A Slack ts is epoch seconds with a microsecond suffix, so it compares as a number.
      const r = await pool.query<Row>(
        `SELECT ${columns} FROM incidents
         WHERE group_key = $1 AND id <> $3 AND slack_channel IS NOT NULL AND slack_parent_ts IS NOT NULL
           AND slack_parent_ts::numeric * 1000 >= $2
         ORDER BY slack_parent_ts::numeric DESC LIMIT 1`,
        [groupKey, sinceMs, excludeIncidentId],
      );
      return r.rows[0] ? toThread(r.rows[0]) : null;
    },
  };
}
