import { createHash } from 'node:crypto';
import type { Queryable } from '../../kernel/db/db.ts';

/**
 * Anti-abuse of the public questionnaire. IP addresses are never stored: a hash salted with the server secret and the
 * day (so it rotates every day) keys a per-minute counter kept in the database, shared by every server instance.
 */
export function rotatingIpHash(ip: string, secret: string, now = new Date()): string {
  return createHash('sha256').update(secret).update('\0feedback\0').update(now.toISOString().slice(0, 10)).update('\0').update(ip).digest('base64url').slice(0, 22);
}

/** Submissions allowed per hashed IP and minute (FEEDBACK_RATE_LIMIT overrides it, e.g. for load tests). */
export function rateLimitPerMinute(): number {
  const v = Number(process.env.FEEDBACK_RATE_LIMIT);
  return Number.isInteger(v) && v > 0 ? v : 30;
}

/** Counts one submission; true when it goes over the limit. */
export async function overRateLimit(db: Queryable, ipHash: string, limit = rateLimitPerMinute()): Promise<boolean> {
  const { rows } = await db.query<{ count: number }>(
    `INSERT INTO feedback_rate (ip_hash, minute, count) VALUES ($1, date_trunc('minute', now()), 1)
     ON CONFLICT (ip_hash, minute) DO UPDATE SET count = feedback_rate.count + 1 RETURNING count`,
    [ipHash],
  );
  await clearOldCountersSometimes(db);
  return rows[0].count > limit;
}

/** Old counters are useless after a minute; one request in a hundred clears them. */
export async function clearOldCountersSometimes(db: Queryable): Promise<void> {
  if (Math.random() < 0.01) await db.query(`DELETE FROM feedback_rate WHERE minute < now() - interval '10 minutes'`);
}

export type BlockReason = 'honeypot' | 'rate_limit' | 'forged' | 'stale' | 'expired' | 'replayed';

/** A refused submission is counted per form, day and reason, for the back-office. */
export async function countBlocked(db: Queryable, formId: number, reason: BlockReason): Promise<void> {
  await db.query(
    `INSERT INTO feedback_blocked (day, form_id, reason, count) VALUES ((now() AT TIME ZONE 'Europe/Paris')::date, $1, $2, 1)
     ON CONFLICT (form_id, day, reason) DO UPDATE SET count = feedback_blocked.count + 1`,
    [formId, reason],
  );
}
