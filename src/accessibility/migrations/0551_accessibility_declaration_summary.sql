-- The figures a dashboard needs from a published declaration, kept beside its JSON by the database itself (stored
-- generated columns: they cannot drift from the content), so that a dashboard of 2 000 procedures reads a few columns
-- per procedure instead of parsing every declaration's full content.
ALTER TABLE accessibility_declarations
  ADD COLUMN published_rate numeric GENERATED ALWAYS AS ((published #>> '{results,rate}')::numeric) STORED,
  ADD COLUMN published_label text GENERATED ALWAYS AS (published #>> '{conformity,label}') STORED,
  ADD COLUMN published_rgaa_version text GENERATED ALWAYS AS (published #>> '{audit,rgaaVersion}') STORED;
