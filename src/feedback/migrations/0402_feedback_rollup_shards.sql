-- Every review of a busy button updates the same few rollup rows: spread them over 16 shards (chosen by review id) so
-- that concurrent submissions do not queue on one row lock. Readers sum over shards as they already sum over days.
ALTER TABLE feedback_rollups ADD COLUMN shard smallint NOT NULL DEFAULT 0;
ALTER TABLE feedback_rollups DROP CONSTRAINT feedback_rollups_pkey;
ALTER TABLE feedback_rollups ADD PRIMARY KEY (form_id, day, button_id, question, option_id, shard);
