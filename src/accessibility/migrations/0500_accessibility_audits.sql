-- Accessibility (RGAA) audits, issue 12 (docs/accessibility.md): an audit per procedure, its test environments and
-- outside auditors, its page sample (pages grouped into processes, plus the « éléments transverses » pseudo-page),
-- the grid (one result per page × criterion, each with its own version for optimistic concurrency) and the items of
-- a non-conformity with their optional screenshot. Declarations, reports' share links and plans come in later
-- migrations of the 0500–0599 range.
CREATE TABLE accessibility_audits (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  procedure_id bigint NOT NULL REFERENCES procedures(id),
  -- The referential the grid uses (src/accessibility/rgaa/<version>/): a later RGAA sits beside this one.
  rgaa_version text NOT NULL DEFAULT '4.1.2' CHECK (rgaa_version ~ '^[0-9]+(\.[0-9]+)*$'),
  -- fast: 25 criteria, complementary: 50, full: 106 (the lists: src/accessibility/rgaa/<version>/audit-types.json).
  audit_type text NOT NULL CHECK (audit_type IN ('fast', 'complementary', 'full')),
  -- « en cours » until published; whether every cell is tested is computed from the results, never stored.
  status text NOT NULL DEFAULT 'in_progress' CHECK (status IN ('in_progress', 'published')),
  name text NOT NULL CHECK (length(btrim(name)) > 0),
  site_url text,
  -- Who ran the audit (an organisation or a person), for the report and the declaration's « établissement ».
  audited_by text NOT NULL DEFAULT '',
  tools text[] NOT NULL DEFAULT '{}',
  started_on date,
  finished_on date,
  published_at timestamptz,
  published_by bigint REFERENCES users(id),
  -- A re-audit starts from a copy of this audit's sample and results.
  previous_audit_id bigint REFERENCES accessibility_audits(id),
  -- Optimistic concurrency on the audit's own fields (the grid's cells have their own versions).
  version integer NOT NULL DEFAULT 1 CHECK (version > 0),
  is_demo boolean NOT NULL DEFAULT false,
  created_by bigint REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz,
  CHECK (finished_on IS NULL OR started_on IS NULL OR finished_on >= started_on),
  CHECK ((status = 'published') = (published_at IS NOT NULL)),
  CHECK (previous_audit_id IS NULL OR previous_audit_id <> id)
);
CREATE INDEX accessibility_audits_procedure ON accessibility_audits (procedure_id, published_at DESC NULLS LAST);

-- Assistive technology × browser × operating system (offered from a list, free entries allowed).
CREATE TABLE accessibility_audit_environments (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  audit_id bigint NOT NULL REFERENCES accessibility_audits(id) ON DELETE CASCADE,
  position integer NOT NULL,
  -- Null: tested without assistive technology (keyboard, zoom).
  assistive_technology text,
  browser text NOT NULL CHECK (length(btrim(browser)) > 0),
  operating_system text NOT NULL CHECK (length(btrim(operating_system)) > 0)
);
CREATE INDEX accessibility_audit_environments_audit ON accessibility_audit_environments (audit_id, position);

-- The « auditeur » grant: an outside auditor (invited by e-mail) may edit this one audit, nothing else.
CREATE TABLE accessibility_audit_auditors (
  audit_id bigint NOT NULL REFERENCES accessibility_audits(id) ON DELETE CASCADE,
  user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  granted_by bigint REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (audit_id, user_id)
);
CREATE INDEX accessibility_audit_auditors_user ON accessibility_audit_auditors (user_id);

-- « Toutes les étapes d'un processus »: a criterion failed on one step fails on every step of the process.
CREATE TABLE accessibility_audit_processes (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  audit_id bigint NOT NULL REFERENCES accessibility_audits(id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(btrim(name)) > 0),
  position integer NOT NULL,
  UNIQUE (audit_id, name),
  UNIQUE (audit_id, id)
);

-- The sample. Kinds: the mandatory ones of the official sample first (src/accessibility/audits/model.ts), then the
-- others; 'transverse' is the pseudo-page of components shared by every page (at most one per audit).
CREATE TABLE accessibility_audit_pages (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  audit_id bigint NOT NULL REFERENCES accessibility_audits(id) ON DELETE CASCADE,
  position integer NOT NULL,
  name text NOT NULL CHECK (length(btrim(name)) > 0),
  url text,
  kind text NOT NULL CHECK (kind IN ('accueil', 'contact', 'mentions_legales', 'accessibilite', 'plan_du_site', 'aide',
    'authentification', 'service', 'recherche', 'document', 'processus', 'gabarit', 'aleatoire', 'autre', 'transverse')),
  process_id bigint,
  UNIQUE (audit_id, id),
  FOREIGN KEY (audit_id, process_id) REFERENCES accessibility_audit_processes (audit_id, id),
  CHECK (kind <> 'transverse' OR process_id IS NULL)
);
CREATE INDEX accessibility_audit_pages_audit ON accessibility_audit_pages (audit_id, position);
CREATE UNIQUE INDEX accessibility_audit_pages_one_transverse ON accessibility_audit_pages (audit_id) WHERE kind = 'transverse';

-- The grid: one row per page × criterion of the audit's type, created with the page (NT). Each cell is saved on its
-- own: `UPDATE … SET …, version = version + 1 WHERE page_id = $1 AND criterion = $2 AND version = $expected`; no row
-- updated means someone saved first (their value is shown, the refused one kept in the form).
CREATE TABLE accessibility_results (
  audit_id bigint NOT NULL,
  page_id bigint NOT NULL,
  criterion text NOT NULL CHECK (criterion ~ '^[0-9]{1,2}\.[0-9]{1,2}$'),
  status text NOT NULL DEFAULT 'NT' CHECK (status IN ('C', 'NC', 'NA', 'NT')),
  -- An improvement note on a C, or why a criterion is NA; kept when the status changes.
  note text NOT NULL DEFAULT '',
  version integer NOT NULL DEFAULT 1 CHECK (version > 0),
  updated_by bigint REFERENCES users(id),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (page_id, criterion),
  FOREIGN KEY (audit_id, page_id) REFERENCES accessibility_audit_pages (audit_id, id) ON DELETE CASCADE
);
CREATE INDEX accessibility_results_audit ON accessibility_results (audit_id, criterion);

-- What fails an NC cell. Items belong to the cell (saving them bumps the cell's version); they are kept, not shown,
-- while the cell is not NC.
CREATE TABLE accessibility_nc_items (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  page_id bigint NOT NULL,
  criterion text NOT NULL,
  position integer NOT NULL,
  description text NOT NULL CHECK (length(btrim(description)) > 0),
  impact text CHECK (impact IN ('mineur', 'majeur', 'bloquant')),
  quick_win boolean NOT NULL DEFAULT false,
  recommendation text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (page_id, criterion) REFERENCES accessibility_results (page_id, criterion) ON DELETE CASCADE
);
CREATE INDEX accessibility_nc_items_result ON accessibility_nc_items (page_id, criterion, position);

-- An item's optional screenshot: at most 2 MB, its type checked from its bytes before it is stored.
CREATE TABLE accessibility_nc_images (
  item_id bigint PRIMARY KEY REFERENCES accessibility_nc_items(id) ON DELETE CASCADE,
  content_type text NOT NULL CHECK (content_type IN ('image/png', 'image/jpeg', 'image/gif', 'image/webp')),
  bytes bytea NOT NULL CHECK (octet_length(bytes) BETWEEN 1 AND 2097152),
  alt text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now()
);
