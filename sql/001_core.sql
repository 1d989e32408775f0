-- k8flex core schema: alerts, incidents, jobs, analyses.
-- Migrations are applied in file-name order under an advisory lock and never edited
-- once merged; add a new numbered file instead.

CREATE TABLE incidents (
  id                  uuid PRIMARY KEY,
  -- Grouping key (src/intake/incident-key.ts): alerts with the same key while the
  -- incident is open join it instead of opening another.
  group_key           text NOT NULL,
  source              text NOT NULL CHECK (source IN ('alert', 'rollout', 'api', 'dashboard')),
  status              text NOT NULL DEFAULT 'pending'
                      CHECK (status IN ('pending', 'investigating', 'completed', 'failed')),
  cluster             text NOT NULL,
  alertname           text NOT NULL,
  severity            text,
  namespace           text,
  workload_kind       text,
  workload_name       text,
  description         text,
  labels              jsonb NOT NULL DEFAULT '{}',
  annotations         jsonb NOT NULL DEFAULT '{}',
  entities            jsonb NOT NULL DEFAULT '{}',
  generator_url       text,
  external_url        text,
  category            text,
  category_confidence real,
  category_reason     text,
  -- Whether delivery may post to Slack (dashboard investigations do not).
  notify              boolean NOT NULL DEFAULT true,
  idempotency_key     text UNIQUE,
  alert_count         integer NOT NULL DEFAULT 0,
  error               text,
  created_at          timestamptz NOT NULL DEFAULT now(),
  started_at          timestamptz,
  completed_at        timestamptz,
  last_alert_at       timestamptz,
  resolved_at         timestamptz,
  slack_channel       text,
  slack_parent_ts     text,
  slack_reply_ts      text,
  slack_permalink     text,
  slack_error         text
);
-- At most one open (unresolved) incident per key: the arbiter of concurrent intake.
CREATE UNIQUE INDEX incidents_open_group_key ON incidents (group_key) WHERE resolved_at IS NULL;
CREATE INDEX incidents_created_at ON incidents (created_at DESC, id DESC);
CREATE INDEX incidents_group_key ON incidents (group_key, created_at DESC);

CREATE TABLE alerts (
  id                bigserial PRIMARY KEY,
  -- Alertmanager identifies one firing of an alert by fingerprint + startsAt; a
  -- repeat delivery (repeat_interval, retry, HA peer) updates this row.
  fingerprint       text NOT NULL,
  starts_at         timestamptz NOT NULL,
  ends_at           timestamptz,
  status            text NOT NULL CHECK (status IN ('firing', 'resolved')),
  alertname         text NOT NULL,
  namespace         text,
  severity          text,
  labels            jsonb NOT NULL,
  annotations       jsonb NOT NULL DEFAULT '{}',
  generator_url     text,
  receiver          text,
  external_url      text,
  am_group_key      text,
  incident_id       uuid REFERENCES incidents (id) ON DELETE SET NULL,
  receive_count     integer NOT NULL DEFAULT 1,
  first_received_at timestamptz NOT NULL DEFAULT now(),
  last_received_at  timestamptz NOT NULL DEFAULT now(),
  resolved_at       timestamptz,
  UNIQUE (fingerprint, starts_at)
);
CREATE INDEX alerts_incident ON alerts (incident_id);
CREATE INDEX alerts_received ON alerts (last_received_at DESC);

CREATE TABLE jobs (
  id           bigserial PRIMARY KEY,
  incident_id  uuid NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
  -- 'investigate' runs the pipeline; 'resolved' tells the incident's thread it resolved.
  kind         text NOT NULL CHECK (kind IN ('investigate', 'resolved')),
  status       text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
  attempts     integer NOT NULL DEFAULT 0,
  max_attempts integer NOT NULL DEFAULT 5,
  run_at       timestamptz NOT NULL DEFAULT now(),
  -- A claim is owned by lock_token until locked_until; an expired lease means the
  -- worker died and the job may be claimed again.
  lock_token   uuid,
  locked_by    text,
  locked_until timestamptz,
  last_error   text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  completed_at timestamptz,
  UNIQUE (incident_id, kind)
);
CREATE INDEX jobs_runnable ON jobs (run_at) WHERE status = 'queued';
CREATE INDEX jobs_running ON jobs (locked_until) WHERE status = 'running';

CREATE TABLE analyses (
  id             bigserial PRIMARY KEY,
  incident_id    uuid NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
  created_at     timestamptz NOT NULL DEFAULT now(),
  mode           text NOT NULL,
  category       text NOT NULL,
  summary        text NOT NULL,
  root_cause     text NOT NULL,
  confidence     text NOT NULL CHECK (confidence IN ('high', 'medium', 'low')),
  owner          text NOT NULL,
  text           text NOT NULL,
  sections       jsonb NOT NULL,
  findings       jsonb NOT NULL DEFAULT '[]',
  evidence       jsonb NOT NULL DEFAULT '{}',
  similar_cases  jsonb NOT NULL DEFAULT '[]',
  analyzers      jsonb NOT NULL DEFAULT '[]',
  degraded       jsonb NOT NULL DEFAULT '[]',
  provider       text,
  model          text,
  prompt_version text,
  llm_calls      integer NOT NULL DEFAULT 0,
  tokens_in      integer NOT NULL DEFAULT 0,
  tokens_out     integer NOT NULL DEFAULT 0,
  llm_error      text,
  context_chars  integer,
  context_tokens integer
);
CREATE INDEX analyses_incident ON analyses (incident_id, created_at DESC);
