import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendPage } from '../../kernel/web/render.ts';
import { invalidLinkPage } from '../views/public-forms.ts';

/** A mailed link that is missing, unknown, spent or expired: one 404 page, whichever link and whichever step. */
export function sendInvalidLink(request: FastifyRequest, reply: FastifyReply) {
  return sendPage(request, reply, { title: 'Lien invalide ou expiré', content: invalidLinkPage() }, 404);
}
