import { createHash, randomBytes } from 'node:crypto';
import type { Db, Queryable } from '../db/db.ts';
import type { CurrentUser, Grant, Role } from './scope.ts';

export const SESSION_COOKIE = 'vigie_session';
/** A session ends after this much inactivity; activity is recorded at most every few minutes. */
export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000;
const TOUCH_EVERY_MS = 5 * 60 * 1000;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Opens a session for the user; returns the token to put in the cookie (only its hash is stored). */
export async function createSession(db: Queryable, userId: number, userAgent?: string): Promise<string> {
  const token = newToken();
  await db.query(
    `INSERT INTO sessions (id_hash, user_id, expires_at, user_agent) VALUES ($1, $2, now() + $3 * interval '1 millisecond', $4)`,
    [hashToken(token), userId, SESSION_IDLE_MS, userAgent?.slice(0, 300) ?? null],
  );
  await db.query('UPDATE users SET last_login_at = now() WHERE id = $1', [userId]);
  return token;
}

export async function destroySession(db: Queryable, token: string): Promise<void> {
  await db.query('DELETE FROM sessions WHERE id_hash = $1', [hashToken(token)]);
}

export async function destroyAllSessions(db: Queryable, userId: number): Promise<number> {
  const { rowCount } = await db.query('DELETE FROM sessions WHERE user_id = $1', [userId]);
  return rowCount;
}

export async function loadGrants(db: Queryable, userId: number): Promise<Grant[]> {
  const { rows } = await db.query<{
    role: Role;
    ministry_id: number | null;
    administration_id: number | null;
    procedure_id: number | null;
  }>('SELECT role, ministry_id, administration_id, procedure_id FROM grants WHERE user_id = $1 ORDER BY id', [userId]);
  return rows.map((r) => ({ role: r.role, ministryId: r.ministry_id, administrationId: r.administration_id, procedureId: r.procedure_id }));
}

/** The user behind a session token, with their grants; null when the session is unknown, expired or the user disabled. */
export async function loadSessionUser(db: Db, token: string): Promise<CurrentUser | null> {
  const idHash = hashToken(token);
  const { rows } = await db.query<{ id: number; email: string; display_name: string; last_seen_at: Date; grants: any[] | null }>(
    `SELECT u.id, u.email, u.display_name, s.last_seen_at,
            (SELECT json_agg(json_build_object('role', g.role, 'ministryId', g.ministry_id,
                    'administrationId', g.administration_id, 'procedureId', g.procedure_id) ORDER BY g.id)
               FROM grants g WHERE g.user_id = u.id) AS grants
       FROM sessions s JOIN users u ON u.id = s.user_id
      WHERE s.id_hash = $1 AND s.expires_at > now() AND u.disabled_at IS NULL`,
    [idHash],
    // Every signed-in request runs it: parsed and planned once per connection.
    { name: 'kernel_session_user' },
  );
  const row = rows[0];
  if (!row) return null;
  if (Date.now() - new Date(row.last_seen_at).getTime() > TOUCH_EVERY_MS) {
    await db.query(`UPDATE sessions SET last_seen_at = now(), expires_at = now() + $2 * interval '1 millisecond' WHERE id_hash = $1`, [
      idHash,
      SESSION_IDLE_MS,
    ]);
  }
  const grants: Grant[] = (row.grants ?? []).map((g) => ({
    role: g.role,
    ministryId: g.ministryId === null ? null : Number(g.ministryId),
    administrationId: g.administrationId === null ? null : Number(g.administrationId),
    procedureId: g.procedureId === null ? null : Number(g.procedureId),
  }));
  return { id: row.id, email: row.email, displayName: row.display_name, grants, sessionId: idHash };
}
