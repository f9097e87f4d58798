import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../../kernel/web/deps.ts';
import { redirectSeeOther, sendPage } from '../../kernel/web/render.ts';
import { validateForm } from '../../kernel/web/forms.ts';
import { destroyAllSessions } from '../../kernel/auth/session.ts';
import { audit } from '../../kernel/audit/audit.ts';
import { emailField } from '../email.ts';
import { hashPassword, newPasswordPair } from '../passwords.ts';
import { consumeToken, createAccountToken, findValidToken } from '../tokens.ts';
import { passwordResetMail } from '../mails.ts';
import { forgotPasswordPage, forgotPasswordSentPage, invalidLinkPage, resetPasswordPage } from '../views/public-forms.ts';
import { PUBLIC } from '../../kernel/web/access.ts';

export const SIGN_UP_RATE_LIMIT = { max: 10, timeWindow: '15 minutes' };

const tokenOf = (source: unknown) => {
  const value = (source as Record<string, unknown> | undefined)?.jeton;
  return typeof value === 'string' ? value : '';
};

/** « Mot de passe oublié » : the same answer whether the address has an account or not. */
export const passwordResetRoutes: FastifyPluginAsync<AppDeps> = async (app, deps) => {
  const { db, config, mailer } = deps;
  const crumbs = [{ label: 'Connexion', href: '/connexion' }, { label: 'Mot de passe oublié' }];

  app.get('/mot-de-passe-oublie', PUBLIC, (request, reply) =>
    sendPage(request, reply, { title: 'Mot de passe oublié', breadcrumb: crumbs, content: forgotPasswordPage(reply.generateCsrf()) }),
  );

  app.post('/mot-de-passe-oublie', { config: { access: 'public', rateLimit: SIGN_UP_RATE_LIMIT } }, async (request, reply) => {
    const form = validateForm(z.object({ email: emailField }), request.body);
    if (!form.ok) {
      const email = String((request.body as Record<string, unknown>)?.email ?? '').slice(0, 254);
      return sendPage(request, reply, { title: 'Mot de passe oublié', breadcrumb: crumbs, content: forgotPasswordPage(reply.generateCsrf(), email, form.errors) }, 400);
    }
    const { rows } = await db.query<{ id: number; email: string }>(
      'SELECT id, email FROM users WHERE lower(email) = $1 AND disabled_at IS NULL',
      [form.data.email],
    );
    const user = rows[0];
    if (user) {
      const token = await db.transaction(async (tx) => {
        const clear = await createAccountToken(tx, user.id, 'password_reset', user.email);
        await audit(tx, { actor: null, action: 'user.request_password_reset', entityType: 'user', entityId: user.id, ipHash: request.ipHash });
        return clear;
      });
      // Not awaited: the answer must not take longer when the address has an account.
      mailer
        .send(passwordResetMail(user.email, `${config.publicUrl}/reinitialisation-mot-de-passe?jeton=${encodeURIComponent(token)}`))
        .catch((error) => request.log.error({ err: error }, 'password reset mail not sent'));
    }
    return sendPage(request, reply, { title: 'Vérifiez votre messagerie', breadcrumb: crumbs, content: forgotPasswordSentPage() });
  });

  app.get('/reinitialisation-mot-de-passe', PUBLIC, async (request, reply) => {
    const token = tokenOf(request.query);
    const valid = await findValidToken(db, token, 'password_reset');
    if (!valid) return sendPage(request, reply, { title: 'Lien invalide ou expiré', content: invalidLinkPage() }, 404);
    return sendPage(request, reply, { title: 'Nouveau mot de passe', breadcrumb: crumbs, content: resetPasswordPage(reply.generateCsrf(), token) });
  });

  app.post('/reinitialisation-mot-de-passe', { config: { access: 'public', rateLimit: SIGN_UP_RATE_LIMIT } }, async (request, reply) => {
    const token = tokenOf(request.body);
    const form = validateForm(newPasswordPair, request.body);
    if (!form.ok) {
      if (!(await findValidToken(db, token, 'password_reset'))) return sendPage(request, reply, { title: 'Lien invalide ou expiré', content: invalidLinkPage() }, 404);
      return sendPage(request, reply, { title: 'Nouveau mot de passe', breadcrumb: crumbs, content: resetPasswordPage(reply.generateCsrf(), token, form.errors) }, 400);
    }
    const hash = await hashPassword(form.data.password);
    const done = await db.transaction(async (tx) => {
      const valid = await consumeToken(tx, token, 'password_reset');
      if (!valid) return false;
      // The link reached the mailbox: the address is proven, and the lock no longer needed.
      await tx.query(
        `UPDATE users SET password_hash = $2, failed_logins = 0, locked_until = NULL,
                email_verified_at = coalesce(email_verified_at, now()), updated_at = now() WHERE id = $1`,
        [valid.userId, hash],
      );
      await destroyAllSessions(tx, valid.userId);
      await audit(tx, { actor: { id: valid.userId, email: valid.email }, action: 'user.reset_password', entityType: 'user', entityId: valid.userId, ipHash: request.ipHash });
      return true;
    });
    if (!done) return sendPage(request, reply, { title: 'Lien invalide ou expiré', content: invalidLinkPage() }, 404);
    return redirectSeeOther(reply, '/connexion?ok=mot-de-passe-reinitialise');
  });
};
