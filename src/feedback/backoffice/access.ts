import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Queryable } from '../../kernel/db/db.ts';
import type { CurrentUser } from '../../kernel/auth/scope.ts';
import { sendErrorPage } from '../../kernel/web/render.ts';
import { sendForbidden as forbidden } from '../../kernel/web/access.ts';
import { parseId } from '../../kernel/web/ids.ts';
import { getForm, type FormRow } from '../forms/queries.ts';

export { forbidden, parseId };

export function notFound(request: FastifyRequest, reply: FastifyReply, what = 'Cette démarche'): FastifyReply {
  return sendErrorPage(request, reply, 404, 'Page non trouvée', `${what} n’existe pas ou plus.`);
}

/**
 * The form of the URL (its id checked by the route schema, `formParams`) and the signed-in user; the route's declared
 * access (`via: 'form'`) has already checked the scope. Null (the 404 is sent) if the form is gone since.
 */
export async function formOf(
  db: Queryable,
  request: FastifyRequest,
  reply: FastifyReply,
  formId: number,
): Promise<{ user: CurrentUser; form: FormRow } | null> {
  const form = await getForm(db, formId);
  if (!form) {
    notFound(request, reply, 'Ce formulaire');
    return null;
  }
  return { user: request.user!, form };
}
