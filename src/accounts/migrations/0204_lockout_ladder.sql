-- Lock-out rules are the steering team's, kept as data (app_settings 'accounts_lockout', read by src/accounts/lockout.ts):
-- failures allowed before a lock, the ladder of lock durations (minutes, one rung per further failure, the last rung
-- repeated), and the quiet time after which the failure counter starts again from zero.
INSERT INTO app_settings (key, value)
VALUES ('accounts_lockout', '{"failuresBeforeLock": 5, "ladderMinutes": [1, 5, 15, 60], "quietMinutes": 60}')
ON CONFLICT (key) DO NOTHING;

-- When the last counted failure happened: the counter decays after the quiet time.
ALTER TABLE users ADD COLUMN last_failed_login_at timestamptz;

-- Single-use « unlock my account » links sent with the lock-out notice.
ALTER TABLE account_tokens DROP CONSTRAINT account_tokens_purpose_check;
ALTER TABLE account_tokens ADD CONSTRAINT account_tokens_purpose_check
  CHECK (purpose IN ('password_reset', 'email_verification', 'account_unlock'));
