-- The answer-delay figures of every administration read only this narrow index (an index-only scan, already grouped
-- by administration) instead of the stories' rows with their texts: 1 million stories in well under a second.
CREATE INDEX experiences_delay_figures ON experiences (administration_id)
  INCLUDE (ministry_id, published_at, first_answer_at, due_at, status)
  WHERE published_at IS NOT NULL AND status <> 'refused';
