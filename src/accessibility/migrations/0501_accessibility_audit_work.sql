-- Accessibility audits at work (issue 12, docs/accessibility.md): items pulled from an automated scan (« automatique »,
-- to confirm or discard), and the report's revocable share links (only the token's hash is stored).
ALTER TABLE accessibility_nc_items
  ADD COLUMN origin text NOT NULL DEFAULT 'manual' CHECK (origin IN ('manual', 'automatic')),
  -- An automatic item stays « à confirmer » until an auditor confirms it (discarding deletes it).
  ADD COLUMN confirmed boolean NOT NULL DEFAULT true,
  ADD COLUMN scan_rule text,
  ADD CHECK (origin = 'automatic' OR confirmed);

CREATE TABLE accessibility_report_links (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  audit_id bigint NOT NULL REFERENCES accessibility_audits(id) ON DELETE CASCADE,
  token_hash text NOT NULL UNIQUE,
  created_by bigint REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz,
  revoked_by bigint REFERENCES users(id)
);
CREATE INDEX accessibility_report_links_audit ON accessibility_report_links (audit_id);
