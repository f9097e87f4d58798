import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../../kernel/web/deps.ts';
import { isAdmin, type CurrentUser } from '../../kernel/auth/scope.ts';
import { redirectSeeOther, sendErrorPage, sendPage } from '../../kernel/web/render.ts';
import { validateForm, type FieldErrors } from '../../kernel/web/forms.ts';
import { audit } from '../../kernel/audit/audit.ts';
import { sendForbidden } from '../../kernel/web/access.ts';
import { emailField } from '../email.ts';
import { hashPassword, newPasswordPair } from '../passwords.ts';
import { canGrant, canInvite, grantChoices, resolveGrantTarget, searchProcedures, wantsProcedureSearch } from '../grant-scope.ts';
import { acceptInvitationsFor, createInvitation, findInvitationById, findInvitationByToken, listInvitationsBy } from '../invitations.ts';
import { findUserIdByEmail, insertUser } from '../users.ts';
import { invitationMail } from '../mails.ts';
import { okQuery } from '../notices.ts';
import type { Notice } from '../../kernel/web/layout.ts';
import { openSession, setSessionCookie } from '../sign-in.ts';
import { grantLabel } from '../views/grants.ts';
import { grantValuesFrom } from '../views/grant-form.ts';
import { invitationsPage } from '../views/invitations.ts';
import { invitationPage } from '../views/public-forms.ts';
import { SIGN_UP_RATE_LIMIT } from './password-reset.ts';
import { MEMBER, PUBLIC, SIGNED_IN } from '../../kernel/web/access.ts';
import { idParamsOr404 } from '../../kernel/web/ids.ts';

const INVITATION_NOT_FOUND = 'Cette invitation n’existe pas. Rien n’a été modifié.';
import { actionForm, formBody, type ZodTypeProvider } from '../../kernel/web/schemas.ts';

const newAccountSchema = newPasswordPair.and(
  z.object({ display_name: z.string().trim().max(100, 'Le nom affiché doit contenir au plus 100 caractères.').optional().default('') }),
);

