-- Themes of a form's verbatims over a window (issue 15, « Verbatim themes »), computed on demand and kept until the
-- window's verbatims change: the key holds their count and highest review id, so a new, edited or deleted verbatim
-- makes the next reading compute them again. One row per form and window; rows not computed for a week are deleted
-- when the form's themes are next computed.
CREATE TABLE feedback_theme_cache (
  form_id bigint NOT NULL REFERENCES feedback_forms(id) ON DELETE CASCADE,
  window_start date NOT NULL,
  window_end date NOT NULL,
  verbatim_count int NOT NULL,
  last_review_id bigint NOT NULL,
  last_update timestamptz NOT NULL,
  result jsonb NOT NULL,
  computed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (form_id, window_start, window_end)
);
