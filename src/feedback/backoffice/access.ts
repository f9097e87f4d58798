import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Queryable } from '../../kernel/db/db.ts';
import { canEditProcedure, canReadProcedure, type CurrentUser } from '../../kernel/auth/scope.ts';
import { forbidden, notFound, parseId, signedInUser } from '../../catalog/routes/guard.ts';
import { getForm, type FormRow } from '../forms/queries.ts';

export { forbidden, notFound, parseId, signedInUser };

/** The form of the URL if the signed-in user may read (or edit) it; otherwise the reply is already sent. */
export async function formInScope(
  db: Queryable, request: FastifyRequest, reply: FastifyReply, id: unknown, mode: 'read' | 'edit',
): Promise<{ user: CurrentUser; form: FormRow } | null> {
  const user = signedInUser(request, reply);
  if (!user) return null;
  const formId = parseId(id);
  const form = formId ? await getForm(db, formId) : null;
  if (!form) {
    notFound(request, reply, 'Ce formulaire');
    return null;
  }
  const allowed = mode === 'edit' ? canEditProcedure(user, form.place) : canReadProcedure(user, form.place);
  if (!allowed) {
    forbidden(request, reply);
    return null;
  }
  return { user, form };
}
