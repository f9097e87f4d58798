import type { Queryable } from '../kernel/db/db.ts';
import type { Role } from '../kernel/auth/scope.ts';

export interface LoginCandidate {
  id: number;
  email: string;
  password_hash: string | null;
  email_verified_at: Date | null;
  disabled_at: Date | null;
  locked: boolean;
}

export async function findLoginCandidate(db: Queryable, email: string): Promise<LoginCandidate | null> {
  const { rows } = await db.query<LoginCandidate>(
    `SELECT id, email, password_hash, email_verified_at, disabled_at, coalesce(locked_until > now(), false) AS locked
       FROM users WHERE lower(email) = lower($1)`,
    [email],
  );
  return rows[0] ?? null;
}

export async function findUserIdByEmail(db: Queryable, email: string): Promise<number | null> {
  const { rows } = await db.query<{ id: number }>('SELECT id FROM users WHERE lower(email) = lower($1)', [email]);
  return rows[0]?.id ?? null;
}

export interface NewUser {
  email: string;
  displayName?: string;
  passwordHash: string | null;
  emailVerified: boolean;
  isDemo?: boolean;
}

export async function insertUser(db: Queryable, user: NewUser): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO users (email, display_name, password_hash, email_verified_at, is_demo)
     VALUES ($1, $2, $3, CASE WHEN $4::boolean THEN now() END, $5) RETURNING id`,
    [user.email, user.displayName ?? '', user.passwordHash, user.emailVerified, user.isDemo ?? false],
  );
  return rows[0].id;
}

export interface GrantInput {
  role: Role;
  ministryId?: number | null;
  administrationId?: number | null;
  procedureId?: number | null;
}

/** Adds a grant unless the user already holds exactly this one; returns the new grant id, or null. */
export async function insertGrant(db: Queryable, userId: number, grant: GrantInput, createdBy: number | null): Promise<number | null> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO grants (user_id, role, ministry_id, administration_id, procedure_id, created_by)
     SELECT $1, $2, $3, $4, $5, $6
      WHERE NOT EXISTS (SELECT 1 FROM grants WHERE user_id = $1 AND role = $2
                          AND ministry_id IS NOT DISTINCT FROM $3::bigint
                          AND administration_id IS NOT DISTINCT FROM $4::bigint
                          AND procedure_id IS NOT DISTINCT FROM $5::bigint)
     RETURNING id`,
    [userId, grant.role, grant.ministryId ?? null, grant.administrationId ?? null, grant.procedureId ?? null, createdBy],
  );
  return rows[0]?.id ?? null;
}

export interface GrantRow {
  id: number;
  role: Role;
  ministry_id: number | null;
  administration_id: number | null;
  procedure_id: number | null;
  /** The name of what the grant covers (ministry, administration or procedure), or null for admin. */
  scope_label: string | null;
}

export async function listGrantsWithLabels(db: Queryable, userIds: number[]): Promise<Map<number, GrantRow[]>> {
  const { rows } = await db.query<GrantRow & { user_id: number }>(
    `SELECT g.id, g.user_id, g.role, g.ministry_id, g.administration_id, g.procedure_id,
            coalesce(m.name, a.name, p.title) AS scope_label
       FROM grants g
       LEFT JOIN ministries m ON m.id = g.ministry_id
       LEFT JOIN administrations a ON a.id = g.administration_id
       LEFT JOIN procedures p ON p.id = g.procedure_id
      WHERE g.user_id = ANY($1::bigint[])
      ORDER BY g.id`,
    [userIds],
  );
  const byUser = new Map<number, GrantRow[]>();
  for (const row of rows) {
    const list = byUser.get(row.user_id) ?? [];
    list.push(row);
    byUser.set(row.user_id, list);
  }
  return byUser;
}
