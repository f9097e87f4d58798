-- A month's partition created after probes of that month landed in the default partition (no job ran yet): the rows
-- are moved into the new partition, which is attached afterwards (creating it directly would fail on them).
CREATE OR REPLACE FUNCTION monitoring_ensure_month(month date) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
  start date := date_trunc('month', month)::date;
  stop date := (date_trunc('month', month) + interval '1 month')::date;
  name text := 'monitoring_probes_' || to_char(start, 'YYYY_MM');
BEGIN
  IF to_regclass(name) IS NOT NULL THEN RETURN false; END IF;
  EXECUTE format('CREATE TABLE %I (LIKE monitoring_probes INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', name);
  EXECUTE format('WITH moved AS (DELETE FROM monitoring_probes_default WHERE probed_at >= %L AND probed_at < %L RETURNING *) INSERT INTO %I SELECT * FROM moved', start, stop, name);
  EXECUTE format('ALTER TABLE monitoring_probes ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', name, start, stop);
  RETURN true;
END $$;
