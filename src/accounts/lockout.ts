import type { Queryable } from '../kernel/db/db.ts';

/** Failures allowed before the account is locked; each further failure doubles the lock (1, 2, 4… minutes). */
export const FAILURES_BEFORE_LOCK = 5;
export const MAX_LOCK_MINUTES = 24 * 60;

export function lockMinutes(failedLogins: number): number {
  if (failedLogins < FAILURES_BEFORE_LOCK) return 0;
  return Math.min(2 ** (failedLogins - FAILURES_BEFORE_LOCK), MAX_LOCK_MINUTES);
}

/** Counts one more failure; returns true when the account is now locked. */
export async function recordFailedLogin(db: Queryable, userId: number): Promise<boolean> {
  const { rows } = await db.query<{ failed_logins: number }>(
    'UPDATE users SET failed_logins = failed_logins + 1 WHERE id = $1 RETURNING failed_logins',
    [userId],
  );
  const minutes = lockMinutes(rows[0]?.failed_logins ?? 0);
  if (minutes === 0) return false;
  await db.query(`UPDATE users SET locked_until = now() + $2 * interval '1 minute' WHERE id = $1`, [userId, minutes]);
  return true;
}

export async function clearFailedLogins(db: Queryable, userId: number): Promise<void> {
  await db.query('UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1', [userId]);
}
