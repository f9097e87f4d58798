import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../kernel/config.ts';
import type { Queryable } from '../kernel/db/db.ts';
import { SESSION_COOKIE, createSession, destroySession } from '../kernel/auth/session.ts';
import { audit } from '../kernel/audit/audit.ts';
import { clearFailedLogins } from './lockout.ts';
import { acceptInvitationsFor } from './invitations.ts';

export function setSessionCookie(reply: FastifyReply, config: Config, token: string): void {
  reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure: config.secureCookies });
}

export function clearSessionCookie(reply: FastifyReply, config: Config): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: config.secureCookies });
}

/**
 * Opens a fresh session (any previous one of this browser is closed: no session fixation), resets the failure
 * counter and, when the address is proven, grants pending invitations. Call inside the sign-in transaction.
 */
export async function openSession(
  tx: Queryable,
  request: FastifyRequest,
  user: { id: number; email: string; emailVerified: boolean },
  method: string,
): Promise<string> {
  const previous = request.cookies[SESSION_COOKIE];
  if (previous) await destroySession(tx, previous);
  await clearFailedLogins(tx, user.id);
  const token = await createSession(tx, user.id, request.headers['user-agent']);
  const accepted = user.emailVerified ? await acceptInvitationsFor(tx, user.id, user.email) : 0;
  await audit(tx, {
    actor: user,
    action: 'user.login',
    entityType: 'user',
    entityId: user.id,
    after: { method, invitationsAccepted: accepted },
    ipHash: request.ipHash,
  });
  return token;
}
