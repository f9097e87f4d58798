import { createHmac } from 'node:crypto';
import type { Queryable } from '../db/db.ts';

/** What @fastify/rate-limit asks of a store (its LocalStore keeps the same counters in this process's memory). */
interface RateLimitStore {
  incr(
    key: string,
    callback: (error: Error | null, result?: { current: number; ttl: number }) => void,
    timeWindow: number,
    max: number,
  ): void;
  child(params: { routeInfo?: { method?: string | string[]; url?: string } }): RateLimitStore;
}

/** Expired counters are deleted by each server at most this often. */
export const RATE_LIMIT_CLEANUP_MS = 60_000;

/**
 * One fixed window per key: a new window starts at the first hit after the previous one ended. The answer is the
 * count including this hit and the milliseconds left in the window, as @fastify/rate-limit expects.
 */
const INCREMENT = `INSERT INTO rate_limit_counters AS c (key, window_start, expires_at, count)
     VALUES ($1, now(), now() + $2 * interval '1 millisecond', 1)
     ON CONFLICT (key) DO UPDATE SET
       count = CASE WHEN c.expires_at <= now() THEN 1 ELSE c.count + 1 END,
       window_start = CASE WHEN c.expires_at <= now() THEN now() ELSE c.window_start END,
       expires_at = CASE WHEN c.expires_at <= now() THEN now() + $2 * interval '1 millisecond' ELSE c.expires_at END
     RETURNING count, greatest(0, ceil(extract(epoch FROM (expires_at - now())) * 1000))::int AS ttl`;

/**
 * The @fastify/rate-limit store of Vigie: counters in the database (table rate_limit_counters, migration 0311), so
 * that several servers on one database count together — a limit reached through one server holds on the others. Keys
 * are an HMAC (server secret) of the route and the client key (its address): no address is stored. Nothing is kept in
 * memory but the time of the last cleanup.
 */
export function databaseRateLimitStore(db: Queryable, secret: string): new () => RateLimitStore {
  let lastCleanup = 0;
  const cleanup = () => {
    const now = Date.now();
    if (now - lastCleanup < RATE_LIMIT_CLEANUP_MS) return;
    lastCleanup = now;
    db.query('DELETE FROM rate_limit_counters WHERE expires_at < now()').catch(() => undefined);
  };
  class DatabaseStore implements RateLimitStore {
    private readonly scope: string;

    /** @fastify/rate-limit builds the first one with its options: only children (one per route) have a scope. */
    constructor(scope?: unknown) {
      this.scope = typeof scope === 'string' ? scope : '';
    }

    incr(key: string, callback: (error: Error | null, result?: { current: number; ttl: number }) => void, timeWindow: number): void {
      const hashed = createHmac('sha256', secret)
        .update('rate-limit\0')
        .update(this.scope)
        .update('\0')
        .update(key)
        .digest('base64url')
        .slice(0, 32);
      db.query<{ count: number; ttl: number }>(INCREMENT, [hashed, timeWindow], { name: 'rate_limit_incr' }).then(
        ({ rows }) => {
          cleanup();
          callback(null, { current: Number(rows[0].count), ttl: Number(rows[0].ttl) });
        },
        (error: Error) => callback(error),
      );
    }

    /** Each route counts on its own, as with the in-memory store (one store per route, made from the route's options). */
    child(params: { routeInfo?: { method?: string | string[]; url?: string } }): RateLimitStore {
      const route = params.routeInfo ?? {};
      const method = Array.isArray(route.method) ? route.method.join(',') : (route.method ?? '');
      return new DatabaseStore(`${method} ${route.url ?? ''}`);
    }
  }
  return DatabaseStore as unknown as new () => RateLimitStore;
}
