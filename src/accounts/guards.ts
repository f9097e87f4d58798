import type { FastifyReply, FastifyRequest } from 'fastify';
import { hasAnyGrant, isAdmin, type CurrentUser } from '../kernel/auth/scope.ts';
import { sendErrorPage } from '../kernel/web/render.ts';
import { loginUrl } from './return-path.ts';

/**
 * Route guards: each returns the user when allowed, or sends the answer (redirect to the login page for an
 * anonymous visitor, 403 page otherwise) and returns null; the handler then returns the reply.
 */
export function requireUser(request: FastifyRequest, reply: FastifyReply): CurrentUser | null {
  if (request.user) return request.user;
  const target = request.method === 'GET' ? request.url : '/';
  reply.code(303).header('location', loginUrl(target)).send();
  return null;
}

export function forbid(request: FastifyRequest, reply: FastifyReply): null {
  sendErrorPage(request, reply, 403, 'Accès refusé', 'Vous n’avez pas les droits nécessaires pour accéder à cette page ou faire cette action. Rien n’a été modifié.');
  return null;
}

export function requireAdmin(request: FastifyRequest, reply: FastifyReply): CurrentUser | null {
  const user = requireUser(request, reply);
  if (!user) return null;
  return isAdmin(user) ? user : forbid(request, reply);
}

/** Any back-office user: at least one grant. */
export function requireMember(request: FastifyRequest, reply: FastifyReply): CurrentUser | null {
  const user = requireUser(request, reply);
  if (!user) return null;
  return hasAnyGrant(user) ? user : forbid(request, reply);
}
