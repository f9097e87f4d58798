-- Counters of the per-route rate limits (@fastify/rate-limit, kernel/web/rate-limit-store.ts), shared by every Vigie
-- server on this database: ten attempts on one server and ten on another are twenty. `key` is a keyed hash of the
-- route and the client address (the address itself is never stored); a row is one fixed window.
CREATE TABLE rate_limit_counters (
  key text PRIMARY KEY,
  window_start timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  count integer NOT NULL
);
CREATE INDEX rate_limit_counters_expires ON rate_limit_counters (expires_at);
