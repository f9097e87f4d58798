-- Users, their scoped roles (grants) and server-side sessions.
CREATE TABLE users (
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
CREATE UNIQUE INDEX users_email ON users (lower(email));
CREATE UNIQUE INDEX users_oidc ON users (oidc_issuer, oidc_subject) WHERE oidc_subject IS NOT NULL;

CREATE TABLE grants (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role text NOT NULL CHECK (role IN ('admin', 'ministry_referent', 'administration_member', 'procedure_editor', 'procedure_reader')),
  ministry_id bigint REFERENCES ministries(id),
  administration_id bigint REFERENCES administrations(id),
  procedure_id bigint REFERENCES procedures(id),
  created_by bigint REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (
    (role = 'admin' AND ministry_id IS NULL AND administration_id IS NULL AND procedure_id IS NULL) OR
    (role = 'ministry_referent' AND ministry_id IS NOT NULL AND administration_id IS NULL AND procedure_id IS NULL) OR
    (role = 'administration_member' AND administration_id IS NOT NULL AND ministry_id IS NULL AND procedure_id IS NULL) OR
    (role IN ('procedure_editor', 'procedure_reader') AND procedure_id IS NOT NULL AND ministry_id IS NULL AND administration_id IS NULL)
  )
);
CREATE INDEX grants_user ON grants (user_id);

CREATE TABLE sessions (
  id_hash text PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  user_agent text
);
CREATE INDEX sessions_user ON sessions (user_id);
