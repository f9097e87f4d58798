import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../kernel/web/deps.ts';
import type { CurrentUser } from '../../kernel/auth/scope.ts';
import { redirectSeeOther, sendErrorPage, sendPage } from '../../kernel/web/render.ts';
import type { FieldErrors } from '../../kernel/web/forms.ts';
import { destroyAllSessions } from '../../kernel/auth/session.ts';
import { audit } from '../../kernel/audit/audit.ts';
import { grantChoices, resolveGrantTarget, searchProcedures, wantsProcedureSearch } from '../grant-scope.ts';
import { insertGrant, listGrantsWithLabels } from '../users.ts';
import { okQuery } from '../notices.ts';
import type { Notice } from '../../kernel/web/layout.ts';
import { userDetailPage, userListPage, type UserListRow } from '../views/admin-users.ts';
import { grantValuesFrom, type GrantValues } from '../views/grant-form.ts';
import { PAGE_SIZE } from '../views/list-pages.ts';
import { STEERING } from '../../kernel/web/access.ts';
import { idParam } from '../../kernel/web/ids.ts';
import { actionForm, formBody, pageParam, searchText, type ZodTypeProvider } from '../../kernel/web/schemas.ts';
import { z } from 'zod';

const USER_COLUMNS = `id, email, display_name, disabled_at, coalesce(locked_until > now(), false) AS locked, email_verified_at, last_login_at`;

