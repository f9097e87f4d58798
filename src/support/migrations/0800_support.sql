-- Help (support), issue 14 (docs/support.md): help channels per procedure, help points (France services, points
-- numériques of prefectures, …) with their place and the procedures they serve, contact-centre volumes per procedure
-- and month, and the observatoire's informative indicator « Contacts pour 1 000 démarches ».

-- One row per channel of a procedure; the fields a kind does not use stay empty.
CREATE TABLE support_channels (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  procedure_id bigint NOT NULL REFERENCES procedures(id) ON DELETE CASCADE,
  position integer NOT NULL DEFAULT 0,
  kind text NOT NULL CHECK (kind IN ('phone', 'email', 'contact_form', 'chat', 'faq', 'in_person')),
  label text NOT NULL DEFAULT '' CHECK (length(label) <= 200),
  -- A phone number, an e-mail address or a URL (form, chat, FAQ); a short text for in-person help.
  value text NOT NULL CHECK (length(btrim(value)) > 0 AND length(value) <= 500),
  hours text NOT NULL DEFAULT '' CHECK (length(hours) <= 300),
  price text NOT NULL DEFAULT '' CHECK (length(price) <= 200),
  is_demo boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX support_channels_procedure ON support_channels (procedure_id, position);

CREATE TABLE support_points (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- The identifier of the open-data file: imports update the point with the same identifier (idempotent).
  identifier text NOT NULL UNIQUE CHECK (length(btrim(identifier)) > 0 AND length(identifier) <= 100),
  name text NOT NULL CHECK (length(btrim(name)) > 0 AND length(name) <= 300),
  kind text NOT NULL CHECK (kind IN ('france_services', 'point_numerique', 'mairie', 'association', 'other')),
  address text NOT NULL DEFAULT '' CHECK (length(address) <= 500),
  postal_code text NOT NULL DEFAULT '' CHECK (postal_code = '' OR postal_code ~ '^[0-9]{5}$'),
  commune_code text NOT NULL CHECK (commune_code ~ '^[0-9][0-9AB][0-9]{3}$'),
  commune_name text NOT NULL DEFAULT '',
  latitude double precision NOT NULL CHECK (latitude BETWEEN -90 AND 90),
  longitude double precision NOT NULL CHECK (longitude BETWEEN -180 AND 180),
  opening_hours text NOT NULL DEFAULT '' CHECK (length(opening_hours) <= 1000),
  accessibility text NOT NULL DEFAULT '' CHECK (length(accessibility) <= 1000),
  phone text NOT NULL DEFAULT '' CHECK (length(phone) <= 50),
  -- Serves every procedure (a France services point) or only those of support_point_procedures.
  all_procedures boolean NOT NULL DEFAULT false,
  is_demo boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
-- The nearest points: a bounding box on (latitude, longitude) first, the exact distance on the few rows inside.
CREATE INDEX support_points_position ON support_points (latitude, longitude);

CREATE TABLE support_point_procedures (
  point_id bigint NOT NULL REFERENCES support_points(id) ON DELETE CASCADE,
  procedure_id bigint NOT NULL REFERENCES procedures(id) ON DELETE CASCADE,
  PRIMARY KEY (point_id, procedure_id)
);
CREATE INDEX support_point_procedures_procedure ON support_point_procedures (procedure_id, point_id);

-- Contact-centre volumes: one row per procedure and month (the month's first day), typed or imported.
CREATE TABLE support_volumes (
  procedure_id bigint NOT NULL REFERENCES procedures(id) ON DELETE CASCADE,
  month date NOT NULL CHECK (extract(day FROM month) = 1),
  calls_received bigint NOT NULL DEFAULT 0 CHECK (calls_received >= 0),
  calls_answered bigint NOT NULL DEFAULT 0 CHECK (calls_answered >= 0 AND calls_answered <= calls_received),
  mails_received bigint NOT NULL DEFAULT 0 CHECK (mails_received >= 0),
  mails_answered bigint NOT NULL DEFAULT 0 CHECK (mails_answered >= 0 AND mails_answered <= mails_received),
  -- Mean wait on the phone, in seconds (null: not measured).
  mean_wait_seconds integer CHECK (mean_wait_seconds >= 0),
  is_demo boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (procedure_id, month)
);

-- The observatoire's new informative indicator, as data: its definition, and its rules (informative, no level) in
-- every rule-set version that lacks it. An informative indicator has no level: adding it changes no evaluation of
-- the other indicators, and editions published before keep their stored cells.
ALTER TABLE obs_indicators DROP CONSTRAINT obs_indicators_source_check;
ALTER TABLE obs_indicators ADD CONSTRAINT obs_indicators_source_check
  CHECK (source IN ('manual', 'feedback', 'accessibility', 'monitoring', 'support'));
INSERT INTO obs_indicators (slug, position, label, short_label, unit, source, description, method, help)
VALUES ('contacts', 13, 'Contacts pour 1 000 démarches', 'Contacts / 1 000', 'count', 'support',
  'Appels et courriels reçus par le centre de contact pour 1 000 démarches faites en ligne.',
  'Appels reçus + courriels reçus des mois de la fenêtre de l''édition ÷ démarches en ligne de la même durée (volume en ligne annuel du catalogue × mois mesurés ÷ 12) × 1 000. Indicateur informatif, sans niveau.',
  '')
ON CONFLICT (slug) DO NOTHING;
UPDATE obs_rule_sets
   SET rules = jsonb_set(rules, '{indicators,contacts}', '{"kind":"number","min":0,"informative":true,"levels":[]}'::jsonb)
 WHERE NOT (rules->'indicators' ? 'contacts');
