-- The first step now counts a submission against the rate limit in the same statement that stores it, so the counter
-- row stays locked until that statement commits. Submissions from one address (a shared NAT, a load test) would queue
-- on it: spread each address's counter over 8 shards (chosen at random); the count is the sum over the shards.
ALTER TABLE feedback_rate ADD COLUMN shard smallint NOT NULL DEFAULT 0;
ALTER TABLE feedback_rate DROP CONSTRAINT feedback_rate_pkey;
ALTER TABLE feedback_rate ADD PRIMARY KEY (ip_hash, minute, shard);
