import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../../kernel/web/deps.ts';
import type { CurrentUser } from '../../kernel/auth/scope.ts';
import { redirectSeeOther, sendErrorPage, sendPage } from '../../kernel/web/render.ts';
import { formText, validateForm, type FieldErrors } from '../../kernel/web/forms.ts';
import { createApiKey } from '../../kernel/auth/api-keys.ts';
import { audit } from '../../kernel/audit/audit.ts';
import { sendForbidden } from '../../kernel/web/access.ts';
import { okQuery } from '../notices.ts';
import type { Notice } from '../../kernel/web/layout.ts';
import { apiKeysPage, type ApiKeyRow } from '../views/api-keys.ts';
import { MEMBER } from '../../kernel/web/access.ts';
import { idParamsOr404 } from '../../kernel/web/ids.ts';

const KEY_NOT_FOUND = 'Cette clé d’API n’existe pas. Rien n’a été modifié.';
import { actionForm, formBody, type ZodTypeProvider } from '../../kernel/web/schemas.ts';

export const MAX_ACTIVE_KEYS = 20;

export const apiKeyRoutes: FastifyPluginAsync<AppDeps> = async (instance, deps) => {
  const { db } = deps;
  // Params by route schemas (an id that is not one is a 404), the form by validateForm (its message beside the field).
  const app = instance.withTypeProvider<ZodTypeProvider>();
  const keyForm = z.object({ name: formText('Donnez un nom à la clé.', 100) });
  const crumbs = [{ label: 'Mon compte', href: '/compte' }, { label: 'Clés d’API' }];

  async function render(
    request: FastifyRequest,
    reply: FastifyReply,
    user: CurrentUser,
    extra: { created?: { name: string; key: string }; name?: string; errors?: FieldErrors; notice?: Notice | null } = {},
    status = 200,
  ) {
    const { notice = null, ...shown } = extra;
    const { rows } = await db.query<ApiKeyRow>(
      'SELECT id, name, prefix, created_at, last_used_at, call_count, revoked_at FROM api_keys WHERE user_id = $1 ORDER BY revoked_at IS NOT NULL, created_at DESC',
      [user.id],
    );
    return sendPage(
      request,
      reply,
      {
        title: 'Mes clés d’API',
        breadcrumb: crumbs,
        notice,
        content: apiKeysPage({ csrf: reply.generateCsrf(), keys: rows, ...shown }),
      },
      status,
    );
  }

  // `?ok=…` after a redirect: its fixed message; an unknown or repeated key shows none.
  app.get('/compte/cles-api', { ...MEMBER, schema: { querystring: okQuery } }, async (request, reply) => {
    const user = request.user!;
    return render(request, reply, user, { notice: request.query.ok });
  });

  app.post('/compte/cles-api', { ...MEMBER, schema: { body: formBody({}) } }, async (request, reply) => {
    const user = request.user!;
    const form = validateForm(keyForm, request.body);
    const name = typeof request.body.name === 'string' ? request.body.name.slice(0, 300) : '';
    if (!form.ok) return render(request, reply, user, { name, errors: form.errors }, 400);
    const active = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM api_keys WHERE user_id = $1 AND revoked_at IS NULL', [
      user.id,
    ]);
    if (active.rows[0].n >= MAX_ACTIVE_KEYS) {
      return render(
        request,
        reply,
        user,
        { name, errors: { name: `Vous avez déjà ${MAX_ACTIVE_KEYS} clés actives : révoquez-en une avant d’en créer une autre.` } },
        400,
      );
    }
    const created = await db.transaction(async (tx) => {
      const key = await createApiKey(tx, user.id, form.data.name);
      await audit(tx, {
        actor: user,
        action: 'api_key.create',
        entityType: 'api_key',
        entityId: key.id,
        after: { name: form.data.name, prefix: key.prefix },
        ipHash: request.ipHash,
      });
      return key;
    });
    // Shown once, in the answer to this POST (no redirect: the clear key must not travel in a URL).
    return render(request, reply, user, { created: { name: form.data.name, key: created.key } });
  });

  app.post(
    '/compte/cles-api/:id/revoquer',
    { ...MEMBER, schema: { params: idParamsOr404('Clé introuvable', KEY_NOT_FOUND), body: actionForm } },
    async (request, reply) => {
      const user = request.user!;
      const { id } = request.params;
      const { rows } = await db.query<{ user_id: number; revoked_at: Date | null; name: string }>(
        'SELECT user_id, revoked_at, name FROM api_keys WHERE id = $1',
        [id],
      );
      const key = rows[0];
      if (!key) return sendErrorPage(request, reply, 404, 'Clé introuvable', KEY_NOT_FOUND);
      if (key.user_id !== user.id) return sendForbidden(request, reply);
      if (!key.revoked_at) {
        await db.transaction(async (tx) => {
          await tx.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1', [id]);
          await audit(tx, {
            actor: user,
            action: 'api_key.revoke',
            entityType: 'api_key',
            entityId: id,
            before: { name: key.name },
            ipHash: request.ipHash,
          });
        });
      }
      return redirectSeeOther(reply, '/compte/cles-api?ok=cle-revoquee');
    },
  );
};
