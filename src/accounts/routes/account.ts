import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../../kernel/web/deps.ts';
import type { CurrentUser } from '../../kernel/auth/scope.ts';
import { redirectSeeOther, sendErrorPage, sendPage } from '../../kernel/web/render.ts';
import { validateForm, type FieldErrors } from '../../kernel/web/forms.ts';
import { destroyAllSessions } from '../../kernel/auth/session.ts';
import { countActiveApiKeys, revokeAllApiKeys } from '../../kernel/auth/api-keys.ts';
import { audit } from '../../kernel/audit/audit.ts';
import { emailField } from '../email.ts';
import { hashPassword, newPasswordPair, verifyPassword } from '../passwords.ts';
import { findUserIdByEmail, listGrantsWithLabels } from '../users.ts';
import { createAccountToken } from '../tokens.ts';
import { verificationMail } from '../mails.ts';
import { canInvite } from '../grant-scope.ts';
import { okQuery } from '../notices.ts';
import type { Notice } from '../../kernel/web/layout.ts';
import { clearSessionCookie } from '../sign-in.ts';
import { accountPage, type AccountView, type SessionRow } from '../views/account.ts';
import { describeUserAgent } from '../user-agent.ts';
import { SIGNED_IN } from '../../kernel/web/access.ts';
import { idParamsOr404 } from '../../kernel/web/ids.ts';

const SESSION_NOT_FOUND = 'Cette session n’existe pas ou est déjà fermée. Rien n’a été modifié.';
import { actionForm, formBody, type ZodTypeProvider } from '../../kernel/web/schemas.ts';

const profileSchema = z.object({
  display_name: z.string().trim().max(100, 'Le nom affiché doit contenir au plus 100 caractères.').optional().default(''),
  email: emailField,
});

