-- Rollouts the watcher tracked (src/rollouts): one row per change of a Deployment's
-- pod template, keyed by (cluster, namespace, deployment, generation). Failed
-- rollouts link to the incident they opened; rollouts suppressed by the rate limits
-- keep a note instead. Env values are never stored, only what changed.

CREATE TABLE rollouts (
  id              bigserial PRIMARY KEY,
  cluster         text NOT NULL,
  namespace       text NOT NULL,
  deployment      text NOT NULL,
  generation      bigint NOT NULL,
  status          text NOT NULL CHECK (status IN ('PENDING', 'ROLLING_OUT', 'SUCCESS', 'FAILED')),
  -- deployment.kubernetes.io/revision of the new ReplicaSet
  revision        text,
  template_hash   text NOT NULL,
  images_before   jsonb NOT NULL DEFAULT '[]',
  images_after    jsonb NOT NULL DEFAULT '[]',
  -- describeRolloutChange: { kinds, lines, summary }
  change          jsonb NOT NULL DEFAULT '{}',
  reason          text,
  message         text,
  -- From the namespace's annotations: k8flex/slack-channel, k8flex/team, other k8flex/* keys.
  slack_channel   text,
  team            text,
  namespace_meta  jsonb NOT NULL DEFAULT '{}',
  incident_id     uuid REFERENCES incidents (id) ON DELETE SET NULL,
  suppressed      boolean NOT NULL DEFAULT false,
  note            text,
  started_at      timestamptz NOT NULL,
  completed_at    timestamptz,
  failed_at       timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (cluster, namespace, deployment, generation)
);
CREATE INDEX rollouts_created_at ON rollouts (created_at DESC);
CREATE INDEX rollouts_workload ON rollouts (cluster, namespace, deployment, started_at DESC);
-- The rate limits count investigations opened in the last hour.
CREATE INDEX rollouts_opened ON rollouts (cluster, failed_at) WHERE incident_id IS NOT NULL;
