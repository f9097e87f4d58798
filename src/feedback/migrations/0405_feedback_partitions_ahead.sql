-- Monthly partitions of feedback_answers kept ahead by the job `feedback.partitions` (storage/partitions.ts).
-- How many months after the current one must exist: data, not code.
INSERT INTO app_settings (key, value) VALUES ('feedback_partitions_ahead', '3') ON CONFLICT (key) DO NOTHING;

-- feedback_ensure_month now also handles rows already sitting in the default partition for that month (PostgreSQL
-- refuses to create a partition whose rows are in the default one): they are moved into the new partition in the
-- caller's transaction. Returns NULL when the partition already existed, otherwise how many rows were moved.
DROP FUNCTION feedback_ensure_month(date);
CREATE FUNCTION feedback_ensure_month(month date) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  start date := date_trunc('month', month)::date;
  stop date := (date_trunc('month', month) + interval '1 month')::date;
  name text := 'feedback_answers_' || to_char(start, 'YYYY_MM');
  moved bigint;
BEGIN
  IF to_regclass(name) IS NOT NULL THEN
    RETURN NULL;
  END IF;
  -- Writers to the default partition wait until the new partition is attached (the attach takes this lock anyway;
  -- taking it first means no row can slip in between the move and the attach). Another instance doing the same
  -- waits here too, then finds the partition made.
  LOCK TABLE ONLY feedback_answers_default IN ACCESS EXCLUSIVE MODE;
  IF to_regclass(name) IS NOT NULL THEN
    RETURN NULL;
  END IF;
  EXECUTE format('CREATE TABLE %I (LIKE feedback_answers INCLUDING DEFAULTS)', name);
  EXECUTE format(
    'WITH m AS (DELETE FROM feedback_answers_default WHERE day >= %L AND day < %L RETURNING day, review_id, question, sub, option_id)
     INSERT INTO %I (day, review_id, question, sub, option_id) SELECT day, review_id, question, sub, option_id FROM m',
    start, stop, name);
  GET DIAGNOSTICS moved = ROW_COUNT;
  EXECUTE format('ALTER TABLE feedback_answers ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', name, start, stop);
  RETURN moved;
END $$;
