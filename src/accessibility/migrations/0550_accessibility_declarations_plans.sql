-- Accessibility declarations, plans and roadmaps (issue 12, docs/accessibility.md « Declarations and plans »).

-- The rules the steering team may change, as data (one row): a declaration's validity, the warning before it expires,
-- the age of an audit the observatoire's « handicap » indicator accepts, and the State's goals.
CREATE TABLE accessibility_rules (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  -- A declaration is valid this many months from its publication…
  validity_months integer NOT NULL DEFAULT 36 CHECK (validity_months > 0),
  -- …and at most this many months after a newer RGAA version is published.
  new_version_months integer NOT NULL DEFAULT 18 CHECK (new_version_months > 0),
  -- E-mails and a dashboard warning this many days before a declaration expires.
  warning_days integer NOT NULL DEFAULT 90 CHECK (warning_days > 0),
  -- The « handicap » indicator only counts a declaration from an audit younger than this.
  audit_max_age_months integer NOT NULL DEFAULT 36 CHECK (audit_max_age_months > 0),
  -- The State's goals: share (%) of procedures with a valid declaration totally conforming, first then final.
  goal_first_percent integer NOT NULL DEFAULT 80 CHECK (goal_first_percent BETWEEN 0 AND 100),
  goal_first_date date,
  goal_final_percent integer NOT NULL DEFAULT 100 CHECK (goal_final_percent BETWEEN 0 AND 100),
  goal_final_date date,
  updated_by bigint REFERENCES users(id),
  updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO accessibility_rules (id, goal_first_date, goal_final_date) VALUES (true, '2027-12-31', '2029-12-31');

-- RGAA versions and their publication dates: a declaration made under an older version stops being valid
-- `new_version_months` after a newer one is published.
CREATE TABLE accessibility_rgaa_versions (
  version text PRIMARY KEY CHECK (version ~ '^[0-9]+(\.[0-9]+)*$'),
  published_on date NOT NULL
);
INSERT INTO accessibility_rgaa_versions (version, published_on) VALUES ('4.1.2', '2023-04-13');

-- One declaration per procedure, at a stable public URL (/declarations-accessibilite/<stable id>). The team edits a
-- draft (the fields an audit cannot know); « publier » copies the whole declaration, audit facts included, into
-- `published` (what the public page and the API show) and dates it. A new publication (after a new audit) replaces it.
CREATE TABLE accessibility_declarations (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  procedure_id bigint NOT NULL UNIQUE REFERENCES procedures(id),
  -- The published full audit the draft is generated from.
  audit_id bigint REFERENCES accessibility_audits(id),
  organisation_name text NOT NULL DEFAULT '',
  service_name text NOT NULL DEFAULT '',
  -- Extra engagement text (the legal sentence is generated).
  engagement text NOT NULL DEFAULT '',
  technologies text NOT NULL DEFAULT '',
  contact_email text NOT NULL DEFAULT '',
  contact_form_url text NOT NULL DEFAULT '',
  contact_page_url text NOT NULL DEFAULT '',
  -- Explanations and alternatives for the non-conformities, derogations for disproportionate burden (motivated),
  -- contents outside the obligation: one per line.
  non_conformity_notes text NOT NULL DEFAULT '',
  derogations text NOT NULL DEFAULT '',
  exempted_contents text NOT NULL DEFAULT '',
  -- The published declaration (JSON, the shape of src/accessibility/declarations/content.ts), or null before it is.
  published jsonb,
  first_published_at timestamptz,
  published_at timestamptz,
  -- « Refonte substantielle »: the site was redesigned; the declaration stops being valid on this date.
  redesigned_on date,
  -- The last expiry warning sent (one per expiry date: the job is idempotent).
  warned_for date,
  version integer NOT NULL DEFAULT 1 CHECK (version > 0),
  is_demo boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((published IS NULL) = (published_at IS NULL)),
  CHECK (contact_email = '' OR contact_email ~ '^[^@\s]+@[^@\s]+$')
);

-- Plans of a ministry or an administration (exactly one of both): the multi-year plan (« schéma pluriannuel », at most
-- 3 years) and one action plan a year.
CREATE TABLE accessibility_plans (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  ministry_id bigint REFERENCES ministries(id),
  administration_id bigint REFERENCES administrations(id),
  title text NOT NULL CHECK (length(btrim(title)) > 0),
  start_year integer NOT NULL CHECK (start_year BETWEEN 2000 AND 2100),
  end_year integer NOT NULL,
  -- The policy: strategy, referent, resources, training, organisation… (free text, paragraphs).
  policy text NOT NULL DEFAULT '',
  published_at timestamptz,
  version integer NOT NULL DEFAULT 1 CHECK (version > 0),
  is_demo boolean NOT NULL DEFAULT false,
  created_by bigint REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((ministry_id IS NULL) <> (administration_id IS NULL)),
  CHECK (end_year >= start_year AND end_year - start_year <= 2)
);
CREATE INDEX accessibility_plans_ministry ON accessibility_plans (ministry_id, start_year);
CREATE INDEX accessibility_plans_administration ON accessibility_plans (administration_id, start_year);

CREATE TABLE accessibility_plan_actions (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  plan_id bigint NOT NULL REFERENCES accessibility_plans(id) ON DELETE CASCADE,
  year integer NOT NULL,
  procedure_id bigint REFERENCES procedures(id),
  kind text NOT NULL CHECK (kind IN ('audit', 'fixes', 'training', 'reaudit', 'declaration')),
  title text NOT NULL CHECK (length(btrim(title)) > 0),
  owner text NOT NULL DEFAULT '',
  starts_on date,
  due_on date,
  status text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'in_progress', 'done', 'cancelled')),
  -- The result, shown in the next year's plan (« bilan »).
  result text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (due_on IS NULL OR starts_on IS NULL OR due_on >= starts_on)
);
CREATE INDEX accessibility_plan_actions_plan ON accessibility_plan_actions (plan_id, year);
CREATE INDEX accessibility_plan_actions_procedure ON accessibility_plan_actions (procedure_id);

-- A procedure's roadmap to full conformity: the target date and dated milestones.
CREATE TABLE accessibility_roadmaps (
  procedure_id bigint PRIMARY KEY REFERENCES procedures(id),
  target_on date,
  notes text NOT NULL DEFAULT '',
  is_demo boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE accessibility_milestones (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  procedure_id bigint NOT NULL REFERENCES accessibility_roadmaps(procedure_id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('audit', 'fixes', 'training', 'reaudit', 'declaration')),
  title text NOT NULL CHECK (length(btrim(title)) > 0),
  owner text NOT NULL DEFAULT '',
  due_on date NOT NULL,
  status text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'in_progress', 'done', 'cancelled')),
  done_on date,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((status = 'done') = (done_on IS NOT NULL))
);
CREATE INDEX accessibility_milestones_procedure ON accessibility_milestones (procedure_id, due_on);
CREATE INDEX accessibility_milestones_open ON accessibility_milestones (due_on) WHERE status IN ('planned', 'in_progress');
