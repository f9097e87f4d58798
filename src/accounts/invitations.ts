import type { Queryable } from '../kernel/db/db.ts';
import { hashToken, newToken } from '../kernel/auth/session.ts';
import { audit } from '../kernel/audit/audit.ts';
import type { Role } from '../kernel/auth/scope.ts';
import { insertGrant, type GrantInput } from './users.ts';

export const INVITATION_DAYS = 7;

/** Records an invitation; returns the clear token (only its hash is stored) for the link in the mail. */
export async function createInvitation(
  db: Queryable,
  email: string,
  grant: GrantInput,
  invitedBy: number,
): Promise<{ id: number; token: string }> {
  const token = newToken();
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO invitations (email, role, ministry_id, administration_id, procedure_id, token_hash, invited_by, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, now() + $8 * interval '1 day') RETURNING id`,
    [
      email,
      grant.role,
      grant.ministryId ?? null,
      grant.administrationId ?? null,
      grant.procedureId ?? null,
      hashToken(token),
      invitedBy,
      INVITATION_DAYS,
    ],
  );
  return { id: rows[0].id, token };
}

export interface InvitationView {
  id: number;
  invited_by: number | null;
  email: string;
  role: Role;
  scope_label: string | null;
  inviter: string | null;
  usable: boolean;
  accepted: boolean;
  expires_at: Date;
}

const VIEW = `SELECT i.id, i.invited_by, i.email, i.role, coalesce(m.name, a.name, p.title) AS scope_label,
                     coalesce(nullif(u.display_name, ''), u.email) AS inviter,
                     (i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > now()) AS usable,
                     (i.accepted_at IS NOT NULL) AS accepted, i.expires_at
                FROM invitations i
                LEFT JOIN ministries m ON m.id = i.ministry_id
                LEFT JOIN administrations a ON a.id = i.administration_id
                LEFT JOIN procedures p ON p.id = i.procedure_id
                LEFT JOIN users u ON u.id = i.invited_by`;

export async function findInvitationByToken(db: Queryable, token: string): Promise<InvitationView | null> {
  if (token.length > 100) return null;
  const { rows } = await db.query<InvitationView>(`${VIEW} WHERE i.token_hash = $1`, [hashToken(token)]);
  return rows[0] ?? null;
}

export async function findInvitationById(db: Queryable, id: number): Promise<InvitationView | null> {
  const { rows } = await db.query<InvitationView>(`${VIEW} WHERE i.id = $1`, [id]);
  return rows[0] ?? null;
}

export async function listInvitationsBy(db: Queryable, userId: number | null, limit = 100): Promise<InvitationView[]> {
  const { rows } = await db.query<InvitationView>(
    `${VIEW} WHERE ($1::bigint IS NULL OR i.invited_by = $1) ORDER BY i.created_at DESC, i.id DESC LIMIT $2`,
    [userId, limit],
  );
  return rows;
}

/**
 * Grants the scope of every pending invitation sent to this address, and marks them accepted.
 * Call it only once the address is proven (invitation link, verified e-mail, OpenID Connect sign-in),
 * inside the sign-in transaction. Returns the number of invitations accepted.
 */
export async function acceptInvitationsFor(db: Queryable, userId: number, email: string): Promise<number> {
  const { rows } = await db.query<{
    id: number;
    role: Role;
    ministry_id: number | null;
    administration_id: number | null;
    procedure_id: number | null;
    invited_by: number | null;
  }>(
    `UPDATE invitations SET accepted_at = now(), accepted_by = $1
      WHERE lower(email) = lower($2) AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now()
      RETURNING id, role, ministry_id, administration_id, procedure_id, invited_by`,
    [userId, email],
  );
  for (const inv of rows) {
    const grant = { role: inv.role, ministryId: inv.ministry_id, administrationId: inv.administration_id, procedureId: inv.procedure_id };
    const grantId = await insertGrant(db, userId, grant, inv.invited_by);
    await audit(db, {
      actor: { id: userId, email },
      action: 'invitation.accept',
      entityType: 'invitation',
      entityId: inv.id,
      after: { ...grant, grantId },
    });
  }
  return rows.length;
}
