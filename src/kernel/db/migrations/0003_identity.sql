-- Identity: users, their scoped roles (grants), server-side sessions and API keys. The kernel reads and writes them
-- (kernel/auth: sessions, scopes, API keys), so the kernel creates them. They were first created by the accounts
-- module's migrations 0200–0203: on a database made by those, every statement here finds its object already there and
-- does nothing; on a new database, the accounts module's 0205 replaces 0200–0204 (see kernel/db/migrate.ts « replaces »)
-- and adds what is the accounts module's own (invitations, account tokens, lock-out columns, the grants' links to the
-- catalogue). Column order and names are those of the old path, so that both paths end in the same schema
-- (test/migrations.test.ts).
CREATE TABLE IF NOT EXISTS users (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email text NOT NULL,
  display_name text NOT NULL DEFAULT '',
  password_hash text,
  email_verified_at timestamptz,
  oidc_issuer text,
  oidc_subject text,
  failed_logins integer NOT NULL DEFAULT 0,
  locked_until timestamptz,
  disabled_at timestamptz,
  is_demo boolean NOT NULL DEFAULT false,
  last_login_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX IF NOT EXISTS users_email ON users (lower(email));
CREATE UNIQUE INDEX IF NOT EXISTS users_oidc ON users (oidc_issuer, oidc_subject) WHERE oidc_subject IS NOT NULL;

-- A grant's place (ministry, administration, procedure) is a plain id here: the catalogue's tables do not exist yet
-- when the kernel migrates; the accounts module links them to the catalogue (0205).
CREATE TABLE IF NOT EXISTS grants (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role text NOT NULL CHECK (role IN ('admin', 'ministry_referent', 'administration_member', 'procedure_editor', 'procedure_reader')),
  ministry_id bigint,
  administration_id bigint,
  procedure_id bigint,
  created_by bigint REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (
    (role = 'admin' AND ministry_id IS NULL AND administration_id IS NULL AND procedure_id IS NULL) OR
    (role = 'ministry_referent' AND ministry_id IS NOT NULL AND administration_id IS NULL AND procedure_id IS NULL) OR
    (role = 'administration_member' AND administration_id IS NOT NULL AND ministry_id IS NULL AND procedure_id IS NULL) OR
    (role IN ('procedure_editor', 'procedure_reader') AND procedure_id IS NOT NULL AND ministry_id IS NULL AND administration_id IS NULL)
  )
);
CREATE INDEX IF NOT EXISTS grants_user ON grants (user_id);

CREATE TABLE IF NOT EXISTS sessions (
  id_hash text PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  user_agent text,
  -- A plain number per session, so that a user can name one to revoke: the token's hash never leaves the server.
  id bigint GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX IF NOT EXISTS sessions_user ON sessions (user_id);
CREATE UNIQUE INDEX IF NOT EXISTS sessions_id ON sessions (id);

-- Every secret is stored as its SHA-256 hash: the clear value is shown once.
CREATE TABLE IF NOT EXISTS api_keys (
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
CREATE INDEX IF NOT EXISTS api_keys_user ON api_keys (user_id);