export const accountRoutes: FastifyPluginAsync<AppDeps> = async (instance, deps) => {
  // Params and action bodies by route schemas (zod), the profile and password forms by validateForm.
  const app = instance.withTypeProvider<ZodTypeProvider>();
  const { db, config, mailer } = deps;

  async function render(
    request: FastifyRequest,
    reply: FastifyReply,
    user: CurrentUser,
    extra: Partial<AccountView> & { notice?: Notice | null } = {},
    status = 200,
  ) {
    const { notice = null, ...shown } = extra;
    const { rows } = await db.query<{ email_verified_at: Date | null; has_password: boolean }>(
      'SELECT email_verified_at, password_hash IS NOT NULL AS has_password FROM users WHERE id = $1',
      [user.id],
    );
    const sessions = await db.query<SessionRow>(
      'SELECT id, id_hash, created_at, last_seen_at, user_agent FROM sessions WHERE user_id = $1 AND expires_at > now() ORDER BY last_seen_at DESC',
      [user.id],
    );
    const grants = (await listGrantsWithLabels(db, [user.id])).get(user.id) ?? [];
    return sendPage(
      request,
      reply,
      {
        title: 'Mon compte',
        breadcrumb: [{ label: 'Mon compte' }],
        notice,
        content: accountPage({
          csrf: reply.generateCsrf(),
          email: user.email,
          displayName: user.displayName,
          emailVerified: !!rows[0]?.email_verified_at,
          hasPassword: !!rows[0]?.has_password,
          grants,
          sessions: sessions.rows,
          currentSessionId: user.sessionId,
          canInvite: canInvite(user),
          activeApiKeys: await countActiveApiKeys(db, user.id),
          ...shown,
        }),
      },
      status,
    );
  }

  async function sendVerification(userId: number, email: string) {
    const token = await createAccountToken(db, userId, 'email_verification', email);
    await mailer.send(verificationMail(email, `${config.publicUrl}/verification-adresse?jeton=${encodeURIComponent(token)}`));
  }

  // `?ok=…` after a redirect: its fixed message; an unknown or repeated key shows none.
  app.get('/compte', { ...SIGNED_IN, schema: { querystring: okQuery } }, async (request, reply) => {
    const user = request.user!;
    return render(request, reply, user, { notice: request.query.ok });
  });

  app.post('/compte/profil', { ...SIGNED_IN, schema: { body: formBody({}) } }, async (request, reply) => {
    const user = request.user!;
    const body = request.body;
    const values = { display_name: String(body.display_name ?? ''), email: String(body.email ?? '') };
    const form = validateForm(profileSchema, body);
    let errors: FieldErrors = form.ok ? {} : form.errors;
    if (form.ok && form.data.email !== user.email.toLowerCase()) {
      const other = await findUserIdByEmail(db, form.data.email);
      if (other !== null && other !== user.id) errors = { email: 'Cette adresse est déjà celle d’un autre compte.' };
    }
    if (!form.ok || Object.keys(errors).length) return render(request, reply, user, { profile: { values, errors } }, 400);
    const { display_name, email } = form.data;
    const emailChanged = email !== user.email.toLowerCase();
    await db.transaction(async (tx) => {
      await tx.query(
        `UPDATE users SET display_name = $2, email = $3, updated_at = now(),
                email_verified_at = CASE WHEN $4::boolean THEN NULL ELSE email_verified_at END WHERE id = $1`,
        [user.id, display_name, email, emailChanged],
      );
      await audit(tx, {
        actor: user,
        action: 'user.update_profile',
        entityType: 'user',
        entityId: user.id,
        before: { displayName: user.displayName, email: user.email },
        after: { displayName: display_name, email },
        ipHash: request.ipHash,
      });
    });
    if (emailChanged) await sendVerification(user.id, email);
    return redirectSeeOther(reply, emailChanged ? '/compte?ok=profil-verification' : '/compte?ok=profil');
  });

  app.post('/compte/mot-de-passe', { ...SIGNED_IN, schema: { body: formBody({}) } }, async (request, reply) => {
    const user = request.user!;
    const body = request.body;
    const { rows } = await db.query<{ password_hash: string | null }>('SELECT password_hash FROM users WHERE id = $1', [user.id]);
    const currentHash = rows[0]?.password_hash ?? null;
    const form = validateForm(newPasswordPair, body);
    const errors: FieldErrors = form.ok ? {} : { ...form.errors };
    if (currentHash) {
      const current = typeof body.current_password === 'string' ? body.current_password : '';
      if (!current || current.length > 200 || !(await verifyPassword(currentHash, current))) {
        errors.current_password = 'Le mot de passe actuel est incorrect.';
      }
    }
    if (!form.ok || Object.keys(errors).length) return render(request, reply, user, { password: { errors } }, 400);
    const hash = await hashPassword(form.data.password);
    await db.transaction(async (tx) => {
      await tx.query('UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1', [user.id, hash]);
      // A changed password closes every other session: a stolen one does not survive it.
      await tx.query('DELETE FROM sessions WHERE user_id = $1 AND id_hash <> $2', [user.id, user.sessionId]);
      await audit(tx, { actor: user, action: 'user.change_password', entityType: 'user', entityId: user.id, ipHash: request.ipHash });
    });
    return redirectSeeOther(reply, '/compte?ok=mot-de-passe');
  });

  const closeAll = formBody({
    revoquer_cles: z.enum(['oui'], { error: 'Réponse inconnue pour la révocation des clés d’API. Rien n’a été enregistré.' }).optional(),
  });
  app.post('/compte/sessions/fermer', { ...SIGNED_IN, schema: { body: closeAll } }, async (request, reply) => {
    const user = request.user!;
    const revokeKeys = request.body?.revoquer_cles === 'oui';
    const revoked = await db.transaction(async (tx) => {
      const closed = await destroyAllSessions(tx, user.id);
      const keys = revokeKeys ? await revokeAllApiKeys(tx, user.id) : [];
      for (const key of keys) {
        await audit(tx, {
          actor: user,
          action: 'api_key.revoke',
          entityType: 'api_key',
          entityId: key.id,
          before: { name: key.name },
          after: { reason: 'logout_everywhere' },
          ipHash: request.ipHash,
        });
      }
      await audit(tx, {
        actor: user,
        action: 'user.logout_everywhere',
        entityType: 'user',
        entityId: user.id,
        after: { sessionsClosed: closed, apiKeysRevoked: keys.length },
        ipHash: request.ipHash,
      });
      return keys.length;
    });
    clearSessionCookie(reply, config);
    // The page says which happened: keys revoked, or kept (when there were any).
    const remaining = revoked ? 0 : await countActiveApiKeys(db, user.id);
    return redirectSeeOther(
      reply,
      revoked
        ? '/connexion?ok=deconnecte-partout-cles-revoquees'
        : remaining
          ? '/connexion?ok=deconnecte-partout-cles-actives'
          : '/connexion?ok=deconnecte-partout',
    );
  });

  // One session of the user's own; another user's session, an expired or unknown one is « not found », nothing written.
  app.post(
    '/compte/sessions/:id/revoquer',
    { ...SIGNED_IN, schema: { params: idParamsOr404('Session introuvable', SESSION_NOT_FOUND), body: actionForm } },
    async (request, reply) => {
      const user = request.user!;
      const { id } = request.params;
      const revoked = await db.transaction(async (tx) => {
        const { rows } = await tx.query<{ id_hash: string; created_at: Date; user_agent: string | null }>(
          'DELETE FROM sessions WHERE id = $1 AND user_id = $2 AND expires_at > now() RETURNING id_hash, created_at, user_agent',
          [id, user.id],
        );
        const session = rows[0];
        if (!session) return null;
        await audit(tx, {
          actor: user,
          action: 'user.revoke_session',
          entityType: 'user',
          entityId: user.id,
          before: { session: id, createdAt: new Date(session.created_at).toISOString(), device: describeUserAgent(session.user_agent) },
          ipHash: request.ipHash,
        });
        return session;
      });
      if (!revoked) return sendErrorPage(request, reply, 404, 'Session introuvable', SESSION_NOT_FOUND);
      if (revoked.id_hash === user.sessionId) {
        clearSessionCookie(reply, config);
        return redirectSeeOther(reply, '/connexion');
      }
      return redirectSeeOther(reply, '/compte?ok=session-revoquee');
    },
  );

  app.post(
    '/compte/verification',
    { config: { access: 'signedIn', rateLimit: { max: 5, timeWindow: '15 minutes' } }, schema: { body: actionForm } },
    async (request, reply) => {
      const user = request.user!;
      const { rows } = await db.query<{ verified: boolean }>('SELECT email_verified_at IS NOT NULL AS verified FROM users WHERE id = $1', [
        user.id,
      ]);
      if (!rows[0]?.verified) await sendVerification(user.id, user.email);
      return redirectSeeOther(reply, '/compte?ok=verification');
    },
  );
};
