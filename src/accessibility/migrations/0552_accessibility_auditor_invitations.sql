-- An outside auditor invited by e-mail to one audit before having an account: the link in the mail carries a random
-- token (256 bits) of which only the hash is kept; it expires, serves once (accepted_at), and can be cancelled.
-- Accepting it creates the account (or is done by the signed-in owner of the address) and grants this audit only.
CREATE TABLE accessibility_auditor_invitations (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  audit_id bigint NOT NULL REFERENCES accessibility_audits(id) ON DELETE CASCADE,
  email text NOT NULL CHECK (email ~ '^[^@\s]+@[^@\s]+$'),
  token_hash text NOT NULL UNIQUE,
  invited_by bigint REFERENCES users(id) ON DELETE SET NULL,
  expires_at timestamptz NOT NULL,
  accepted_at timestamptz,
  accepted_by bigint REFERENCES users(id) ON DELETE SET NULL,
  revoked_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX accessibility_auditor_invitations_audit ON accessibility_auditor_invitations (audit_id, created_at);
