import type { Queryable } from '../../kernel/db/db.ts';
import { audit } from '../../kernel/audit/audit.ts';
import { acceptInvitationsFor } from '../invitations.ts';
import { insertUser } from '../users.ts';
import type { OidcIdentity } from './client.ts';

export type OidcRefusal = 'unverified-email' | 'unknown-email' | 'disabled';

export type OidcMatch = { ok: true; user: { id: number; email: string }; created: boolean } | { ok: false; reason: OidcRefusal };

interface UserRow {
  id: number;
  email: string;
  disabled_at: Date | null;
  oidc_issuer: string | null;
  oidc_subject: string | null;
}

const USER_COLUMNS = 'id, email, disabled_at, oidc_issuer, oidc_subject';

/** Thrown inside the transaction to undo a user created for an address that has no invitation after all. */
class NoInvitation extends Error {}

/**
 * Finds the Vigie account of an identity vouched for by the provider, in this order: the account already linked to
 * (issuer, subject); else the account with this verified address, which gets (re)linked; else a new account, only when
 * an invitation is waiting for this address (its scope is granted at once). Call inside the sign-in transaction.
 */
export async function matchOidcUser(tx: Queryable, identity: OidcIdentity, ipHash: string | null): Promise<OidcMatch> {
  const linked = await tx.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE oidc_issuer = $1 AND oidc_subject = $2`, [
    identity.issuer,
    identity.subject,
  ]);
  if (linked.rows[0]) {
    const user = linked.rows[0];
    return user.disabled_at ? { ok: false, reason: 'disabled' } : { ok: true, user, created: false };
  }

  if (!identity.email || !identity.emailVerified) return { ok: false, reason: 'unverified-email' };

  const byEmail = await tx.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE lower(email) = lower($1)`, [identity.email]);
  const existing = byEmail.rows[0];
  if (existing) {
    if (existing.disabled_at) return { ok: false, reason: 'disabled' };
    // The account may already be linked to another subject: ProConnect gives one subject per pair of service and
    // identity provider, so an agent who signs in through another of its identity providers arrives with a new one.
    // The verified address is what identifies the agent (ProConnect's own advice): the link moves to the new subject.
    await linkIdentity(tx, existing.id, identity);
    await audit(tx, {
      actor: existing,
      action: 'user.oidc_link',
      entityType: 'user',
      entityId: existing.id,
      before: { oidcIssuer: existing.oidc_issuer, oidcSubject: existing.oidc_subject },
      after: { oidcIssuer: identity.issuer, oidcSubject: identity.subject },
      ipHash,
    });
    return { ok: true, user: existing, created: false };
  }

  try {
    return await createInvitedUser(tx, identity, ipHash);
  } catch (error) {
    if (error instanceof NoInvitation) return { ok: false, reason: 'unknown-email' };
    throw error;
  }
}

async function linkIdentity(tx: Queryable, userId: number, identity: OidcIdentity): Promise<void> {
  await tx.query(
    `UPDATE users SET oidc_issuer = $2, oidc_subject = $3, email_verified_at = coalesce(email_verified_at, now()), updated_at = now()
      WHERE id = $1`,
    [userId, identity.issuer, identity.subject],
  );
}

/** Creates the account then accepts its invitations; none pending means no account: the savepoint undoes it. */
async function createInvitedUser(tx: Queryable, identity: OidcIdentity, ipHash: string | null): Promise<OidcMatch> {
  const email = identity.email!;
  await tx.query('SAVEPOINT oidc_new_user');
  try {
    const id = await insertUser(tx, { email, displayName: identity.displayName, passwordHash: null, emailVerified: true });
    await linkIdentity(tx, id, identity);
    const user = { id, email };
    const accepted = await acceptInvitationsFor(tx, id, email);
    if (accepted === 0) throw new NoInvitation();
    await audit(tx, {
      actor: user,
      action: 'user.create',
      entityType: 'user',
      entityId: id,
      after: { email, displayName: identity.displayName, method: 'oidc', oidcIssuer: identity.issuer, invitationsAccepted: accepted },
      ipHash,
    });
    await tx.query('RELEASE SAVEPOINT oidc_new_user');
    return { ok: true, user, created: true };
  } catch (error) {
    await tx.query('ROLLBACK TO SAVEPOINT oidc_new_user');
    throw error;
  }
}
