-- The API list rows carry what the filters and sorts need (copied from the edition's procedure and cells when the row
-- is rendered), so that a list call reads this table only. Rows are derived data, rendered again on first read when
-- missing (api/stored-rows.ts): the table is recreated empty rather than altered.
DROP TABLE obs_edition_rows;
CREATE TABLE obs_edition_rows (
  edition_id bigint NOT NULL,
  procedure_id bigint NOT NULL,
  title text NOT NULL,
  ministry_id bigint NOT NULL,
  ministry_name text NOT NULL,
  administration_id bigint NOT NULL,
  administration_name text NOT NULL,
  user_categories text[] NOT NULL,
  online_status text,
  search text NOT NULL,
  -- One entry per indicator, in the order named by defs_key: sort key, label (ties) and colour (level filter).
  sort_values double precision[] NOT NULL,
  labels text[] NOT NULL,
  colours text[] NOT NULL,
  defs_key text NOT NULL,
  json text NOT NULL,
  PRIMARY KEY (edition_id, procedure_id),
  FOREIGN KEY (edition_id, procedure_id) REFERENCES obs_edition_procedures (edition_id, procedure_id) ON DELETE CASCADE
);
CREATE INDEX obs_edition_rows_title ON obs_edition_rows (edition_id, title);
CREATE INDEX obs_edition_rows_ministry ON obs_edition_rows (edition_id, ministry_id);
CREATE INDEX obs_edition_rows_administration ON obs_edition_rows (edition_id, administration_id);
