import { z } from 'zod';
import type { Queryable } from '../kernel/db/db.ts';

/**
 * The lock-out rules, kept as data in `app_settings` under this key (migration 0204): the steering team changes them
 * with one UPDATE, no deployment.
 */
export const LOCKOUT_SETTINGS_KEY = 'accounts_lockout';

export interface LockoutRules {
  /** Failures in a row before the account is locked. */
  failuresBeforeLock: number;
  /** Lock durations in minutes: the first for the lock-out failure, the next for each further one, the last repeated. */
  ladderMinutes: number[];
  /** Without a failure for this long (counted from the end of the last lock), the counter starts again from zero. */
  quietMinutes: number;
}

export const DEFAULT_LOCKOUT_RULES: LockoutRules = { failuresBeforeLock: 5, ladderMinutes: [1, 5, 15, 60], quietMinutes: 60 };

const rulesSchema = z.object({
  failuresBeforeLock: z.number().int().min(1).max(100),
  ladderMinutes: z
    .array(
      z
        .number()
        .int()
        .min(1)
        .max(7 * 24 * 60),
    )
    .min(1)
    .max(20),
  quietMinutes: z
    .number()
    .int()
    .min(1)
    .max(30 * 24 * 60),
});

/** The rules in force; the defaults when the setting is missing or malformed (a lock-out must never be switched off by a typo). */
export async function loadLockoutRules(db: Queryable): Promise<LockoutRules> {
  const { rows } = await db.query<{ value: unknown }>('SELECT value FROM app_settings WHERE key = $1', [LOCKOUT_SETTINGS_KEY]);
  const parsed = rulesSchema.safeParse(rows[0]?.value);
  return parsed.success ? parsed.data : DEFAULT_LOCKOUT_RULES;
}

/** Minutes of lock after the n-th failure in a row (0: not locked). */
export function lockMinutes(rules: LockoutRules, failures: number): number {
  if (failures < rules.failuresBeforeLock) return 0;
  const rung = Math.min(failures - rules.failuresBeforeLock, rules.ladderMinutes.length - 1);
  return rules.ladderMinutes[rung];
}

export interface FailureOutcome {
  /** False when the account was already locked (or disabled) by the time this failure was recorded: nothing changed. */
  counted: boolean;
  failures: number;
  /** Set when this very failure locked the account. */
  lockedUntil: Date | null;
  lockMinutes: number;
}

// The counter continues if the previous failure (or the end of the lock it caused) is recent; otherwise it restarts.
const NEXT_COUNT = `CASE WHEN greatest(last_failed_login_at, locked_until) > now() - $3 * interval '1 minute' THEN failed_logins + 1 ELSE 1 END`;

/**
 * Counts one failure and decides the lock in one statement: concurrent failures are serialised by the row lock, each
 * sees the count left by the previous one, and a failure that arrives once the account is locked changes nothing
 * (sixteen wrong passwords at once lock the account on the first rung, not the sixth).
 */
export async function recordFailedLogin(db: Queryable, userId: number, rules: LockoutRules): Promise<FailureOutcome> {
  const { rows } = await db.query<{ failed_logins: number; locked_until: Date | null; locked: boolean }>(
    `UPDATE users SET
        failed_logins = ${NEXT_COUNT},
        locked_until = CASE WHEN ${NEXT_COUNT} >= $2
          THEN now() + (($4::jsonb) ->> least(${NEXT_COUNT} - $2, jsonb_array_length($4::jsonb) - 1))::int * interval '1 minute'
          ELSE locked_until END,
        last_failed_login_at = now()
      WHERE id = $1 AND disabled_at IS NULL AND (locked_until IS NULL OR locked_until <= now())
      RETURNING failed_logins, locked_until, coalesce(locked_until > now(), false) AS locked`,
    [userId, rules.failuresBeforeLock, rules.quietMinutes, JSON.stringify(rules.ladderMinutes)],
  );
  const row = rows[0];
  if (!row) return { counted: false, failures: 0, lockedUntil: null, lockMinutes: 0 };
  const locked = row.locked && row.locked_until !== null;
  return {
    counted: true,
    failures: row.failed_logins,
    lockedUntil: locked ? new Date(row.locked_until!) : null,
    lockMinutes: locked ? lockMinutes(rules, row.failed_logins) : 0,
  };
}

export async function clearFailedLogins(db: Queryable, userId: number): Promise<void> {
  await db.query('UPDATE users SET failed_logins = 0, locked_until = NULL, last_failed_login_at = NULL WHERE id = $1', [userId]);
}
