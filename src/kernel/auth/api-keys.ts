import { randomBytes } from 'node:crypto';
import type { Queryable } from '../db/db.ts';
import type { CurrentUser } from './scope.ts';
import { hashToken, loadGrants } from './session.ts';

/** Keys look like `vigie_<43 characters>`; the first characters (the prefix) are shown to tell keys apart. */
export const API_KEY_MARK = 'vigie_';
const PREFIX_LENGTH = API_KEY_MARK.length + 8;

export interface NewApiKey {
  id: number;
  /** The clear key: shown once to its owner, never stored. */
  key: string;
  prefix: string;
}

export async function createApiKey(db: Queryable, userId: number, name: string): Promise<NewApiKey> {
  const key = API_KEY_MARK + randomBytes(32).toString('base64url');
  const prefix = key.slice(0, PREFIX_LENGTH);
  const { rows } = await db.query<{ id: number }>(
    'INSERT INTO api_keys (user_id, name, prefix, secret_hash) VALUES ($1, $2, $3, $4) RETURNING id',
    [userId, name, prefix, hashToken(key)],
  );
  return { id: rows[0].id, key, prefix };
}

/** The key from `Authorization: Bearer <key>`, or null when the header is missing or malformed. */
export function apiKeyFromHeader(authorizationHeader: string | undefined | null): string | null {
  if (!authorizationHeader || authorizationHeader.length > 200) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorizationHeader);
  return match && match[1].startsWith(API_KEY_MARK) ? match[1] : null;
}

/**
 * The user behind an API key, acting with the owner's current grants; null for an unknown or revoked key or a
 * disabled owner. Every successful call is counted on the key (call_count, last_used_at).
 */
export async function authenticateApiKey(db: Queryable, authorizationHeader: string | undefined | null): Promise<CurrentUser | null> {
  const key = apiKeyFromHeader(authorizationHeader);
  if (!key) return null;
  const { rows } = await db.query<{ id: number; user_id: number; email: string; display_name: string }>(
    `UPDATE api_keys k SET last_used_at = now(), call_count = k.call_count + 1
       FROM users u
      WHERE k.secret_hash = $1 AND k.revoked_at IS NULL AND u.id = k.user_id AND u.disabled_at IS NULL
      RETURNING k.id, u.id AS user_id, u.email, u.display_name`,
    [hashToken(key)],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    id: row.user_id,
    email: row.email,
    displayName: row.display_name,
    grants: await loadGrants(db, row.user_id),
    sessionId: `api-key:${row.id}`,
  };
}

/** Revokes every active key of the user; returns the keys revoked (for the audit log and the page that says so). */
export async function revokeAllApiKeys(db: Queryable, userId: number): Promise<{ id: number; name: string; prefix: string }[]> {
  const { rows } = await db.query<{ id: number; name: string; prefix: string }>(
    'UPDATE api_keys SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL RETURNING id, name, prefix',
    [userId],
  );
  return rows;
}

export async function countActiveApiKeys(db: Queryable, userId: number): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM api_keys WHERE user_id = $1 AND revoked_at IS NULL', [
    userId,
  ]);
  return rows[0]?.n ?? 0;
}
