-- Monitoring (issue 13): targets, per-location schedule, raw probes in monthly partitions, rollups, incidents,
-- maintenance windows. Dashboards and figures read rollups and incidents, never raw probes.

CREATE TABLE monitoring_targets (
  id bigserial PRIMARY KEY,
  procedure_id bigint NOT NULL REFERENCES procedures(id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('start', 'step', 'declaration')),
  url text NOT NULL CHECK (length(url) <= 2000),
  label text NOT NULL DEFAULT '' CHECK (length(label) <= 200),
  interval_seconds int NOT NULL DEFAULT 300 CHECK (interval_seconds BETWEEN 60 AND 86400),
  expected_status int NOT NULL DEFAULT 200 CHECK (expected_status BETWEEN 100 AND 599),
  expected_text text CHECK (length(expected_text) <= 500),
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  -- Start of the monitored time (uptime counts from here).
  monitored_since timestamptz NOT NULL DEFAULT now(),
  cert_expires_at timestamptz,
  cert_warned_for timestamptz,
  UNIQUE (procedure_id, url)
);
CREATE INDEX monitoring_targets_procedure ON monitoring_targets (procedure_id);

-- Probe workers, by location (`vigie probe-worker --location NAME`); last_seen_at is their heartbeat.
CREATE TABLE monitoring_locations (
  name text PRIMARY KEY CHECK (name ~ '^[a-z0-9][a-z0-9_-]{0,39}$'),
  last_seen_at timestamptz NOT NULL DEFAULT now()
);

-- One row per target and location: when it is due, and this location's view of the target.
CREATE TABLE monitoring_schedule (
  target_id bigint NOT NULL REFERENCES monitoring_targets(id) ON DELETE CASCADE,
  location text NOT NULL REFERENCES monitoring_locations(name) ON DELETE CASCADE,
  next_due timestamptz NOT NULL,
  failures int NOT NULL DEFAULT 0,
  successes int NOT NULL DEFAULT 0,
  down boolean NOT NULL DEFAULT false,
  first_failure_at timestamptz,
  first_success_at timestamptz,
  last_error_class text,
  last_probed_at timestamptz,
  PRIMARY KEY (target_id, location)
);
CREATE INDEX monitoring_schedule_due ON monitoring_schedule (location, next_due);

CREATE TABLE monitoring_probes (
  target_id bigint NOT NULL,
  location text NOT NULL,
  probed_at timestamptz NOT NULL,
  ok boolean NOT NULL,
  -- A failure confirmed by a second attempt (the second attempt's result is the one recorded).
  retried boolean NOT NULL DEFAULT false,
  status int,
  dns_ms real, connect_ms real, tls_ms real, first_byte_ms real, total_ms real,
  bytes bigint,
  redirects text[],
  cert_expires_at timestamptz,
  error_class text,
  error_message text,
  -- Scheduling drift: how late the probe started after it was due.
  drift_ms real
) PARTITION BY RANGE (probed_at);
CREATE TABLE monitoring_probes_default PARTITION OF monitoring_probes DEFAULT;
CREATE INDEX monitoring_probes_target ON monitoring_probes (target_id, probed_at);

CREATE OR REPLACE FUNCTION monitoring_ensure_month(month date) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
  start date := date_trunc('month', month)::date;
  name text := 'monitoring_probes_' || to_char(start, 'YYYY_MM');
BEGIN
  IF to_regclass(name) IS NOT NULL THEN RETURN false; END IF;
  EXECUTE format('CREATE TABLE %I PARTITION OF monitoring_probes FOR VALUES FROM (%L) TO (%L)', name, start, (start + interval '1 month')::date);
  RETURN true;
END $$;

-- Rollups kept in the probe's transaction: per target, hour and location.
CREATE TABLE monitoring_rollups_hourly (
  target_id bigint NOT NULL,
  hour timestamptz NOT NULL,
  probes int NOT NULL,
  failures int NOT NULL,
  total_ms_sum double precision NOT NULL,
  total_ms_max real NOT NULL,
  PRIMARY KEY (target_id, hour)
);
CREATE TABLE monitoring_rollups_daily (
  target_id bigint NOT NULL,
  day date NOT NULL,
  probes int NOT NULL,
  failures int NOT NULL,
  total_ms_sum double precision NOT NULL,
  total_ms_max real NOT NULL,
  PRIMARY KEY (target_id, day)
);

CREATE TABLE monitoring_incidents (
  id bigserial PRIMARY KEY,
  target_id bigint NOT NULL REFERENCES monitoring_targets(id) ON DELETE CASCADE,
  started_at timestamptz NOT NULL,
  ended_at timestamptz,
  cause text NOT NULL,
  cause_message text,
  locations text[] NOT NULL DEFAULT '{}',
  mailed_open boolean NOT NULL DEFAULT false,
  mailed_close boolean NOT NULL DEFAULT false
);
CREATE UNIQUE INDEX monitoring_incidents_one_open ON monitoring_incidents (target_id) WHERE ended_at IS NULL;
CREATE INDEX monitoring_incidents_target ON monitoring_incidents (target_id, started_at);

-- Maintenance windows of a procedure (all its targets): one-off, or repeated every day / week from the first one.
CREATE TABLE monitoring_maintenance (
  id bigserial PRIMARY KEY,
  procedure_id bigint NOT NULL REFERENCES procedures(id) ON DELETE CASCADE,
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL CHECK (ends_at > starts_at),
  recurrence text NOT NULL DEFAULT 'none' CHECK (recurrence IN ('none', 'daily', 'weekly')),
  label text NOT NULL DEFAULT '' CHECK (length(label) <= 200),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX monitoring_maintenance_procedure ON monitoring_maintenance (procedure_id);
