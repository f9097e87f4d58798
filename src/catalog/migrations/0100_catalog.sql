-- The catalogue: ministries → administrations (directions, operators) → procedures.
CREATE TABLE ministries (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  code text NOT NULL UNIQUE,
  name text NOT NULL,
  short_name text,
  is_demo boolean NOT NULL DEFAULT false,
  archived_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE administrations (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  ministry_id bigint NOT NULL REFERENCES ministries(id),
  code text NOT NULL UNIQUE,
  name text NOT NULL,
  kind text NOT NULL DEFAULT 'direction' CHECK (kind IN ('direction', 'operateur', 'autre')),
  is_demo boolean NOT NULL DEFAULT false,
  archived_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX administrations_ministry ON administrations (ministry_id);

CREATE TABLE procedures (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  stable_id text NOT NULL UNIQUE,
  slug text NOT NULL UNIQUE,
  title text NOT NULL,
  description text NOT NULL DEFAULT '',
  administration_id bigint NOT NULL REFERENCES administrations(id),
  url text,
  info_url text,
  user_categories text[] NOT NULL DEFAULT '{}',
  volume_total bigint CHECK (volume_total >= 0),
  volume_online bigint CHECK (volume_online >= 0),
  online_status text NOT NULL DEFAULT 'non'
    CHECK (online_status IN ('oui', 'partiel', 'non', 'en_cours', 'proactive')),
  franceconnect text NOT NULL DEFAULT 'non'
    CHECK (franceconnect IN ('franceconnect', 'franceconnect_plus', 'non', 'non_applicable')),
  in_scope boolean NOT NULL DEFAULT false,
  help_channels jsonb NOT NULL DEFAULT '[]',
  is_demo boolean NOT NULL DEFAULT false,
  archived_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX procedures_administration ON procedures (administration_id);
CREATE INDEX procedures_search ON procedures (search_text(title));
CREATE INDEX procedures_volume ON procedures (volume_total DESC NULLS LAST);
