-- « Je donne mon avis »: forms (from templates) and their versions, buttons, reviews, answers, daily rollups, anti-abuse.
CREATE TABLE feedback_forms (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  procedure_id bigint NOT NULL REFERENCES procedures(id),
  template text NOT NULL CHECK (template IN ('default', 'problem')),
  name text NOT NULL,
  -- Locked by the steering team when the form feeds the observatoire.
  locked boolean NOT NULL DEFAULT false,
  published_version int,
  is_demo boolean NOT NULL DEFAULT false,
  deleted_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX feedback_forms_procedure ON feedback_forms (procedure_id);

CREATE TABLE feedback_form_versions (
  form_id bigint NOT NULL REFERENCES feedback_forms(id),
  version int NOT NULL,
  settings jsonb NOT NULL,
  status text NOT NULL CHECK (status IN ('draft', 'published', 'retired')),
  created_by bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz,
  retired_at timestamptz,
  PRIMARY KEY (form_id, version)
);

CREATE TABLE feedback_buttons (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  form_id bigint NOT NULL REFERENCES feedback_forms(id),
  public_key text NOT NULL UNIQUE,
  name text NOT NULL,
  placement text NOT NULL DEFAULT '',
  is_test boolean NOT NULL DEFAULT false,
  closed_at timestamptz,
  deleted_at timestamptz,
  closed_clicks bigint NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX feedback_buttons_form ON feedback_buttons (form_id);

CREATE TABLE feedback_reviews (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  form_id bigint NOT NULL REFERENCES feedback_forms(id),
  form_version int NOT NULL,
  button_id bigint NOT NULL REFERENCES feedback_buttons(id),
  procedure_id bigint NOT NULL,
  -- The nonce of the first-step token: a replayed first step is refused instead of counted twice.
  nonce text NOT NULL UNIQUE,
  day date NOT NULL,
  lang text NOT NULL DEFAULT 'fr',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  verbatim text,
  other_help text,
  contact_email text,
  -- How many personal data items were masked in free text (what they were is not kept).
  masked_count int NOT NULL DEFAULT 0,
  deleted_at timestamptz,
  deleted_reason text,
  deleted_by bigint
);
CREATE INDEX feedback_reviews_form_day ON feedback_reviews (form_id, day);
CREATE INDEX feedback_reviews_verbatim ON feedback_reviews USING gin (search_text(verbatim) gin_trgm_ops);

-- Answers by option id, partitioned by month of the review's day; `sub` is the help channel of follow-up questions.
CREATE TABLE feedback_answers (
  day date NOT NULL,
  review_id bigint NOT NULL,
  question text NOT NULL,
  sub text NOT NULL DEFAULT '',
  option_id text NOT NULL,
  PRIMARY KEY (day, review_id, question, sub, option_id)
) PARTITION BY RANGE (day);
CREATE TABLE feedback_answers_default PARTITION OF feedback_answers DEFAULT;

CREATE OR REPLACE FUNCTION feedback_ensure_month(month date) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  start date := date_trunc('month', month)::date;
  name text := 'feedback_answers_' || to_char(start, 'YYYY_MM');
BEGIN
  IF to_regclass(name) IS NULL THEN
    EXECUTE format('CREATE TABLE %I PARTITION OF feedback_answers FOR VALUES FROM (%L) TO (%L)', name, start, (start + interval '1 month')::date);
  END IF;
END $$;

DO $$
DECLARE m date := date '2024-01-01';
BEGIN
  WHILE m < date '2028-01-01' LOOP
    PERFORM feedback_ensure_month(m);
    m := (m + interval '1 month')::date;
  END LOOP;
END $$;

-- Daily rollups kept in the same transaction as the answers: dashboards and indicators read only these.
-- Pseudo-questions: _review/all (one per review), _verbatim/yes, help_tried/_answered (reviews that answered it).
CREATE TABLE feedback_rollups (
  procedure_id bigint NOT NULL,
  form_id bigint NOT NULL,
  button_id bigint NOT NULL,
  day date NOT NULL,
  question text NOT NULL,
  option_id text NOT NULL,
  count bigint NOT NULL,
  PRIMARY KEY (form_id, day, button_id, question, option_id)
);
CREATE INDEX feedback_rollups_procedure ON feedback_rollups (procedure_id, day);

-- Anti-abuse: submissions per hashed IP and minute, shared by every server instance.
CREATE TABLE feedback_rate (
  ip_hash text NOT NULL,
  minute timestamptz NOT NULL,
  count int NOT NULL,
  PRIMARY KEY (ip_hash, minute)
);

CREATE TABLE feedback_blocked (
  day date NOT NULL,
  form_id bigint NOT NULL,
  reason text NOT NULL,
  count bigint NOT NULL,
  PRIMARY KEY (form_id, day, reason)
);
