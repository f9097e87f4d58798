-- Automated accessibility scans (Chromium + axe-core) of target pages, and their findings mapped to RGAA criteria.
ALTER TABLE monitoring_targets ADD COLUMN last_scan_at timestamptz;
ALTER TABLE monitoring_targets ADD COLUMN scan_claimed_at timestamptz;
ALTER TABLE monitoring_targets ADD COLUMN scan_requested boolean NOT NULL DEFAULT false;

CREATE TABLE monitoring_scans (
  id bigserial PRIMARY KEY,
  target_id bigint NOT NULL REFERENCES monitoring_targets(id) ON DELETE CASCADE,
  procedure_id bigint NOT NULL REFERENCES procedures(id) ON DELETE CASCADE,
  page_url text NOT NULL,
  location text NOT NULL,
  finished_at timestamptz NOT NULL DEFAULT now(),
  -- null: scanned; otherwise why not (timeout, killed, too-large, redirects, navigation, crash).
  error text,
  error_message text,
  notes text[] NOT NULL DEFAULT '{}',
  finding_count int NOT NULL DEFAULT 0,
  declaration_mention text CHECK (declaration_mention IN ('non', 'partiellement', 'totalement')),
  declaration_link text,
  declared_rate real,
  declared_date date
);
CREATE INDEX monitoring_scans_target ON monitoring_scans (target_id, finished_at);
CREATE INDEX monitoring_scans_procedure ON monitoring_scans (procedure_id, finished_at);

CREATE TABLE monitoring_scan_findings (
  scan_id bigint NOT NULL REFERENCES monitoring_scans(id) ON DELETE CASCADE,
  criterion text NOT NULL,
  tests text[] NOT NULL,
  verdict text NOT NULL CHECK (verdict IN ('non-conforme', 'a-verifier')),
  rule_id text NOT NULL,
  message text NOT NULL,
  elements jsonb NOT NULL,
  PRIMARY KEY (scan_id, rule_id, criterion, verdict)
);
