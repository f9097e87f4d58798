-- Observatoire: indicator definitions and versioned level rules (data, not code), live manual values,
-- editions stored denormalised (one row per procedure × indicator) so that reads never recompute.
CREATE TABLE obs_indicators (
  slug text PRIMARY KEY,
  position integer NOT NULL,
  label text NOT NULL,
  short_label text NOT NULL,
  unit text NOT NULL CHECK (unit IN ('category', 'score10', 'percent', 'count', 'ms')),
  source text NOT NULL CHECK (source IN ('manual', 'feedback', 'accessibility', 'monitoring')),
  description text NOT NULL DEFAULT '',
  method text NOT NULL DEFAULT '',
  help text NOT NULL DEFAULT '',
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE obs_rule_sets (
  version integer PRIMARY KEY,
  rules jsonb NOT NULL,
  note text NOT NULL DEFAULT '',
  created_by bigint REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- National goals: share (in %) of procedures that should reach each indicator's goal.
CREATE TABLE obs_goals (
  indicator text PRIMARY KEY REFERENCES obs_indicators(slug),
  target_percent numeric NOT NULL CHECK (target_percent BETWEEN 0 AND 100),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Live values of manual indicators (and, until their module lands, demo values of computed ones).
CREATE TABLE obs_live_values (
  procedure_id bigint NOT NULL REFERENCES procedures(id) ON DELETE CASCADE,
  indicator text NOT NULL REFERENCES obs_indicators(slug),
  value text NOT NULL,
  updated_by bigint REFERENCES users(id) ON DELETE SET NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (procedure_id, indicator)
);

CREATE TABLE obs_editions (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL,
  period text NOT NULL,
  window_start date NOT NULL,
  window_end date NOT NULL CHECK (window_end >= window_start),
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),
  rule_version integer REFERENCES obs_rule_sets(version),
  is_demo boolean NOT NULL DEFAULT false,
  created_by bigint REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  published_by bigint REFERENCES users(id) ON DELETE SET NULL,
  published_at timestamptz,
  CHECK ((status = 'published') = (published_at IS NOT NULL AND rule_version IS NOT NULL))
);
CREATE INDEX obs_editions_published ON obs_editions (published_at DESC) WHERE status = 'published';

-- Snapshot of each procedure at publication: the table filters and history never depend on later catalogue edits.
CREATE TABLE obs_edition_procedures (
  edition_id bigint NOT NULL REFERENCES obs_editions(id) ON DELETE CASCADE,
  procedure_id bigint NOT NULL,
  stable_id text NOT NULL,
  slug text NOT NULL,
  title text NOT NULL,
  url text,
  ministry_id bigint NOT NULL,
  ministry_name text NOT NULL,
  administration_id bigint NOT NULL,
  administration_name text NOT NULL,
  user_categories text[] NOT NULL DEFAULT '{}',
  online_status text,
  search text NOT NULL,
  PRIMARY KEY (edition_id, procedure_id)
);
CREATE INDEX obs_edition_procedures_stable ON obs_edition_procedures (stable_id);
CREATE INDEX obs_edition_procedures_title ON obs_edition_procedures (edition_id, title);

CREATE TABLE obs_edition_values (
  edition_id bigint NOT NULL REFERENCES obs_editions(id) ON DELETE CASCADE,
  procedure_id bigint NOT NULL,
  indicator text NOT NULL,
  raw_value text,
  sort_value double precision,
  label text NOT NULL,
  colour text NOT NULL,
  goal boolean,
  rule_version integer NOT NULL,
  PRIMARY KEY (edition_id, procedure_id, indicator),
  FOREIGN KEY (edition_id, procedure_id) REFERENCES obs_edition_procedures (edition_id, procedure_id) ON DELETE CASCADE
);
CREATE INDEX obs_edition_values_sort ON obs_edition_values (edition_id, indicator, sort_value);

-- Corrections of a published edition: who, why and what changed (before/after per cell).
CREATE TABLE obs_edition_revisions (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  edition_id bigint NOT NULL REFERENCES obs_editions(id) ON DELETE CASCADE,
  number integer NOT NULL,
  author_id bigint REFERENCES users(id) ON DELETE SET NULL,
  author_label text NOT NULL,
  reason text NOT NULL,
  diff jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (edition_id, number)
);

-- A published edition is immutable: it cannot go back to draft nor be deleted.
CREATE FUNCTION obs_protect_published() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND OLD.status = 'published' THEN
    RAISE EXCEPTION 'a published edition cannot be deleted';
  END IF;
  IF TG_OP = 'UPDATE' AND OLD.status = 'published' AND
     (NEW.status <> 'published' OR NEW.rule_version <> OLD.rule_version OR NEW.published_at <> OLD.published_at
      OR NEW.window_start <> OLD.window_start OR NEW.window_end <> OLD.window_end) THEN
    RAISE EXCEPTION 'a published edition is immutable';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
CREATE TRIGGER obs_editions_protect BEFORE UPDATE OR DELETE ON obs_editions
  FOR EACH ROW EXECUTE FUNCTION obs_protect_published();

-- The 12 indicators of the default rule set (definitions editable by the steering team).
INSERT INTO obs_indicators (slug, position, label, short_label, unit, source, description, method, help) VALUES
  ('online', 1, 'Réalisable en ligne', 'En ligne', 'category', 'manual', 'La démarche peut-elle être faite entièrement en ligne ?', 'Déclaré par l''administration et vérifié par l''équipe de pilotage : Oui, Partiel, Non, En cours de déploiement local ou Démarche proactive (l''usager n''a rien à demander).', 'Objectif : « Oui » ou « Démarche proactive ».'),
  ('satisfaction', 2, 'Satisfaction usagers', 'Satisfaction', 'score10', 'feedback', 'Note moyenne donnée par les usagers à la démarche, sur 10.', 'Moyenne pondérée des avis « Je donne mon avis » sur la fenêtre de l''édition : Très bien = 10, Moyen = 5, Pas bien = 0. En dessous de 100 avis, le niveau est « Nombre d''avis insuffisant ».', 'Objectif : 8 sur 10 ou plus.'),
  ('handicap', 3, 'Prise en compte du handicap', 'Handicap', 'percent', 'accessibility', 'Taux de conformité au RGAA du service en ligne.', 'Taux de conformité de la dernière déclaration d''accessibilité valide (audit RGAA). Sans déclaration valide, le niveau est « Non ».', 'Objectif : 100 % de conformité.'),
  ('dlnuf', 4, 'Dites-le-nous une fois', 'DLNUF', 'count', 'manual', 'Nombre de pièces ou d''informations demandées à l''usager que l''administration possède déjà.', 'Déclaré par l''administration : nombre d''informations redemandées (0–1 optimal, 2–4 partiel, 5 ou plus faible).', 'Objectif : 0 ou 1 information redemandée.'),
  ('usage', 5, 'Utilisation de la version numérique', 'Usage en ligne', 'percent', 'manual', 'Part des démarches faites en ligne parmi toutes les démarches, sur une année glissante.', 'Nombre de démarches en ligne ÷ nombre total de démarches sur 12 mois, déclaré ou importé par l''administration. Indicateur informatif, sans niveau.', 'Indicateur informatif : pas d''objectif.'),
  ('simplicity', 6, 'Clarté du langage', 'Clarté', 'score10', 'feedback', 'Note moyenne de clarté donnée par les usagers, sur 10.', 'Moyenne pondérée des réponses à la question de clarté (5 niveaux : 10, 7,5, 5, 2,5, 0) sur la fenêtre de l''édition ; au moins 100 avis.', 'Objectif : 8 sur 10 ou plus.'),
  ('help_reachable', 7, 'Aide joignable', 'Aide joignable', 'percent', 'feedback', 'Part des usagers ayant cherché de l''aide qui ont réussi à joindre l''administration.', 'Réponses « oui » ÷ réponses à la question « avez-vous réussi à joindre l''administration ? » sur la fenêtre de l''édition.', 'Objectif : 85 % ou plus.'),
  ('help_efficient', 8, 'Aide efficace', 'Aide efficace', 'score10', 'feedback', 'Qualité de l''aide reçue, notée par les usagers, sur 10.', 'Moyenne pondérée des réponses sur la qualité de l''aide (excellente 10, bonne 7,5, ni bonne ni mauvaise 5, mauvaise 2,5, très mauvaise 0).', 'Objectif : 8 sur 10 ou plus.'),
  ('help_used', 9, 'Niveau d''autonomie', 'Autonomie', 'percent', 'feedback', 'Part des usagers qui n''ont pas eu besoin d''aide.', 'Avis « je n''ai pas eu besoin d''aide » ÷ avis ayant répondu à la question sur l''aide. Indicateur informatif, sans niveau.', 'Indicateur informatif : pas d''objectif.'),
  ('uptime', 10, 'Disponibilité du service', 'Disponibilité', 'percent', 'monitoring', 'Part du temps où le service en ligne répond correctement.', 'Sondes réussies ÷ sondes sur les 3 mois précédant la publication.', 'Objectif : 99,9 % ou plus.'),
  ('performance', 11, 'Temps de chargement des pages', 'Chargement', 'ms', 'monitoring', 'Temps moyen de chargement des pages du service en ligne.', 'Moyenne des temps de chargement mesurés par la supervision (affichés en secondes).', 'Objectif : moins de 0,4 seconde.'),
  ('auth', 12, 'Authentification', 'Authentification', 'category', 'manual', 'L''usager peut-il s''identifier avec FranceConnect ?', 'Déclaré par l''administration : FranceConnect, FranceConnect+, Non ou Non applicable.', 'Objectif : FranceConnect ou FranceConnect+.');

INSERT INTO obs_goals (indicator, target_percent)
  SELECT slug, 80 FROM obs_indicators WHERE slug NOT IN ('usage', 'help_used');

INSERT INTO obs_rule_sets (version, rules, note) VALUES (1, '{"grayLabels":{"none":"-","a_venir":"À venir","avis_insuffisants":"Nombre d''avis insuffisant","non_applicable":"Non applicable"},"indicators":{"online":{"kind":"category","levels":[{"label":"Oui","colour":"green","goal":true,"values":["oui"]},{"label":"En cours de déploiement local","colour":"green","goal":false,"values":["en_cours"]},{"label":"Partiel","colour":"yellow","goal":false,"values":["partiel"]},{"label":"Non","colour":"red","goal":false,"values":["non"]},{"label":"Démarche proactive","colour":"blue","goal":true,"values":["proactive"]}]},"satisfaction":{"kind":"number","min":0,"max":10,"levels":[{"label":"Très bien","colour":"green","goal":true,"from":8},{"label":"Moyen","colour":"yellow","goal":false,"from":5},{"label":"Pas bien","colour":"red","goal":false,"from":0}]},"handicap":{"kind":"number","min":0,"max":100,"levels":[{"label":"Oui","colour":"green","goal":true,"from":100},{"label":"Partiel","colour":"yellow","goal":false,"from":50},{"label":"Non","colour":"red","goal":false,"from":0}]},"dlnuf":{"kind":"number","min":0,"levels":[{"label":"Optimal","colour":"green","goal":true,"from":0},{"label":"Partiel","colour":"yellow","goal":false,"from":2},{"label":"Faible","colour":"red","goal":false,"from":5}]},"usage":{"kind":"number","min":0,"max":100,"informative":true,"levels":[]},"simplicity":{"kind":"number","min":0,"max":10,"levels":[{"label":"Très bien","colour":"green","goal":true,"from":8},{"label":"Moyen","colour":"yellow","goal":false,"from":5},{"label":"Pas bien","colour":"red","goal":false,"from":0}]},"help_reachable":{"kind":"number","min":0,"max":100,"levels":[{"label":"Optimal","colour":"green","goal":true,"from":85},{"label":"Moyen","colour":"yellow","goal":false,"from":70},{"label":"Faible","colour":"red","goal":false,"from":0}]},"help_efficient":{"kind":"number","min":0,"max":10,"levels":[{"label":"Optimal","colour":"green","goal":true,"from":8},{"label":"Moyen","colour":"yellow","goal":false,"from":5},{"label":"Faible","colour":"red","goal":false,"from":0}]},"help_used":{"kind":"number","min":0,"max":100,"informative":true,"levels":[]},"uptime":{"kind":"number","min":0,"max":100,"levels":[{"label":"Optimal","colour":"green","goal":true,"from":99.9},{"label":"Partiel","colour":"yellow","goal":false,"from":98.5},{"label":"Faible","colour":"red","goal":false,"from":0}]},"performance":{"kind":"number","min":0,"levels":[{"label":"Optimal","colour":"green","goal":true,"from":0},{"label":"Moyen","colour":"yellow","goal":false,"from":400},{"label":"Lent","colour":"red","goal":false,"from":800}]},"auth":{"kind":"category","levels":[{"label":"FranceConnect+","colour":"blue","goal":true,"values":["franceconnect_plus"]},{"label":"FranceConnect","colour":"blue","goal":true,"values":["franceconnect"]},{"label":"Non","colour":"red","goal":false,"values":["non"]},{"label":"Non applicable","colour":"gray","goal":false,"values":["non_applicable"]}]}}}'::jsonb, 'Règles initiales');
