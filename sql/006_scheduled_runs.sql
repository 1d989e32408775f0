-- The last cron slot each piece of scheduled work (src/jobs/schedule.ts) ran for, on
-- any replica. The advisory lock only keeps ticks from overlapping; a replica whose
-- timer fires after another replica finished the same slot finds it here and skips,
-- so each slot runs once across replicas. A slot is the nominal cron time, which is
-- the same on every replica whatever their clock skew.

CREATE TABLE scheduled_runs (
  name      text PRIMARY KEY,
  last_slot timestamptz NOT NULL
);