/** The steering admin's user management: search, grants, disable/enable. */
export const adminUserRoutes: FastifyPluginAsync<AppDeps> = async (instance, deps) => {
  const { db } = deps;
  // Params and query validated by route schemas (zod): an id that is not one is a 404; the grant form by grant-scope.
  const app = instance.withTypeProvider<ZodTypeProvider>();
  const USER_NOT_FOUND = 'Aucun utilisateur ne correspond à cette adresse. Rien n’a été modifié.';
  const GRANT_NOT_FOUND = 'Ce droit n’existe pas ou a déjà été retiré. Rien n’a été modifié.';
  const userId = idParam(USER_NOT_FOUND, 'Utilisateur introuvable');
  const byId = { ...STEERING, schema: { params: z.object({ id: userId }) } };
  const crumbs = (label?: string) =>
    label ? [{ label: 'Utilisateurs', href: '/admin/utilisateurs' }, { label }] : [{ label: 'Utilisateurs' }];

  const listQuery = z.looseObject({ q: searchText(), page: pageParam });
  app.get('/admin/utilisateurs', { ...STEERING, schema: { querystring: listQuery } }, async (request, reply) => {
    const { q, page } = request.query;
    const { rows } = await db.query<UserListRow>(
      `SELECT ${USER_COLUMNS} FROM users
        WHERE $1 = '' OR search_text(email || ' ' || display_name) LIKE '%' || search_text($1) || '%'
        ORDER BY lower(email) LIMIT $2 OFFSET $3`,
      [q.replace(/[%_\\]/g, ''), PAGE_SIZE + 1, (page - 1) * PAGE_SIZE],
    );
    const users = rows.slice(0, PAGE_SIZE);
    const grants = await listGrantsWithLabels(
      db,
      users.map((u) => u.id),
    );
    return sendPage(request, reply, {
      title: 'Utilisateurs',
      breadcrumb: crumbs(),
      content: userListPage({ q, users, grants, page, hasNext: rows.length > PAGE_SIZE }),
    });
  });

  async function renderUser(
    request: FastifyRequest,
    reply: FastifyReply,
    admin: CurrentUser,
    id: number,
    extra: { values?: GrantValues; errors?: FieldErrors; notice?: Notice | null } = {},
    status = 200,
  ) {
    const { notice = null, ...shown } = extra;
    const { rows } = await db.query<UserListRow & { created_at: Date; is_demo: boolean }>(
      `SELECT ${USER_COLUMNS}, created_at, is_demo FROM users WHERE id = $1`,
      [id],
    );
    const user = rows[0];
    if (!user) return sendErrorPage(request, reply, 404, 'Utilisateur introuvable', 'Aucun utilisateur ne correspond à cette adresse.');
    const grants = (await listGrantsWithLabels(db, [id])).get(id) ?? [];
    const sessions = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM sessions WHERE user_id = $1 AND expires_at > now()', [
      id,
    ]);
    return sendPage(
      request,
      reply,
      {
        title: `Utilisateur ${user.display_name || user.email}`,
        breadcrumb: crumbs(user.display_name || user.email),
        notice,
        content: userDetailPage({
          csrf: reply.generateCsrf(),
          user,
          grants,
          sessionCount: sessions.rows[0].n,
          isSelf: id === admin.id,
          choices: await grantChoices(db, admin),
          ...shown,
        }),
      },
      status,
    );
  }

  /** Admin + an existing user id in the URL; otherwise the answer is already sent. */
  async function target(
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
  ): Promise<{ admin: CurrentUser; id: number; email: string } | null> {
    const admin = request.user!;
    const { rows } = await db.query<{ email: string }>('SELECT email FROM users WHERE id = $1', [id]);
    if (!rows[0]) {
      sendErrorPage(request, reply, 404, 'Utilisateur introuvable', USER_NOT_FOUND);
      return null;
    }
    return { admin, id, email: rows[0].email };
  }

  // `?ok=…` after a redirect: its fixed message; an unknown or repeated key shows none.
  app.get('/admin/utilisateurs/:id', { ...byId, schema: { ...byId.schema, querystring: okQuery } }, async (request, reply) => {
    const found = await target(request, reply, request.params.id);
    if (!found) return reply;
    return renderUser(request, reply, found.admin, found.id, { notice: request.query.ok });
  });

  app.post('/admin/utilisateurs/:id/droits', { ...byId, schema: { ...byId.schema, body: formBody({}) } }, async (request, reply) => {
    const found = await target(request, reply, request.params.id);
    if (!found) return reply;
    const body = request.body;
    if (wantsProcedureSearch(body)) {
      // « Chercher la démarche »: list the procedures matching the words typed, grant nothing.
      const values = grantValuesFrom(body);
      const matches = await searchProcedures(db, values.procedure ?? '');
      const errors: FieldErrors = matches.length
        ? {}
        : { procedure: 'Aucune démarche ne correspond : saisissez une partie de son titre ou son identifiant.' };
      return renderUser(
        request,
        reply,
        found.admin,
        found.id,
        { values: { ...values, procedureMatches: matches }, errors },
        matches.length ? 200 : 400,
      );
    }
    const resolved = await resolveGrantTarget(db, body);
    if (!resolved.ok)
      return renderUser(
        request,
        reply,
        found.admin,
        found.id,
        { values: { ...grantValuesFrom(body), procedureMatches: resolved.matches }, errors: resolved.errors },
        400,
      );
    const { placeMinistryId, placeAdministrationId, ...grant } = resolved.target;
    await db.transaction(async (tx) => {
      const grantId = await insertGrant(tx, found.id, grant, found.admin.id);
      if (grantId !== null)
        await audit(tx, {
          actor: found.admin,
          action: 'grant.create',
          entityType: 'user',
          entityId: found.id,
          after: { grantId, ...grant },
          ipHash: request.ipHash,
        });
    });
    return redirectSeeOther(reply, `/admin/utilisateurs/${found.id}?ok=droit-ajoute`);
  });

  app.post(
    '/admin/utilisateurs/:id/droits/:grantId/retirer',
    {
      ...STEERING,
      schema: { params: z.object({ id: userId, grantId: idParam(GRANT_NOT_FOUND, 'Droit introuvable') }), body: actionForm },
    },
    async (request, reply) => {
      const found = await target(request, reply, request.params.id);
      if (!found) return reply;
      const { rows } = await db.query(
        'SELECT id, role, ministry_id, administration_id, procedure_id FROM grants WHERE id = $1 AND user_id = $2',
        [request.params.grantId, found.id],
      );
      const grant = rows[0];
      if (!grant) return sendErrorPage(request, reply, 404, 'Droit introuvable', GRANT_NOT_FOUND);
      if (found.id === found.admin.id && grant.role === 'admin') {
        return sendErrorPage(
          request,
          reply,
          400,
          'Action impossible',
          'Vous ne pouvez pas retirer votre propre droit d’administrateur : demandez-le à un autre membre de l’équipe de pilotage. Rien n’a été modifié.',
        );
      }
      await db.transaction(async (tx) => {
        await tx.query('DELETE FROM grants WHERE id = $1', [grant.id]);
        await audit(tx, {
          actor: found.admin,
          action: 'grant.delete',
          entityType: 'user',
          entityId: found.id,
          before: grant,
          ipHash: request.ipHash,
        });
      });
      return redirectSeeOther(reply, `/admin/utilisateurs/${found.id}?ok=droit-retire`);
    },
  );

  for (const [path, disable] of [
    ['desactiver', true],
    ['reactiver', false],
  ] as const) {
    app.post(`/admin/utilisateurs/:id/${path}`, { ...byId, schema: { ...byId.schema, body: actionForm } }, async (request, reply) => {
      const found = await target(request, reply, request.params.id);
      if (!found) return reply;
      if (found.id === found.admin.id) {
        return sendErrorPage(
          request,
          reply,
          400,
          'Action impossible',
          'Vous ne pouvez pas désactiver votre propre compte. Rien n’a été modifié.',
        );
      }
      await db.transaction(async (tx) => {
        await tx.query(
          `UPDATE users SET disabled_at = CASE WHEN $2::boolean THEN coalesce(disabled_at, now()) END, updated_at = now() WHERE id = $1`,
          [found.id, disable],
        );
        const closed = disable ? await destroyAllSessions(tx, found.id) : 0;
        await audit(tx, {
          actor: found.admin,
          action: disable ? 'user.disable' : 'user.enable',
          entityType: 'user',
          entityId: found.id,
          after: disable ? { sessionsClosed: closed } : undefined,
          ipHash: request.ipHash,
        });
      });
      return redirectSeeOther(reply, `/admin/utilisateurs/${found.id}?ok=${disable ? 'desactive' : 'reactive'}`);
    });
  }
};
