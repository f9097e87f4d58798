-- replaces: 0200_accounts 0201_account_tokens 0202_lock_notice 0203_session_ids 0204_lockout_ladder
--
-- The identity tables (users, grants, sessions, api_keys) are the kernel's since kernel migration 0003. On a new
-- database the five migrations above are not run (they would create those tables a second time): they are recorded as
-- replaced by this one, which creates what remains the accounts module's own, in the shape they gave it. On a database
-- made by them, every statement here finds its object already there, or puts back the same thing.

-- Lock-out: when the owner was last told by mail, when the last counted failure happened.
ALTER TABLE users ADD COLUMN IF NOT EXISTS lock_notice_sent_at timestamptz;
ALTER TABLE users ADD COLUMN IF NOT EXISTS last_failed_login_at timestamptz;

-- A grant's place is a catalogue row.
ALTER TABLE grants DROP CONSTRAINT IF EXISTS grants_ministry_id_fkey;
ALTER TABLE grants ADD CONSTRAINT grants_ministry_id_fkey FOREIGN KEY (ministry_id) REFERENCES ministries(id);
ALTER TABLE grants DROP CONSTRAINT IF EXISTS grants_administration_id_fkey;
ALTER TABLE grants ADD CONSTRAINT grants_administration_id_fkey FOREIGN KEY (administration_id) REFERENCES administrations(id);
ALTER TABLE grants DROP CONSTRAINT IF EXISTS grants_procedure_id_fkey;
ALTER TABLE grants ADD CONSTRAINT grants_procedure_id_fkey FOREIGN KEY (procedure_id) REFERENCES procedures(id);

-- Invitations and single-use account tokens (password reset, e-mail verification, unlock); secrets stored hashed.
CREATE TABLE IF NOT EXISTS invitations (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email text NOT NULL,
  role text NOT NULL CHECK (role IN ('admin', 'ministry_referent', 'administration_member', 'procedure_editor', 'procedure_reader')),
  ministry_id bigint REFERENCES ministries(id),
  administration_id bigint REFERENCES administrations(id),
  procedure_id bigint REFERENCES procedures(id),
  token_hash text NOT NULL UNIQUE,
  invited_by bigint REFERENCES users(id) ON DELETE SET NULL,
  expires_at timestamptz NOT NULL,
  accepted_at timestamptz,
  accepted_by bigint REFERENCES users(id) ON DELETE SET NULL,
  revoked_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (
    (role = 'admin' AND ministry_id IS NULL AND administration_id IS NULL AND procedure_id IS NULL) OR
    (role = 'ministry_referent' AND ministry_id IS NOT NULL AND administration_id IS NULL AND procedure_id IS NULL) OR
    (role = 'administration_member' AND administration_id IS NOT NULL AND ministry_id IS NULL AND procedure_id IS NULL) OR
    (role IN ('procedure_editor', 'procedure_reader') AND procedure_id IS NOT NULL AND ministry_id IS NULL AND administration_id IS NULL)
  )
);
CREATE INDEX IF NOT EXISTS invitations_email ON invitations (lower(email)) WHERE accepted_at IS NULL;
CREATE INDEX IF NOT EXISTS invitations_invited_by ON invitations (invited_by);

CREATE TABLE IF NOT EXISTS account_tokens (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  purpose text NOT NULL,
  token_hash text NOT NULL UNIQUE,
  -- The address a verification token proves; it only applies while the account still has this address.
  email text NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS account_tokens_user ON account_tokens (user_id, purpose);
ALTER TABLE account_tokens DROP CONSTRAINT IF EXISTS account_tokens_purpose_check;
ALTER TABLE account_tokens ADD CONSTRAINT account_tokens_purpose_check
  CHECK (purpose IN ('password_reset', 'email_verification', 'account_unlock'));

-- Lock-out rules are the steering team's, kept as data (read by src/accounts/lockout.ts).
INSERT INTO app_settings (key, value)
VALUES ('accounts_lockout', '{"failuresBeforeLock": 5, "ladderMinutes": [1, 5, 15, 60], "quietMinutes": 60}')
ON CONFLICT (key) DO NOTHING;
