-- Statistics of a published edition (issue 15, docs/statistics.md): per procedure × indicator, the moments its value
-- was computed from (n, Σ mark, Σ mark²; a share is a mean of 0/1 marks), read from the sources once, at the first
-- read after publication, then kept: the intervals and tests of an edition do not move when later rollups change.
-- Numbered in the improvement range (0900–0999): the statistics came with issue 15.
CREATE TABLE obs_edition_statistics (
  edition_id bigint NOT NULL REFERENCES obs_editions(id) ON DELETE CASCADE,
  procedure_id bigint NOT NULL,
  indicator text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('share', 'mean')),
  n bigint NOT NULL CHECK (n >= 0),
  sum double precision NOT NULL,
  sum_squares double precision NOT NULL,
  PRIMARY KEY (edition_id, procedure_id, indicator)
);
-- Editions whose statistics are stored (the table above may hold no row for an edition without feedback).
CREATE TABLE obs_edition_statistics_done (
  edition_id bigint PRIMARY KEY REFERENCES obs_editions(id) ON DELETE CASCADE,
  computed_at timestamptz NOT NULL DEFAULT now()
);
