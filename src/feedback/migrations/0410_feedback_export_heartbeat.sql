-- An export whose worker died (crash, kill -9, redeploy) stayed « En cours » until pg-boss expired its job, about
-- 16 minutes. The worker now beats every few seconds while it runs; an export running without a beat for 30 s is
-- handed to a new job (feedback/exports/recovery.ts) and the page says it was restarted.
ALTER TABLE feedback_exports ADD COLUMN heartbeat_at timestamptz;
ALTER TABLE feedback_exports ADD COLUMN restarts int NOT NULL DEFAULT 0;
CREATE INDEX feedback_exports_running ON feedback_exports (heartbeat_at) WHERE status = 'running';
