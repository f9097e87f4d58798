-- Import previews (dry runs) kept server-side, so that « Confirmer l'import » applies exactly what was previewed,
-- whichever app server answers. user_id has no foreign key: the users table comes later in the migration order.
CREATE TABLE catalog_import_previews (
  id text PRIMARY KEY,
  user_id bigint NOT NULL,
  file_name text NOT NULL,
  format text NOT NULL,
  report jsonb NOT NULL,
  writes jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  applied_at timestamptz,
  applied_result jsonb
);
CREATE INDEX catalog_import_previews_created ON catalog_import_previews (created_at);
