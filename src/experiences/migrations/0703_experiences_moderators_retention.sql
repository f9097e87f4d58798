-- Moderators an administration names (its managers, its ministry's referent or the steering team), beside those a
-- ministry names (0700): they moderate the stories told about the administration's procedures.
CREATE TABLE experience_administration_moderators (
  administration_id bigint NOT NULL REFERENCES administrations(id),
  user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  named_by bigint REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (administration_id, user_id)
);
CREATE INDEX experience_administration_moderators_user ON experience_administration_moderators (user_id);

-- How long the authors' e-mail addresses are kept once a story is closed (solved, closed without action or refused),
-- as data the steering team changes (one row). A daily job erases the older ones and writes it in the journal.
CREATE TABLE experience_retention (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  email_days integer NOT NULL CHECK (email_days BETWEEN 1 AND 3650),
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by bigint REFERENCES users(id) ON DELETE SET NULL
);
INSERT INTO experience_retention (email_days) VALUES (90);

-- When a story was closed: the time of its last change of state (events), read by the erasing job.
CREATE INDEX experience_events_closing ON experience_events (experience_id, at) WHERE status_to IN ('solved', 'closed', 'refused');
CREATE INDEX experiences_email_closed ON experiences (id) WHERE email IS NOT NULL AND status IN ('solved', 'closed', 'refused');
