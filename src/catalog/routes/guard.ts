import type { FastifyReply, FastifyRequest } from 'fastify';
import { hasAnyGrant, type CurrentUser } from '../../kernel/auth/scope.ts';
import { sendErrorPage } from '../../kernel/web/render.ts';

/** The back-office is for signed-in users with a role: anonymous visitors go to the sign-in page, others get a 403. */
export function signedInUser(request: FastifyRequest, reply: FastifyReply): CurrentUser | null {
  if (!request.user) {
    reply.code(302).header('location', `/connexion?retour=${encodeURIComponent(request.url)}`).send();
    return null;
  }
  if (!hasAnyGrant(request.user)) {
    forbidden(request, reply);
    return null;
  }
  return request.user;
}

export function forbidden(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return sendErrorPage(request, reply, 403, 'Accès refusé', 'Cette page ne fait pas partie de votre périmètre. Si vous pensez que c’est une erreur, contactez votre référent ministériel ou l’équipe de pilotage.');
}

export function notFound(request: FastifyRequest, reply: FastifyReply, what = 'Cette démarche'): FastifyReply {
  return sendErrorPage(request, reply, 404, 'Page non trouvée', `${what} n’existe pas ou plus.`);
}

/** Route ids are bigints in the database: anything else is a 404, never a SQL error. */
export function parseId(value: unknown): number | null {
  return typeof value === 'string' && /^[1-9]\d{0,15}$/.test(value) ? Number(value) : null;
}
