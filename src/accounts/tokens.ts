import { formText } from '../kernel/web/schemas.ts';
import type { Queryable } from '../kernel/db/db.ts';
import { hashToken, newToken } from '../kernel/auth/session.ts';

export type TokenPurpose = 'password_reset' | 'email_verification' | 'account_unlock';

/**
 * The `jeton` of a mailed link, in its page's query and in the form that page posts: the text, or '' when absent or
 * repeated. Never refused by the schema: a missing, unknown or spent token is the « Lien invalide ou expiré » page.
 */
export const linkToken = formText;

export const TOKEN_MINUTES: Record<TokenPurpose, number> = { password_reset: 60, email_verification: 24 * 60, account_unlock: 24 * 60 };

/** A single-use token for this user and address; returns the clear value for the mail (only its hash is kept). */
export async function createAccountToken(db: Queryable, userId: number, purpose: TokenPurpose, email: string): Promise<string> {
  const token = newToken();
  await db.query(
    `INSERT INTO account_tokens (user_id, purpose, token_hash, email, expires_at) VALUES ($1, $2, $3, $4, now() + $5 * interval '1 minute')`,
    [userId, purpose, hashToken(token), email, TOKEN_MINUTES[purpose]],
  );
  return token;
}

export interface ValidToken {
  id: number;
  userId: number;
  email: string;
}

/** The token when it is unused, unexpired, and its account is active with the same address; null otherwise. */
export async function findValidToken(db: Queryable, token: string, purpose: TokenPurpose): Promise<ValidToken | null> {
  if (!token || token.length > 100) return null;
  const { rows } = await db.query<{ id: number; user_id: number; email: string }>(
    `SELECT t.id, t.user_id, t.email FROM account_tokens t JOIN users u ON u.id = t.user_id
      WHERE t.token_hash = $1 AND t.purpose = $2 AND t.used_at IS NULL AND t.expires_at > now()
        AND u.disabled_at IS NULL AND lower(u.email) = lower(t.email)`,
    [hashToken(token), purpose],
  );
  const row = rows[0];
  return row ? { id: row.id, userId: row.user_id, email: row.email } : null;
}

/** Uses the token once: every other pending token of the same purpose for this user is spent too. */
export async function consumeToken(db: Queryable, token: string, purpose: TokenPurpose): Promise<ValidToken | null> {
  const valid = await findValidToken(db, token, purpose);
  if (!valid) return null;
  const { rowCount } = await db.query('UPDATE account_tokens SET used_at = now() WHERE id = $1 AND used_at IS NULL', [valid.id]);
  if (rowCount !== 1) return null;
  await db.query('UPDATE account_tokens SET used_at = now() WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL', [
    valid.userId,
    purpose,
  ]);
  return valid;
}
