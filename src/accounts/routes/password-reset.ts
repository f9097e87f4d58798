import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../../kernel/web/deps.ts';
import { redirectSeeOther, sendPage } from '../../kernel/web/render.ts';
import { validateForm } from '../../kernel/web/forms.ts';
import { destroyAllSessions } from '../../kernel/auth/session.ts';
import { countActiveApiKeys, revokeAllApiKeys } from '../../kernel/auth/api-keys.ts';
import { audit } from '../../kernel/audit/audit.ts';
import { emailField } from '../email.ts';
import { formBody, formTexts, type ZodTypeProvider } from '../../kernel/web/schemas.ts';
import { hashPassword, newPasswordPair } from '../passwords.ts';
import { consumeToken, findValidToken, linkToken } from '../tokens.ts';
import { requestPasswordReset } from '../password-reset-request.ts';
import { forgotPasswordPage, forgotPasswordSentPage, resetPasswordPage } from '../views/public-forms.ts';
import { sendInvalidLink } from './invalid-link.ts';
import { PUBLIC } from '../../kernel/web/access.ts';

export const SIGN_UP_RATE_LIMIT = { max: 10, timeWindow: '15 minutes' };

/** « Mot de passe oublié » : the same answer, the same work and time, whether the address has an account or not. */
export const passwordResetRoutes: FastifyPluginAsync<AppDeps> = async (instance, deps) => {
  const app = instance.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  const crumbs = [{ label: 'Connexion', href: '/connexion' }, { label: 'Mot de passe oublié' }];

  app.get('/mot-de-passe-oublie', PUBLIC, (request, reply) =>
    sendPage(request, reply, { title: 'Mot de passe oublié', breadcrumb: crumbs, content: forgotPasswordPage(reply.generateCsrf()) }),
  );

  app.post(
    '/mot-de-passe-oublie',
    { config: { access: 'public', rateLimit: SIGN_UP_RATE_LIMIT }, schema: { body: formBody({}) } },
    async (request, reply) => {
      const form = validateForm(z.object({ email: emailField }), request.body);
      if (!form.ok) {
        const email = typeof request.body.email === 'string' ? request.body.email.slice(0, 254) : '';
        return sendPage(
          request,
          reply,
          { title: 'Mot de passe oublié', breadcrumb: crumbs, content: forgotPasswordPage(reply.generateCsrf(), email, form.errors) },
          400,
        );
      }
      await requestPasswordReset(deps, { email: form.data.email, ipHash: request.ipHash }, request.log);
      return sendPage(request, reply, { title: 'Vérifiez votre messagerie', breadcrumb: crumbs, content: forgotPasswordSentPage() });
    },
  );

  app.get(
    '/reinitialisation-mot-de-passe',
    { ...PUBLIC, schema: { querystring: z.looseObject({ jeton: linkToken }) } },
    async (request, reply) => {
      const token = request.query.jeton;
      const valid = await findValidToken(db, token, 'password_reset');
      if (!valid) return sendInvalidLink(request, reply);
      const keys = await countActiveApiKeys(db, valid.userId);
      return sendPage(request, reply, {
        title: 'Nouveau mot de passe',
        breadcrumb: crumbs,
        content: resetPasswordPage(reply.generateCsrf(), token, {}, keys),
      });
    },
  );

  // The new password's form: its fields as text, checked here (validateForm) so that its errors show beside the fields.
  app.post(
    '/reinitialisation-mot-de-passe',
    { config: { access: 'public', rateLimit: SIGN_UP_RATE_LIMIT }, schema: { body: formTexts } },
    async (request, reply) => {
      const token = request.body.jeton ?? '';
      const form = validateForm(newPasswordPair, request.body);
      if (!form.ok) {
        const valid = await findValidToken(db, token, 'password_reset');
        if (!valid) return sendInvalidLink(request, reply);
        const keys = await countActiveApiKeys(db, valid.userId);
        return sendPage(
          request,
          reply,
          { title: 'Nouveau mot de passe', breadcrumb: crumbs, content: resetPasswordPage(reply.generateCsrf(), token, form.errors, keys) },
          400,
        );
      }
      const hash = await hashPassword(form.data.password);
      const done = await db.transaction(async (tx) => {
        const valid = await consumeToken(tx, token, 'password_reset');
        if (!valid) return null;
        // The link reached the mailbox: the address is proven, and the lock no longer needed.
        await tx.query(
          `UPDATE users SET password_hash = $2, failed_logins = 0, locked_until = NULL, last_failed_login_at = NULL,
                email_verified_at = coalesce(email_verified_at, now()), updated_at = now() WHERE id = $1`,
          [valid.userId, hash],
        );
        const sessionsClosed = await destroyAllSessions(tx, valid.userId);
        // Whoever needed a new password may have lost more than it: the keys made with the old one stop working too.
        const actor = { id: valid.userId, email: valid.email };
        const keys = await revokeAllApiKeys(tx, valid.userId);
        for (const key of keys) {
          await audit(tx, {
            actor,
            action: 'api_key.revoke',
            entityType: 'api_key',
            entityId: key.id,
            before: { name: key.name },
            after: { reason: 'password_reset' },
            ipHash: request.ipHash,
          });
        }
        await audit(tx, {
          actor,
          action: 'user.reset_password',
          entityType: 'user',
          entityId: valid.userId,
          after: { sessionsClosed, apiKeysRevoked: keys.length },
          ipHash: request.ipHash,
        });
        return { apiKeysRevoked: keys.length };
      });
      if (!done) return sendInvalidLink(request, reply);
      return redirectSeeOther(
        reply,
        done.apiKeysRevoked ? '/connexion?ok=mot-de-passe-reinitialise-cles-revoquees' : '/connexion?ok=mot-de-passe-reinitialise',
      );
    },
  );
};
