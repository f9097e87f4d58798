-- Improvement challenges (« défis », issue 15): the fields of the défi's file (front matter) and its Markdown body,
-- its team (accounts) and its actions. Procedures are named by their stable id, as in the file.
CREATE TABLE challenges (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 80),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  description text NOT NULL DEFAULT '',
  ministry text NOT NULL DEFAULT '',
  direction text NOT NULL DEFAULT '',
  place text NOT NULL DEFAULT '',
  positions text[] NOT NULL DEFAULT '{}',
  start_date date,
  end_date date,
  launch_date date,
  status text NOT NULL DEFAULT 'brouillon' CHECK (status IN ('brouillon', 'ouvert', 'en_cours', 'termine', 'abandonne')),
  procedures text[] NOT NULL DEFAULT '{}',
  indicators text[] NOT NULL DEFAULT '{satisfaction}',
  body text NOT NULL DEFAULT '',
  is_demo boolean NOT NULL DEFAULT false,
  created_by bigint REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX challenges_procedures ON challenges USING gin (procedures);

CREATE TABLE challenge_members (
  challenge_id bigint NOT NULL REFERENCES challenges(id) ON DELETE CASCADE,
  user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role text NOT NULL DEFAULT '',
  PRIMARY KEY (challenge_id, user_id)
);

-- An action: dated, owned, with a status; optionally what motivated it (a verbatim, an experience, a non-conformity
-- of an audit… by URL or reference) and the roadmap milestone it serves (by URL).
CREATE TABLE challenge_actions (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  challenge_id bigint NOT NULL REFERENCES challenges(id) ON DELETE CASCADE,
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  action_date date NOT NULL,
  owner text NOT NULL DEFAULT '',
  status text NOT NULL DEFAULT 'a_faire' CHECK (status IN ('a_faire', 'en_cours', 'fait', 'abandonne')),
  motive_kind text CHECK (motive_kind IN ('verbatim', 'experience', 'audit', 'autre')),
  motive_ref text NOT NULL DEFAULT '',
  milestone_url text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX challenge_actions_challenge ON challenge_actions (challenge_id, action_date);
