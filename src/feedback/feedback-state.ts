import type { Queryable } from '../db/make-pool.js';
import type { Verdict } from './reaction-verdicts.js';
import type { UserVerdicts } from './reconcile-verdicts.js';

/** One analysis message open for feedback (a row of feedback_state). */
export type FeedbackMessage = {
  incidentId: string;
  channel: string;
  messageTs: string;
  threadTs: string | null;
  openUntil: Date;
  reactions: UserVerdicts;
  verdict: Verdict | null;
  verdictBy: string | null;
  correction: string | null;
  acknowledgedAt: Date | null;
  category: string | null;
};

const COLUMNS = `s.incident_id, s.channel, s.message_ts, s.thread_ts, s.open_until, s.reactions, s.verdict, s.verdict_by,
  s.correction, s.acknowledged_at, i.category`;

type Row = {
  incident_id: string;
  channel: string;
  message_ts: string;
  thread_ts: string | null;
  open_until: Date;
  reactions: UserVerdicts;
  verdict: Verdict | null;
  verdict_by: string | null;
  correction: string | null;
  acknowledged_at: Date | null;
  category: string | null;
};

const fromRow = (r: Row): FeedbackMessage => ({
  incidentId: r.incident_id,
  channel: r.channel,
  messageTs: r.message_ts,
  threadTs: r.thread_ts,
  openUntil: r.open_until,
  reactions: r.reactions,
  verdict: r.verdict,
  verdictBy: r.verdict_by,
  correction: r.correction,
  acknowledgedAt: r.acknowledged_at,
  category: r.category,
});

/**
 * Opens every analysis posted to Slack in the last `windowHours` that is not open
 * yet. Reading incidents (not an in-memory list) is what makes a restart lose nothing.
 */
export async function openNewMessages(db: Queryable, now: Date, windowHours: number): Promise<number> {
  const r = await db.query(
    `INSERT INTO feedback_state (incident_id, channel, message_ts, thread_ts, open_until)
     SELECT i.id, i.slack_channel, i.slack_reply_ts, i.slack_parent_ts, i.completed_at + make_interval(hours => $2)
     FROM incidents i
     WHERE i.status = 'completed' AND i.slack_channel IS NOT NULL AND i.slack_reply_ts IS NOT NULL
       AND i.completed_at > $1::timestamptz - make_interval(hours => $2)
     ON CONFLICT DO NOTHING`,
    [now.toISOString(), windowHours],
  );
  return r.rowCount ?? 0;
}

/** Open messages, least recently checked first (never-checked before all). */
export async function dueMessages(db: Queryable, now: Date, limit: number): Promise<FeedbackMessage[]> {
  const r = await db.query<Row>(
    `SELECT ${COLUMNS} FROM feedback_state s JOIN incidents i ON i.id = s.incident_id
     WHERE s.open_until > $1 ORDER BY s.last_checked_at NULLS FIRST, s.open_until LIMIT $2`,
    [now.toISOString(), limit],
  );
  return r.rows.map(fromRow);
}

export async function messageByTs(db: Queryable, channel: string, ts: string): Promise<FeedbackMessage | null> {
  const r = await db.query<Row>(
    `SELECT ${COLUMNS} FROM feedback_state s JOIN incidents i ON i.id = s.incident_id
     WHERE s.channel = $1 AND (s.message_ts = $2 OR s.thread_ts = $2) LIMIT 1`,
    [channel, ts],
  );
  const row = r.rows[0];
  return row ? fromRow(row) : null;
}

export async function lockMessage(db: Queryable, incidentId: string): Promise<FeedbackMessage | null> {
  const r = await db.query<Row>(
    `SELECT ${COLUMNS} FROM feedback_state s JOIN incidents i ON i.id = s.incident_id WHERE s.incident_id = $1 FOR UPDATE OF s`,
    [incidentId],
  );
  const row = r.rows[0];
  return row ? fromRow(row) : null;
}

export async function markChecked(db: Queryable, incidentId: string, now: Date): Promise<void> {
  await db.query('UPDATE feedback_state SET last_checked_at = $2 WHERE incident_id = $1', [incidentId, now.toISOString()]);
}
