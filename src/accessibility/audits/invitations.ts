/**
 * Inviting an outside auditor who has no Vigie account yet, to one audit (issue 12). The mail carries a link with a
 * random token (`newToken`, 256 bits; only its hash is stored): the link expires after `AUDITOR_INVITATION_DAYS`,
 * serves once (consumed by a single UPDATE … WHERE accepted_at IS NULL, so two clicks cannot both succeed), and the
 * team can cancel it. Following it, the person creates their account (the link proves the address) and receives the
 * « auditeur » grant on that audit only (`accessibility_audit_auditors`, read by `auditPlace`).
 */
import type { Queryable } from '../../kernel/db/db.ts';
import { audit, type AuditEntry } from '../../kernel/audit/audit.ts';
import { hashToken, newToken } from '../../kernel/auth/session.ts';
import { lockInProgress } from './work.ts';

type Actor = AuditEntry['actor'];

export const AUDITOR_INVITATION_DAYS = 7;

export interface AuditorInvitation {
  id: number;
  auditId: number;
  auditName: string;
  procedureTitle: string;
  email: string;
  inviter: string | null;
  expiresAt: Date;
  /** Neither accepted, cancelled nor expired, and its audit still exists. */
  usable: boolean;
}

export interface PendingInvitation {
  id: number;
  email: string;
  expiresAt: Date;
}

/**
 * Records an invitation of `email` to this audit (in progress) and returns the clear token for the mail's link; an
 * earlier pending invitation of the same address to the same audit is cancelled (one live link at a time).
 */
export async function inviteAuditor(tx: Queryable, auditId: number, email: string, actor: Actor): Promise<{ id: number; token: string }> {
  await lockInProgress(tx, auditId);
  const address = email.toLowerCase();
  await tx.query(
    `UPDATE accessibility_auditor_invitations SET revoked_at = now()
      WHERE audit_id = $1 AND lower(email) = $2 AND accepted_at IS NULL AND revoked_at IS NULL`,
    [auditId, address],
  );
  const token = newToken();
  const { rows } = await tx.query<{ id: number }>(
    `INSERT INTO accessibility_auditor_invitations (audit_id, email, token_hash, invited_by, expires_at)
     VALUES ($1, $2, $3, $4, now() + $5 * interval '1 day') RETURNING id`,
    [auditId, address, hashToken(token), actor?.id ?? null, AUDITOR_INVITATION_DAYS],
  );
  const id = Number(rows[0].id);
  await audit(tx, {
    actor,
    action: 'accessibility.auditor.invite',
    entityType: 'accessibility_audit',
    entityId: auditId,
    after: { invitationId: id, email: address, days: AUDITOR_INVITATION_DAYS },
  });
  return { id, token };
}

/** The invitation behind a link's token (whatever its state), or null for an unknown token. */
export async function findAuditorInvitation(db: Queryable, token: string): Promise<AuditorInvitation | null> {
  if (token.length === 0 || token.length > 100) return null;
  const { rows } = await db.query(
    `SELECT i.id, i.audit_id, au.name AS audit_name, p.title AS procedure_title, i.email, i.expires_at,
            coalesce(nullif(u.display_name, ''), u.email) AS inviter,
            (i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > now() AND au.deleted_at IS NULL) AS usable
       FROM accessibility_auditor_invitations i
       JOIN accessibility_audits au ON au.id = i.audit_id JOIN procedures p ON p.id = au.procedure_id
       LEFT JOIN users u ON u.id = i.invited_by
      WHERE i.token_hash = $1`,
    [hashToken(token)],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    id: Number(r.id),
    auditId: Number(r.audit_id),
    auditName: r.audit_name,
    procedureTitle: r.procedure_title,
    email: r.email,
    inviter: r.inviter,
    expiresAt: new Date(r.expires_at),
    usable: r.usable,
  };
}

/**
 * Consumes the invitation of this token for `userId` and grants the audit to that user: both or nothing (call inside
 * a transaction). False when the link is no longer usable (accepted, cancelled, expired, audit deleted): nothing written.
 */
export async function acceptAuditorInvitation(
  tx: Queryable,
  token: string,
  userId: number,
  actor: Actor,
): Promise<{ auditId: number } | null> {
  const { rows } = await tx.query<{ id: number; audit_id: number; email: string; invited_by: number | null }>(
    `UPDATE accessibility_auditor_invitations i SET accepted_at = now(), accepted_by = $2
       FROM accessibility_audits au
      WHERE i.token_hash = $1 AND au.id = i.audit_id AND au.deleted_at IS NULL
        AND i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > now()
      RETURNING i.id, i.audit_id, i.email, i.invited_by`,
    [hashToken(token), userId],
  );
  const inv = rows[0];
  if (!inv) return null;
  const auditId = Number(inv.audit_id);
  await tx.query(`INSERT INTO accessibility_audit_auditors (audit_id, user_id, granted_by) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [
    auditId,
    userId,
    inv.invited_by,
  ]);
  await audit(tx, {
    actor,
    action: 'accessibility.auditor.invitation.accept',
    entityType: 'accessibility_audit',
    entityId: auditId,
    after: { invitationId: Number(inv.id), email: inv.email, userId },
  });
  return { auditId };
}

/** The pending (usable) invitations of an audit, for its page. */
export async function pendingAuditorInvitations(db: Queryable, auditId: number): Promise<PendingInvitation[]> {
  const { rows } = await db.query(
    `SELECT id, email, expires_at FROM accessibility_auditor_invitations
      WHERE audit_id = $1 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now() ORDER BY created_at, id`,
    [auditId],
  );
  return rows.map((r) => ({ id: Number(r.id), email: r.email, expiresAt: new Date(r.expires_at) }));
}

/** Cancels a pending invitation of this audit: its link stops working. False when there is none such. */
export async function cancelAuditorInvitation(tx: Queryable, auditId: number, invitationId: number, actor: Actor): Promise<boolean> {
  const { rows } = await tx.query(
    `UPDATE accessibility_auditor_invitations SET revoked_at = now()
      WHERE id = $1 AND audit_id = $2 AND accepted_at IS NULL AND revoked_at IS NULL RETURNING email`,
    [invitationId, auditId],
  );
  if (!rows[0]) return false;
  await audit(tx, {
    actor,
    action: 'accessibility.auditor.invitation.cancel',
    entityType: 'accessibility_audit',
    entityId: auditId,
    before: { invitationId, email: rows[0].email },
  });
  return true;
}
