-- What public pages show, as one counter: every statement that changes a table the public observatoire pages and the
-- public API read bumps it in its own transaction (so the new value is seen exactly when the change is). Each Vigie
-- server compares it with the value it last saw (at most once a second, cache/public-cache.ts) and drops its
-- in-memory caches of public answers and pages when it moved: several servers on one database agree within a second.
-- A module adding a table that public pages read adds the same trigger to it:
--   CREATE TRIGGER <table>_public_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON <table>
--     FOR EACH STATEMENT EXECUTE FUNCTION obs_bump_public_version();
CREATE TABLE obs_public_version (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  version bigint NOT NULL DEFAULT 0
);
INSERT INTO obs_public_version DEFAULT VALUES;

-- Per statement, not per row: publishing an edition (thousands of rows) bumps a handful of times, not thousands.
CREATE FUNCTION obs_bump_public_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE obs_public_version SET version = version + 1;
  RETURN NULL;
END $$;

CREATE TRIGGER obs_editions_public_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON obs_editions
  FOR EACH STATEMENT EXECUTE FUNCTION obs_bump_public_version();
CREATE TRIGGER obs_edition_procedures_public_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON obs_edition_procedures
  FOR EACH STATEMENT EXECUTE FUNCTION obs_bump_public_version();
CREATE TRIGGER obs_edition_values_public_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON obs_edition_values
  FOR EACH STATEMENT EXECUTE FUNCTION obs_bump_public_version();
CREATE TRIGGER obs_edition_revisions_public_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON obs_edition_revisions
  FOR EACH STATEMENT EXECUTE FUNCTION obs_bump_public_version();
CREATE TRIGGER obs_rule_sets_public_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON obs_rule_sets
  FOR EACH STATEMENT EXECUTE FUNCTION obs_bump_public_version();
CREATE TRIGGER obs_indicators_public_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON obs_indicators
  FOR EACH STATEMENT EXECUTE FUNCTION obs_bump_public_version();
CREATE TRIGGER obs_goals_public_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON obs_goals
  FOR EACH STATEMENT EXECUTE FUNCTION obs_bump_public_version();
-- The procedure page of the observatoire links to the catalogue's current address and help channels.
CREATE TRIGGER procedures_public_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON procedures
  FOR EACH STATEMENT EXECUTE FUNCTION obs_bump_public_version();
