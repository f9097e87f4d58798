-- A plain number per session, so that « Mon compte » can name one to revoke: the token's hash never leaves the server.
ALTER TABLE sessions ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY;
CREATE UNIQUE INDEX sessions_id ON sessions (id);