export const invitationRoutes: FastifyPluginAsync<AppDeps> = async (instance, deps) => {
  // Params by route schemas (an id or a token that cannot be one is a 404), the forms by validateForm.
  const app = instance.withTypeProvider<ZodTypeProvider>();
  const byToken = z.object({ token: z.string().max(100, 'Ce lien d’invitation n’est plus valable.') });
  const { db, config, mailer } = deps;
  const crumbs = [{ label: 'Mon compte', href: '/compte' }, { label: 'Invitations' }];

  async function renderForm(
    request: FastifyRequest,
    reply: FastifyReply,
    user: CurrentUser,
    extra: { values?: any; errors?: FieldErrors; notice?: Notice | null } = {},
    status = 200,
  ) {
    const { notice = null, ...shown } = extra;
    const choices = await grantChoices(db, user);
    const invitations = await listInvitationsBy(db, isAdmin(user) ? null : user.id);
    return sendPage(
      request,
      reply,
      {
        title: 'Inviter un utilisateur',
        breadcrumb: crumbs,
        notice,
        content: invitationsPage({ csrf: reply.generateCsrf(), choices, invitations, ...shown }),
      },
      status,
    );
  }

  // `?ok=…` after a redirect: its fixed message; an unknown or repeated key shows none.
  app.get('/compte/invitations', { ...MEMBER, schema: { querystring: okQuery } }, async (request, reply) => {
    const user = request.user!;
    if (!canInvite(user)) return sendForbidden(request, reply);
    return renderForm(request, reply, user, { notice: request.query.ok });
  });

  app.post('/compte/invitations', { ...MEMBER, schema: { body: formBody({}) } }, async (request, reply) => {
    const user = request.user!;
    if (!canInvite(user)) return sendForbidden(request, reply);
    const body = request.body;
    const values = { ...grantValuesFrom(body), email: typeof body.email === 'string' ? body.email.slice(0, 300) : '' };
    // « Chercher la démarche »: list the procedures matching the words typed, send nothing.
    if (wantsProcedureSearch(body)) {
      const typed = (values.procedure ?? '').trim();
      const matches = await searchProcedures(db, typed);
      const errors: FieldErrors = matches.length
        ? {}
        : {
            procedure: typed
              ? `Aucune démarche ne correspond à « ${typed} » : saisissez une partie de son titre ou son identifiant.`
              : 'Saisissez quelques mots du titre de la démarche.',
          };
      return renderForm(request, reply, user, { values: { ...values, procedureMatches: matches }, errors }, matches.length ? 200 : 400);
    }
    const email = validateForm(z.object({ email: emailField }), body);
    const target = await resolveGrantTarget(db, body);
    const errors: FieldErrors = { ...(email.ok ? {} : email.errors), ...(target.ok ? {} : target.errors) };
    if (!email.ok || !target.ok)
      return renderForm(
        request,
        reply,
        user,
        { values: { ...values, procedureMatches: target.ok ? undefined : target.matches }, errors },
        400,
      );
    if (!canGrant(user, target.target)) return sendForbidden(request, reply);
    const { id, token } = await db.transaction(async (tx) => {
      const created = await createInvitation(tx, email.data.email, target.target, user.id);
      const { placeMinistryId, placeAdministrationId, ...grant } = target.target;
      await audit(tx, {
        actor: user,
        action: 'invitation.create',
        entityType: 'invitation',
        entityId: created.id,
        after: { email: email.data.email, ...grant },
        ipHash: request.ipHash,
      });
      return created;
    });
    const invitation = (await findInvitationByToken(db, token))!;
    await mailer.send(
      invitationMail(
        email.data.email,
        `${config.publicUrl}/invitation/${token}`,
        user.displayName || user.email,
        invitation.role,
        invitation.scope_label,
      ),
    );
    request.log.info({ invitation: id }, 'invitation sent');
    return redirectSeeOther(reply, '/compte/invitations?ok=invitation');
  });

  /** The inviter (or an admin) cancels a pending invitation: its link stops working. */
  app.post(
    '/compte/invitations/:id/annuler',
    { ...SIGNED_IN, schema: { params: idParamsOr404('Invitation introuvable', INVITATION_NOT_FOUND), body: actionForm } },
    async (request, reply) => {
      const user = request.user!;
      const invitation = await findInvitationById(db, request.params.id);
      if (!invitation) return sendErrorPage(request, reply, 404, 'Invitation introuvable', INVITATION_NOT_FOUND);
      if (invitation.invited_by !== user.id && !isAdmin(user)) return sendForbidden(request, reply);
      if (invitation.usable) {
        await db.transaction(async (tx) => {
          await tx.query('UPDATE invitations SET revoked_at = now() WHERE id = $1 AND accepted_at IS NULL AND revoked_at IS NULL', [
            invitation.id,
          ]);
          await audit(tx, {
            actor: user,
            action: 'invitation.revoke',
            entityType: 'invitation',
            entityId: invitation.id,
            before: { email: invitation.email, role: invitation.role },
            ipHash: request.ipHash,
          });
        });
      }
      return redirectSeeOther(reply, '/compte/invitations?ok=invitation-annulee');
    },
  );

  /** The usable invitation of the link's token (a param checked by the route schema), or null once the 404 is sent. */
  async function loadInvitation(request: FastifyRequest, reply: FastifyReply, token: string) {
    const invitation = await findInvitationByToken(db, token);
    if (!invitation || !invitation.usable) {
      sendErrorPage(
        request,
        reply,
        404,
        'Invitation invalide ou expirée',
        'Ce lien d’invitation n’est plus valable : il a déjà servi, il a expiré ou il est incomplet. Demandez une nouvelle invitation à la personne qui vous a invité.',
      );
      return null;
    }
    return { token, invitation, accountId: await findUserIdByEmail(db, invitation.email) };
  }

  function renderInvitation(
    request: FastifyRequest,
    reply: FastifyReply,
    found: NonNullable<Awaited<ReturnType<typeof loadInvitation>>>,
    extra: { values?: { display_name?: string }; errors?: FieldErrors } = {},
    status = 200,
  ) {
    const { token, invitation, accountId } = found;
    return sendPage(
      request,
      reply,
      {
        title: 'Invitation',
        breadcrumb: [{ label: 'Invitation' }],
        content: invitationPage({
          csrf: reply.generateCsrf(),
          token,
          email: invitation.email,
          what: grantLabel(invitation),
          inviter: invitation.inviter,
          existingAccount: accountId !== null,
          signedInAsInvitee: accountId !== null && request.user?.id === accountId,
          ...extra,
        }),
      },
      status,
    );
  }

  app.get('/invitation/:token', { ...PUBLIC, schema: { params: byToken } }, async (request, reply) => {
    const found = await loadInvitation(request, reply, request.params.token);
    if (!found) return reply;
    return renderInvitation(request, reply, found);
  });

  app.post(
    '/invitation/:token',
    { config: { access: 'public', rateLimit: SIGN_UP_RATE_LIMIT }, schema: { params: byToken, body: formBody({}) } },
    async (request, reply) => {
      const found = await loadInvitation(request, reply, request.params.token);
      if (!found) return reply;
      const { invitation, accountId } = found;
      if (accountId !== null) {
        // The link proves the address: the signed-in owner of this address accepts, and the address is verified.
        if (request.user?.id !== accountId) return sendForbidden(request, reply);
        await db.transaction(async (tx) => {
          await tx.query('UPDATE users SET email_verified_at = coalesce(email_verified_at, now()) WHERE id = $1', [accountId]);
          await acceptInvitationsFor(tx, accountId, invitation.email);
        });
        return redirectSeeOther(reply, '/compte');
      }
      const body = request.body;
      const form = validateForm(newAccountSchema, body);
      if (!form.ok)
        return renderInvitation(
          request,
          reply,
          found,
          { values: { display_name: String(body.display_name ?? '').slice(0, 300) }, errors: form.errors },
          400,
        );
      const hash = await hashPassword(form.data.password);
      const token = await db.transaction(async (tx) => {
        const userId = await insertUser(tx, {
          email: invitation.email.toLowerCase(),
          displayName: form.data.display_name,
          passwordHash: hash,
          emailVerified: true,
        });
        await audit(tx, {
          actor: { id: userId, email: invitation.email },
          action: 'user.create',
          entityType: 'user',
          entityId: userId,
          after: { email: invitation.email, via: 'invitation' },
          ipHash: request.ipHash,
        });
        return openSession(tx, request, { id: userId, email: invitation.email, emailVerified: true }, 'invitation');
      });
      setSessionCookie(reply, config, token);
      return redirectSeeOther(reply, '/compte');
    },
  );
};
