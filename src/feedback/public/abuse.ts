import { createHash } from 'node:crypto';
import type { Queryable } from '../../kernel/db/db.ts';

/**
 * Anti-abuse of the public questionnaire. IP addresses are never stored: a hash salted with the server secret and the
 * day (so it rotates every day) keys a per-minute counter kept in the database, shared by every server instance.
 */
export function rotatingIpHash(ip: string, secret: string, now = new Date()): string {
  const day = now.toISOString().slice(0, 10);
  // Every submission needs it and a visitor sends several: kept per address for the day (bounded, cleared when full).
  const key = `${day}\0${ip}\0${secret}`;
  const known = recentHashes.get(key);
  if (known) return known;
  const hash = createHash('sha256')
    .update(secret)
    .update('\0feedback\0')
    .update(day)
    .update('\0')
    .update(ip)
    .digest('base64url')
    .slice(0, 22);
  if (recentHashes.size >= 10_000) recentHashes.clear();
  recentHashes.set(key, hash);
  return hash;
}

// Across servers: nothing to invalidate, a pure function of its key (day, address, secret) that every server computes alike.
const recentHashes = new Map<string, string>();

/** Shards of each address's per-minute counter (see migration 0404): concurrent submissions rarely wait on one row. */
export const RATE_SHARDS = 8;

export function randomRateShard(): number {
  return Math.floor(Math.random() * RATE_SHARDS);
}

/**
 * The rate limit is a sliding window over the last 60 seconds, kept with the per-minute counters: the count of the
 * current minute plus the previous minute's, weighted by the share of that minute still inside the window (at :15, the
 * previous minute counts for 45/60). A fixed window let 30 submissions through at :59 and 30 more at :00; now the 30
 * of :59 still count for almost 30 at :00. SQL giving the weighted previous minute of address `ip` at time `at`.
 */
export function previousMinuteWeighted(ip: string, at: string): string {
  return `coalesce((SELECT sum(p.count) FROM feedback_rate p
       WHERE p.ip_hash = ${ip} AND p.minute = date_trunc('minute', ${at}) - interval '1 minute'), 0)
       * (1 - extract(epoch FROM ${at} - date_trunc('minute', ${at})) / 60)`;
}

/**
 * SQL counting one submission of `$ip` in shard `$shard` at `$at` (null: the database's clock) and giving the
 * address's count over the sliding window, as `count`. Other shards are read from the statement's snapshot: concurrent
 * submissions may miss each other by a few units, a sequence of submissions never does.
 */
export function rateCountSql(ip: string, shard: string, at = 'now()'): string {
  return `WITH own AS (
       INSERT INTO feedback_rate (ip_hash, minute, shard, count) VALUES (${ip}, date_trunc('minute', ${at}), ${shard}, 1)
       ON CONFLICT (ip_hash, minute, shard) DO UPDATE SET count = feedback_rate.count + 1 RETURNING count
     )
     SELECT own.count + coalesce((SELECT sum(o.count) FROM feedback_rate o
        WHERE o.ip_hash = ${ip} AND o.minute = date_trunc('minute', ${at}) AND o.shard <> ${shard}), 0)
        + ${previousMinuteWeighted(ip, at)} AS count FROM own`;
}

/**
 * Counts one submission (at `at`, the database's clock by default); true when it goes over `limit`, the submissions
 * allowed per hashed IP and minute (`config.feedbackRateLimit`, FEEDBACK_RATE_LIMIT).
 */
export async function overRateLimit(db: Queryable, ipHash: string, limit: number, at: Date | null = null): Promise<boolean> {
  const { rows } = await db.query<{ count: number }>(rateCountSql('$1', '$2::smallint', 'coalesce($3::timestamptz, now())'), [
    ipHash,
    randomRateShard(),
    at,
  ]);
  return Number(rows[0].count) > limit;
}

/** How often each server instance deletes the old counters. */
export const COUNTER_CLEANUP_INTERVAL_MS = 60_000;

/**
 * Old counters are useless after a minute. Submissions call the cleaner returned here; it deletes the counters older
 * than 10 minutes at most once per interval in this process (by minute, migration 0407's index), however many
 * submissions arrive: a clean-up per N requests would grow with the traffic.
 */
export function oldCounterCleaner(intervalMs = COUNTER_CLEANUP_INTERVAL_MS): (db: Queryable, now?: number) => Promise<void> {
  let last = -Infinity;
  return async (db, now = Date.now()) => {
    if (now - last < intervalMs) return;
    last = now;
    await db.query(`DELETE FROM feedback_rate WHERE minute < now() - interval '10 minutes'`);
  };
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
