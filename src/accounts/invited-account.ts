import type { FastifyRequest } from 'fastify';
import type { Queryable } from '../kernel/db/db.ts';
import { audit } from '../kernel/audit/audit.ts';
import { insertUser, findUserIdByEmail } from './users.ts';
import { openSession, setSessionCookie } from './sign-in.ts';

export { findUserIdByEmail, setSessionCookie };

/**
 * Creates the account of a person who followed an invitation link sent to `email` (the link proves the address, so it
 * is verified) and opens their session; for another module's invitation (an outside auditor's, src/accessibility).
 * Call inside the transaction that consumes the invitation; hash the password before it (`hashPassword`, slow).
 * Returns the new user's id and the session token to set with `setSessionCookie` once committed.
 */
export async function createInvitedAccount(
  tx: Queryable,
  request: FastifyRequest,
  input: { email: string; displayName: string; passwordHash: string; via: string },
): Promise<{ userId: number; sessionToken: string }> {
  const email = input.email.toLowerCase();
  const userId = await insertUser(tx, { email, displayName: input.displayName, passwordHash: input.passwordHash, emailVerified: true });
  await audit(tx, {
    actor: { id: userId, email },
    action: 'user.create',
    entityType: 'user',
    entityId: userId,
    after: { email, via: input.via },
    ipHash: request.ipHash,
  });
  const sessionToken = await openSession(tx, request, { id: userId, email, emailVerified: true }, input.via);
  return { userId, sessionToken };
}
