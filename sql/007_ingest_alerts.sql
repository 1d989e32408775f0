-- One Alertmanager delivery stored by one call (src/intake/ingest-webhook.ts), so
-- intake costs one round trip and one implicit transaction whatever the number of
-- alerts. The statements are those intake used to send one by one inside BEGIN …
-- COMMIT (plus storing a new alert straight into its key's open incident); they run
-- in order, each with a fresh snapshot (a VOLATILE function under READ COMMITTED),
-- so concurrent deliveries behave as before, and PL/pgSQL keeps their plans
-- instead of planning them per webhook.
--
-- p_alerts: one object per (fingerprint, startsAt), sorted by fingerprint (the lock
-- order that keeps concurrent deliveries from deadlocking), with the grouping key
-- (src/intake/incident-key.ts) and the fields of an incident it may open.
-- Grouping keys and workloads are computed by the caller; this only stores.

CREATE FUNCTION ingest_alerts(
  p_alerts jsonb,
  p_cluster text,
  p_receiver text,
  p_external_url text,
  p_am_group_key text,
  p_max_attempts integer,
  OUT new_incidents uuid[],
  OUT resolved_incidents uuid[]
) LANGUAGE plpgsql AS $$
DECLARE
  -- Firing alerts not yet in an incident, and their keys (same order).
  unlinked_ids bigint[];
  unlinked_keys text[];
  unlinked_fingerprints text[];
  unlinked_starts timestamptz[];
  -- Incidents whose alert count and last alert time change.
  firing_incidents uuid[];
  -- Incidents that may resolve: one of their alerts is resolved in this delivery.
  touched_by_resolution uuid[];
  -- The incident of each alert this delivery linked (repeated per alert).
  links uuid[];
  later_links uuid[];
BEGIN
  WITH input AS (
    SELECT * FROM jsonb_to_recordset(p_alerts) AS r(fingerprint text, starts_at timestamptz, ends_at timestamptz,
         status text, alertname text, namespace text, severity text, labels jsonb, annotations jsonb,
         generator_url text, group_key text)
  ), open_incident AS (
    SELECT o.group_key, o.id FROM incidents o
    WHERE o.resolved_at IS NULL AND o.group_key IN (SELECT group_key FROM input WHERE status = 'firing')
  ), upserted AS (
    -- A new firing alert whose key has an open incident is stored in it at once (one
    -- write instead of an insert and an update). The others, and existing rows, are
    -- linked below.
    INSERT INTO alerts (fingerprint, starts_at, ends_at, status, alertname, namespace, severity, labels,
                        annotations, generator_url, receiver, external_url, am_group_key, resolved_at, incident_id)
    SELECT r.fingerprint, r.starts_at, r.ends_at, r.status, r.alertname, r.namespace, r.severity, r.labels,
           r.annotations, r.generator_url, p_receiver, p_external_url, p_am_group_key,
           CASE WHEN r.status = 'resolved' THEN now() END,
           CASE WHEN r.status = 'firing' THEN o.id END
    FROM input r LEFT JOIN open_incident o USING (group_key)
    ON CONFLICT (fingerprint, starts_at) DO UPDATE SET
      -- resolved is final for one firing: a late or stale 'firing' from an HA peer does not reopen it
      status = CASE WHEN alerts.status = 'resolved' THEN 'resolved' ELSE EXCLUDED.status END,
      ends_at = COALESCE(EXCLUDED.ends_at, alerts.ends_at),
      annotations = EXCLUDED.annotations,
      resolved_at = COALESCE(alerts.resolved_at, EXCLUDED.resolved_at),
      receive_count = alerts.receive_count + 1,
      last_received_at = now()
    RETURNING id, fingerprint, starts_at, status, incident_id, receive_count
  )
  SELECT array_agg(u.id ORDER BY u.fingerprint) FILTER (WHERE u.status = 'firing' AND u.incident_id IS NULL),
         array_agg(i.group_key ORDER BY u.fingerprint) FILTER (WHERE u.status = 'firing' AND u.incident_id IS NULL),
         array_agg(u.fingerprint ORDER BY u.fingerprint) FILTER (WHERE u.status = 'firing' AND u.incident_id IS NULL),
         array_agg(u.starts_at ORDER BY u.fingerprint) FILTER (WHERE u.status = 'firing' AND u.incident_id IS NULL),
         array_agg(DISTINCT u.incident_id) FILTER (WHERE u.status = 'firing' AND u.incident_id IS NOT NULL),
         array_agg(DISTINCT u.incident_id) FILTER (WHERE u.status = 'resolved' AND u.incident_id IS NOT NULL),
         -- receive_count 1: inserted now, so its incident_id was set by this statement
         array_agg(u.incident_id) FILTER (WHERE u.receive_count = 1 AND u.incident_id IS NOT NULL)
    INTO unlinked_ids, unlinked_keys, unlinked_fingerprints, unlinked_starts, firing_incidents, touched_by_resolution,
         links
  FROM upserted u JOIN input i USING (fingerprint, starts_at);

  IF unlinked_ids IS NOT NULL THEN
    -- One candidate per key (its first unlinked alert); the partial unique index is
    -- the arbiter when another delivery opens the same key concurrently.
    WITH candidates AS (
      SELECT DISTINCT ON (r.group_key) r.*
      FROM jsonb_to_recordset(p_alerts) AS r(fingerprint text, starts_at timestamptz, alertname text,
           namespace text, severity text, labels jsonb, annotations jsonb, generator_url text, group_key text,
           workload_kind text, workload_name text, description text)
      JOIN unnest(unlinked_fingerprints, unlinked_starts) AS u(fingerprint, starts_at) USING (fingerprint, starts_at)
      ORDER BY r.group_key, r.fingerprint
    ), inserted AS (
      INSERT INTO incidents (id, group_key, source, cluster, alertname, severity, namespace, workload_kind,
                             workload_name, description, labels, annotations, generator_url, external_url, last_alert_at)
      SELECT gen_random_uuid(), c.group_key, 'alert', p_cluster, c.alertname, c.severity, c.namespace,
             c.workload_kind, c.workload_name, c.description, c.labels, c.annotations, c.generator_url,
             NULLIF(p_external_url, ''), now()
      FROM candidates c
      ORDER BY c.group_key
      ON CONFLICT (group_key) WHERE resolved_at IS NULL DO NOTHING
      RETURNING id
    )
    SELECT array_agg(id) INTO new_incidents FROM inserted;

    IF new_incidents IS NOT NULL THEN
      INSERT INTO jobs (incident_id, kind, max_attempts)
      SELECT unnest(new_incidents), 'investigate', p_max_attempts
      ON CONFLICT (incident_id, kind) DO NOTHING;
    END IF;

    -- A fresh snapshot: also sees an incident another delivery opened and committed
    -- for the same key after this one started.
    WITH linked AS (
      UPDATE alerts a SET incident_id = i.id
      FROM unnest(unlinked_ids, unlinked_keys) AS u(id, group_key)
      JOIN incidents i ON i.group_key = u.group_key AND i.resolved_at IS NULL
      WHERE a.id = u.id AND a.incident_id IS NULL
      RETURNING i.id
    )
    SELECT array_agg(id) INTO later_links FROM linked;
    links := COALESCE(links, '{}') || COALESCE(later_links, '{}');
    firing_incidents := COALESCE(firing_incidents, '{}') || COALESCE(later_links, '{}');
  END IF;

  -- alert_count is the number of alerts linked to the incident; alerts are only
  -- linked here and moved by attachAlertsToRollout, which counts again. Adding what
  -- this delivery linked keeps intake from counting a storm's thousands of alerts
  -- on every webhook.
  IF cardinality(firing_incidents) > 0 THEN
    UPDATE incidents i SET last_alert_at = now(),
           alert_count = i.alert_count + (SELECT count(*) FROM unnest(links) AS l(id) WHERE l.id = i.id)
    WHERE i.id = ANY(firing_incidents);
  END IF;

  IF touched_by_resolution IS NOT NULL THEN
    -- Two deliveries resolving different alerts of one incident at once would each
    -- see the other's alerts still firing and neither resolve it. Under the row lock
    -- the check below runs after the other has committed, so the later one resolves.
    PERFORM 1 FROM incidents WHERE id = ANY(touched_by_resolution) ORDER BY id FOR UPDATE;
    WITH resolved AS (
      UPDATE incidents i SET resolved_at = now()
      WHERE i.id = ANY(touched_by_resolution) AND i.resolved_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM alerts a WHERE a.incident_id = i.id AND a.status = 'firing')
      RETURNING id
    )
    SELECT array_agg(id) INTO resolved_incidents FROM resolved;

    IF resolved_incidents IS NOT NULL THEN
      INSERT INTO jobs (incident_id, kind, max_attempts)
      SELECT unnest(resolved_incidents), 'resolved', p_max_attempts
      ON CONFLICT (incident_id, kind) DO NOTHING;
    END IF;
  END IF;

  new_incidents := COALESCE(new_incidents, '{}');
  resolved_incidents := COALESCE(resolved_incidents, '{}');
END;
$$;
