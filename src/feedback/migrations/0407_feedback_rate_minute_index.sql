-- Old rate counters are deleted by minute (`DELETE … WHERE minute < now() - 10 minutes`); the primary key starts with
-- the address hash, so without this index each clean-up read the whole table, which holds one row per address, minute
-- and shard of the last minutes: tens of thousands of rows under a national load.
CREATE INDEX feedback_rate_minute ON feedback_rate (minute);
