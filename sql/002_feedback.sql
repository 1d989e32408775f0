-- The learning loop's feedback (issue #7): which analyses are open for ✅/❌, the
-- verdict history per incident, and the views people query. No pgvector needed:
-- feedback works without the knowledge base.

-- One row per analysis message posted to Slack while it is open for feedback.
-- The poller reads reactions oldest-checked first, so a restart loses nothing and
-- hundreds of open messages share the reactions.get budget fairly.
CREATE TABLE feedback_state (
  incident_id     uuid PRIMARY KEY REFERENCES incidents (id) ON DELETE CASCADE,
  channel         text NOT NULL,
  -- The analysis message (reactions go on it) and its thread (replies go under it).
  message_ts      text NOT NULL,
  thread_ts       text,
  open_until      timestamptz NOT NULL,
  last_checked_at timestamptz,
  -- Slack user ID → {"verdict": "correct"|"incorrect", "at": ISO time}: each person's
  -- current verdict, so a poll that sees the same reactions records nothing.
  reactions       jsonb NOT NULL DEFAULT '{}',
  -- The incident's current verdict: the most recent one still held by somebody.
  verdict         text CHECK (verdict IN ('correct', 'incorrect')),
  verdict_by      text,
  verdict_at      timestamptz,
  correction      text,
  correction_by   text,
  correction_ts   text,
  acknowledged_at timestamptz,
  UNIQUE (channel, message_ts)
);
CREATE INDEX feedback_state_due ON feedback_state (last_checked_at NULLS FIRST, open_until);

-- Verdict history per incident: one row per person per change of mind.
-- 'withdrawn' means the person removed their ✅/❌ and holds no verdict any more.
CREATE TABLE feedback (
  id          bigserial PRIMARY KEY,
  incident_id uuid NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
  verdict     text NOT NULL CHECK (verdict IN ('correct', 'incorrect', 'withdrawn')),
  -- The Slack reaction name (white_check_mark, x, …) that expressed it.
  reaction    text,
  -- Slack user ID of the person.
  user_name   text NOT NULL,
  source      text NOT NULL CHECK (source IN ('poll', 'events', 'import')),
  correction  text,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX feedback_incident ON feedback (incident_id, created_at);

-- Slack Events API retries carry the same event_id; each is handled once.
CREATE TABLE slack_events_seen (
  event_id    text PRIMARY KEY,
  received_at timestamptz NOT NULL DEFAULT now()
);

-- Analyses still waiting for (or accepting) a ✅/❌.
CREATE VIEW open_feedback AS
SELECT s.incident_id, i.alertname, i.category, i.cluster, i.namespace, s.channel, s.message_ts,
       s.open_until, s.last_checked_at, s.verdict, s.verdict_by, s.verdict_at
FROM feedback_state s
JOIN incidents i ON i.id = s.incident_id
WHERE s.open_until > now();

-- How often analyses were right, by category and alert name, from each incident's
-- current verdict (a changed mind counts once, as its latest verdict).
CREATE VIEW feedback_accuracy AS
SELECT coalesce(i.category, 'uncategorized') AS category,
       i.alertname,
       count(*) FILTER (WHERE s.verdict = 'correct')   AS correct,
       count(*) FILTER (WHERE s.verdict = 'incorrect') AS incorrect,
       round(count(*) FILTER (WHERE s.verdict = 'correct')::numeric / nullif(count(*), 0), 3) AS accuracy
FROM feedback_state s
JOIN incidents i ON i.id = s.incident_id
WHERE s.verdict IS NOT NULL
GROUP BY 1, 2;
