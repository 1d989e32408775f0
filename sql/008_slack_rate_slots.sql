-- Slack rate budgets shared by every replica (src/slack/make-pg-rate-budget.ts, ADR 0003).
-- A scope is one Slack limit: 'chat.update' for the workspace, 'chat.postMessage:<channel>'
-- per channel, 'reactions.get' and 'conversations.replies' for the feedback poller.
-- slack_rate_slots holds one row per call in the sliding window; slack_rate_pauses the
-- Retry-After that the last 429 asked for, so every replica backs off, not only the one
-- that was answered.

CREATE TABLE slack_rate_slots (
  id      bigserial PRIMARY KEY,
  scope   text NOT NULL,
  slot_at timestamptz NOT NULL
);
CREATE INDEX slack_rate_slots_scope_at ON slack_rate_slots (scope, slot_at);

CREATE TABLE slack_rate_pauses (
  scope        text PRIMARY KEY,
  paused_until timestamptz NOT NULL
);

-- Takes a slot in `p_scope` if fewer than `p_capacity` calls are in the last
-- `p_window_ms` and no pause is running; else returns how long until one could be free.
-- One statement per call. The transaction-scoped advisory lock serialises takers of one
-- scope (a count-then-insert is otherwise racy); it is taken first and every later
-- statement in a plpgsql function gets a fresh snapshot under READ COMMITTED, so the
-- count sees slots that the previous lock holder committed. clock_timestamp(), not now(),
-- because now() is the moment the statement began, before any wait for the lock.
CREATE FUNCTION take_slack_rate_slot(p_scope text, p_capacity int, p_window_ms int)
RETURNS TABLE (slot_id bigint, wait_ms int)
LANGUAGE plpgsql AS $$
DECLARE
  v_now    timestamptz;
  v_since  timestamptz;
  v_paused timestamptz;
  v_count  int;
  v_at     timestamptz;
  v_id     bigint;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('k8flex slack rate ' || p_scope, 0));
  v_now := clock_timestamp();
  v_since := v_now - p_window_ms * interval '1 millisecond';
  DELETE FROM slack_rate_slots WHERE scope = p_scope AND slot_at <= v_since;

  SELECT paused_until INTO v_paused FROM slack_rate_pauses WHERE scope = p_scope;
  IF v_paused > v_now THEN
    RETURN QUERY SELECT NULL::bigint, greatest(1, ceil(extract(epoch FROM v_paused - v_now) * 1000))::int;
    RETURN;
  END IF;

  SELECT count(*) INTO v_count FROM slack_rate_slots WHERE scope = p_scope AND slot_at > v_since;
  IF v_count < p_capacity THEN
    INSERT INTO slack_rate_slots (scope, slot_at) VALUES (p_scope, v_now) RETURNING id INTO v_id;
    RETURN QUERY SELECT v_id, 0;
    RETURN;
  END IF;

  -- Full: a slot frees when the (count - capacity + 1)-th oldest call leaves the window.
  SELECT slot_at INTO v_at FROM slack_rate_slots WHERE scope = p_scope AND slot_at > v_since
    ORDER BY slot_at OFFSET v_count - p_capacity LIMIT 1;
  RETURN QUERY SELECT NULL::bigint, greatest(1, ceil(extract(epoch FROM v_at - v_since) * 1000))::int;
END
$$;
