-- Page loads measured in a real browser (Chromium): navigation timing to the load event, largest contentful paint,
-- bytes transferred. Feeds the observatoire's « performance » (mean load time). Filled by the browser measurer.
CREATE TABLE monitoring_page_loads (
  id bigserial PRIMARY KEY,
  target_id bigint NOT NULL REFERENCES monitoring_targets(id) ON DELETE CASCADE,
  measured_at timestamptz NOT NULL DEFAULT now(),
  load_ms real,
  lcp_ms real,
  bytes bigint,
  -- null when measured; otherwise why not (timeout, crash, too-large, dialog, download, navigation error).
  error text
);
CREATE INDEX monitoring_page_loads_target ON monitoring_page_loads (target_id, measured_at);
