import type { FastifyReply, FastifyRequest } from 'fastify';
import { hasAnyGrant, isAdmin } from '../../kernel/auth/scope.ts';
import { sendErrorPage } from '../../kernel/web/render.ts';

function toSignIn(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return reply.code(303).header('location', `/connexion?retour=${encodeURIComponent(request.url)}`).send();
}

/** Steering team only; returns a reply when the request must stop here. */
export function refuseUnlessAdmin(request: FastifyRequest, reply: FastifyReply): FastifyReply | null {
  if (!request.user) return toSignIn(request, reply);
  if (!isAdmin(request.user)) return sendErrorPage(request, reply, 403, 'Accès refusé', 'Cette page est réservée à l’équipe de pilotage.');
  return null;
}

/** Anyone with a grant (the finer scope check is made on each procedure). */
export function refuseUnlessSignedIn(request: FastifyRequest, reply: FastifyReply): FastifyReply | null {
  if (!request.user) return toSignIn(request, reply);
  if (!hasAnyGrant(request.user)) return sendErrorPage(request, reply, 403, 'Accès refusé', 'Votre compte n’a accès à aucune démarche.');
  return null;
}

/**
 * Those who may set values on at least one procedure (every role but procedure_reader): the value import and its
 * form. Each row is then checked against the user's scope (manual-import.ts).
 */
export function refuseUnlessCanSetValues(request: FastifyRequest, reply: FastifyReply): FastifyReply | null {
  const refused = refuseUnlessSignedIn(request, reply);
  if (refused) return refused;
  if (!request.user!.grants.some((g) => g.role !== 'procedure_reader')) {
    return sendErrorPage(request, reply, 403, 'Accès refusé', 'Votre compte permet de consulter des démarches, pas d’en saisir les valeurs : l’import vous est fermé.');
  }
  return null;
}
