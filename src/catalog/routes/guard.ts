import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendErrorPage } from '../../kernel/web/render.ts';

export { sendForbidden as forbidden } from '../../kernel/web/access.ts';
export { parseId } from '../../kernel/web/ids.ts';

export function notFound(request: FastifyRequest, reply: FastifyReply, what = 'Cette démarche'): FastifyReply {
  return sendErrorPage(request, reply, 404, 'Page non trouvée', `${what} n’existe pas ou plus.`);
}
