-- Invitations, single-use account tokens (password reset, e-mail verification) and API keys.
-- Every secret is stored as its SHA-256 hash: the clear value only ever travels in a mail or is shown once.
CREATE TABLE invitations (
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
CREATE INDEX invitations_email ON invitations (lower(email)) WHERE accepted_at IS NULL;
CREATE INDEX invitations_invited_by ON invitations (invited_by);

CREATE TABLE account_tokens (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  purpose text NOT NULL CHECK (purpose IN ('password_reset', 'email_verification')),
  token_hash text NOT NULL UNIQUE,
  -- The address a verification token proves; it only applies while the account still has this address.
  email text NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX account_tokens_user ON account_tokens (user_id, purpose);

CREATE TABLE api_keys (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name text NOT NULL,
  prefix text NOT NULL,
  secret_hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  call_count bigint NOT NULL DEFAULT 0,
  revoked_at timestamptz
);
CREATE INDEX api_keys_user ON api_keys (user_id);
