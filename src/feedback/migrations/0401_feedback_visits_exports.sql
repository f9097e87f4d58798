-- « Nouveau depuis votre dernière visite » on the answers list; public statistics pages; export files.
CREATE TABLE feedback_visits (
  user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  form_id bigint NOT NULL REFERENCES feedback_forms(id),
  seen_at timestamptz NOT NULL,
  PRIMARY KEY (user_id, form_id)
);

CREATE TABLE feedback_public_stats (
  procedure_id bigint PRIMARY KEY REFERENCES procedures(id),
  made_public_by bigint,
  made_public_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE feedback_exports (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  form_id bigint NOT NULL REFERENCES feedback_forms(id),
  user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  format text NOT NULL CHECK (format IN ('csv', 'xlsx')),
  filters jsonb NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'done', 'failed')),
  total int,
  done_rows int NOT NULL DEFAULT 0,
  file_name text,
  content bytea,
  error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);
CREATE INDEX feedback_exports_user ON feedback_exports (user_id, created_at DESC);
