-- The public API's list rows of a published edition, rendered once (at publication, by the API's own serializer,
-- `rowOut` in api/serialize.ts) instead of at every call: `json` is the exact text of the row in the answer.
-- Corrections re-render the rows they touch in their transaction. `defs_key` names the indicator list (slug, unit,
-- order) the row was rendered with: a row with another key, or a missing row (editions published before this
-- migration), is rendered again on first read (api/stored-rows.ts).
CREATE TABLE obs_edition_rows (
  edition_id bigint NOT NULL,
  procedure_id bigint NOT NULL,
  defs_key text NOT NULL,
  json text NOT NULL,
  PRIMARY KEY (edition_id, procedure_id),
  FOREIGN KEY (edition_id, procedure_id) REFERENCES obs_edition_procedures (edition_id, procedure_id) ON DELETE CASCADE
);

-- The ministry and administration filters read only their rows instead of the whole edition.
CREATE INDEX obs_edition_procedures_ministry ON obs_edition_procedures (edition_id, ministry_id);
CREATE INDEX obs_edition_procedures_administration ON obs_edition_procedures (edition_id, administration_id);
