-- Experiences told by users (Services Publics +): stories, their public answers, every change of state, moderators
-- named by a ministry, and the answer-delay settings of each administration (docs/experiences.md).
CREATE TABLE experiences (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  procedure_id bigint NOT NULL REFERENCES procedures(id),
  -- Where the procedure sat when the story was told: public pages per administration and ministry, delay figures.
  administration_id bigint NOT NULL REFERENCES administrations(id),
  ministry_id bigint NOT NULL REFERENCES ministries(id),
  lang text NOT NULL DEFAULT 'fr' CHECK (lang IN ('fr', 'en')),
  -- The story as stored: personal data already masked (feedback module's masking); never the text as typed.
  body text NOT NULL,
  masked_count integer NOT NULL DEFAULT 0,
  -- search_text(body): unaccented, case-folded, for the public search.
  search text NOT NULL,
  channels text[] NOT NULL,
  feeling text NOT NULL CHECK (feeling IN ('tres_mal', 'plutot_mal', 'neutre', 'plutot_bien', 'tres_bien')),
  solved boolean NOT NULL,
  -- Kept private, only for the notices sent to the author; never shown, never exported.
  email text,
  consent boolean NOT NULL,
  -- The author ticked « accessibility »; `accessibility` is that tick or a lexicon match.
  accessibility_ticked boolean NOT NULL DEFAULT false,
  accessibility boolean NOT NULL DEFAULT false,
  status text NOT NULL DEFAULT 'received'
    CHECK (status IN ('received', 'refused', 'published', 'answered', 'action_engaged', 'solved', 'closed')),
  -- Why the moderation queue holds it: the lexicon's words, a near duplicate.
  flags jsonb NOT NULL DEFAULT '{}',
  refusal_reason text CHECK (refusal_reason IN ('hors_sujet', 'injurieux', 'donnees_personnelles', 'doublon')),
  close_reason text,
  created_at timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz,
  -- The answer deadline, fixed at publication from the administration's setting (shorter for accessibility).
  target_days integer,
  due_at timestamptz,
  first_answer_at timestamptz,
  follow_up_sent_at timestamptz,
  helpful text CHECK (helpful IN ('oui', 'en_partie', 'non')),
  helpful_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX experiences_procedure_public ON experiences (procedure_id, published_at DESC) WHERE published_at IS NOT NULL AND status <> 'refused';
CREATE INDEX experiences_administration_public ON experiences (administration_id, published_at DESC) WHERE published_at IS NOT NULL AND status <> 'refused';
CREATE INDEX experiences_ministry_public ON experiences (ministry_id, published_at DESC) WHERE published_at IS NOT NULL AND status <> 'refused';
CREATE INDEX experiences_queue ON experiences (created_at) WHERE status = 'received';
CREATE INDEX experiences_procedure_recent ON experiences (procedure_id, created_at DESC);
CREATE INDEX experiences_overdue ON experiences (due_at) WHERE status = 'published';
CREATE INDEX experiences_follow_up ON experiences (first_answer_at) WHERE email IS NOT NULL AND follow_up_sent_at IS NULL;

-- Public answers, signed by the administration (the person who wrote it is kept for the journal only).
CREATE TABLE experience_answers (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  experience_id bigint NOT NULL REFERENCES experiences(id),
  administration_id bigint NOT NULL REFERENCES administrations(id),
  body text NOT NULL,
  action_url text,
  author_id bigint REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX experience_answers_experience ON experience_answers (experience_id, created_at);

-- Every change of a story, as the public history shows it (the actor stays private).
CREATE TABLE experience_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  experience_id bigint NOT NULL REFERENCES experiences(id),
  at timestamptz NOT NULL DEFAULT now(),
  status_from text,
  status_to text NOT NULL,
  kind text NOT NULL,
  reason text,
  actor_id bigint REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX experience_events_experience ON experience_events (experience_id, at, id);

-- Moderators a ministry names (its referent or the steering team) for the stories of its procedures.
CREATE TABLE experience_moderators (
  ministry_id bigint NOT NULL REFERENCES ministries(id),
  user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  named_by bigint REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (ministry_id, user_id)
);
CREATE INDEX experience_moderators_user ON experience_moderators (user_id);

-- An administration's own answer delays; without a row, the defaults of src/experiences/data/delays.json.
CREATE TABLE experience_delays (
  administration_id bigint PRIMARY KEY REFERENCES administrations(id),
  target_days integer NOT NULL CHECK (target_days BETWEEN 1 AND 90),
  accessibility_days integer NOT NULL CHECK (accessibility_days BETWEEN 1 AND 90),
  updated_at timestamptz NOT NULL DEFAULT now()
);
