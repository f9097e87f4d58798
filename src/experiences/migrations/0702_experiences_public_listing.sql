-- The public story lists by design (issue 14: a procedure's page p99 < 50 ms among 1 million stories).
--
-- 1. Counters: how many public stories (published, not refused, with the author's consent) and how many of them
--    answered, per procedure as the story recorded it (with its administration and ministry). The list pages read
--    their totals here instead of counting the stories on every request. Statement-level triggers keep them: one
--    upsert per statement whatever the number of rows (bulk imports included), on both engines.
CREATE TABLE experience_public_counts (
  procedure_id bigint NOT NULL REFERENCES procedures(id),
  administration_id bigint NOT NULL REFERENCES administrations(id),
  ministry_id bigint NOT NULL REFERENCES ministries(id),
  stories integer NOT NULL DEFAULT 0,
  answered integer NOT NULL DEFAULT 0,
  PRIMARY KEY (procedure_id, administration_id, ministry_id)
);
CREATE INDEX experience_public_counts_administration ON experience_public_counts (administration_id);
CREATE INDEX experience_public_counts_ministry ON experience_public_counts (ministry_id);

INSERT INTO experience_public_counts (procedure_id, administration_id, ministry_id, stories, answered)
SELECT procedure_id, administration_id, ministry_id, count(*), count(first_answer_at)
  FROM experiences WHERE published_at IS NOT NULL AND status <> 'refused' AND consent
 GROUP BY procedure_id, administration_id, ministry_id;

-- Each trigger adds +1 for each public row after the statement and -1 for each public row before it.
CREATE FUNCTION experience_public_counts_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO experience_public_counts AS c (procedure_id, administration_id, ministry_id, stories, answered)
  SELECT procedure_id, administration_id, ministry_id, sum(s), sum(n) FROM (
    SELECT procedure_id, administration_id, ministry_id, 1 AS s, (first_answer_at IS NOT NULL)::int AS n FROM new_rows
     WHERE published_at IS NOT NULL AND status <> 'refused' AND consent) d
   GROUP BY 1, 2, 3 HAVING sum(s) <> 0 OR sum(n) <> 0
  ON CONFLICT (procedure_id, administration_id, ministry_id)
  DO UPDATE SET stories = c.stories + EXCLUDED.stories, answered = c.answered + EXCLUDED.answered;
  RETURN NULL;
END $$;

CREATE FUNCTION experience_public_counts_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO experience_public_counts AS c (procedure_id, administration_id, ministry_id, stories, answered)
  SELECT procedure_id, administration_id, ministry_id, sum(s), sum(n) FROM (
    SELECT procedure_id, administration_id, ministry_id, 1 AS s, (first_answer_at IS NOT NULL)::int AS n FROM new_rows
     WHERE published_at IS NOT NULL AND status <> 'refused' AND consent
    UNION ALL
    SELECT procedure_id, administration_id, ministry_id, -1 AS s, -(first_answer_at IS NOT NULL)::int AS n FROM old_rows
     WHERE published_at IS NOT NULL AND status <> 'refused' AND consent) d
   GROUP BY 1, 2, 3 HAVING sum(s) <> 0 OR sum(n) <> 0
  ON CONFLICT (procedure_id, administration_id, ministry_id)
  DO UPDATE SET stories = c.stories + EXCLUDED.stories, answered = c.answered + EXCLUDED.answered;
  RETURN NULL;
END $$;

CREATE FUNCTION experience_public_counts_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO experience_public_counts AS c (procedure_id, administration_id, ministry_id, stories, answered)
  SELECT procedure_id, administration_id, ministry_id, sum(s), sum(n) FROM (
    SELECT procedure_id, administration_id, ministry_id, -1 AS s, -(first_answer_at IS NOT NULL)::int AS n FROM old_rows
     WHERE published_at IS NOT NULL AND status <> 'refused' AND consent) d
   GROUP BY 1, 2, 3 HAVING sum(s) <> 0 OR sum(n) <> 0
  ON CONFLICT (procedure_id, administration_id, ministry_id)
  DO UPDATE SET stories = c.stories + EXCLUDED.stories, answered = c.answered + EXCLUDED.answered;
  RETURN NULL;
END $$;

CREATE TRIGGER experience_public_counts_insert AFTER INSERT ON experiences
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION experience_public_counts_insert();
CREATE TRIGGER experience_public_counts_update AFTER UPDATE ON experiences
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION experience_public_counts_update();
CREATE TRIGGER experience_public_counts_delete AFTER DELETE ON experiences
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION experience_public_counts_delete();

-- 2. The list itself: one index per place whose predicate is exactly the public condition, in the list's order, with
--    the filtered columns included. A page (filters on channel, feeling, answered included) reads its ids from the
--    index alone, then fetches the rows of those 20 ids only; a capped count of a filtered list reads the index too.
CREATE INDEX experiences_list_procedure ON experiences (procedure_id, published_at DESC, id DESC)
  INCLUDE (feeling, first_answer_at, channels) WHERE published_at IS NOT NULL AND status <> 'refused' AND consent;
CREATE INDEX experiences_list_administration ON experiences (administration_id, published_at DESC, id DESC)
  INCLUDE (feeling, first_answer_at, channels) WHERE published_at IS NOT NULL AND status <> 'refused' AND consent;
CREATE INDEX experiences_list_ministry ON experiences (ministry_id, published_at DESC, id DESC)
  INCLUDE (feeling, first_answer_at, channels) WHERE published_at IS NOT NULL AND status <> 'refused' AND consent;

-- 3. Search (unaccented, anywhere in the text) on a trigram index of the public stories: an administration's or a
--    ministry's search reads the matching rows, not all its stories. pg_trgm is loaded on PGlite too (src/kernel/db/pglite.ts,
--    created by the kernel's first migration). Without fastupdate: PGlite runs no autovacuum, and a pending list left
--    unmerged makes the planner cost the index out; stories arrive one by one, the index is updated as they do.
CREATE INDEX experiences_search ON experiences USING gin (search gin_trgm_ops) WITH (fastupdate = off)
  WHERE published_at IS NOT NULL AND status <> 'refused' AND consent;

-- The list indexes above replace those of 0700 (same places and order, without the consent in their predicate nor the
-- id to break ties, which made the planner sort again): one index per place is enough to keep up to date.
DROP INDEX experiences_procedure_public;
DROP INDEX experiences_administration_public;
DROP INDEX experiences_ministry_public;
