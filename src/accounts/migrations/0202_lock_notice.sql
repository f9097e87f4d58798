-- When the owner was last told by mail that their account got locked: at most one such mail per hour.
ALTER TABLE users ADD COLUMN lock_notice_sent_at timestamptz;
