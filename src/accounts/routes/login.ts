import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../../kernel/web/deps.ts';
import { redirectSeeOther, sendPage } from '../../kernel/web/render.ts';
import { validateForm } from '../../kernel/web/forms.ts';
import { SESSION_COOKIE, destroySession } from '../../kernel/auth/session.ts';
import { audit } from '../../kernel/audit/audit.ts';
import { PASSWORD_MAX_LENGTH, verifyNothing, verifyPassword } from '../passwords.ts';
import { emailField } from '../email.ts';
import { findLoginCandidate } from '../users.ts';
import { loadLockoutRules, recordFailedLogin } from '../lockout.ts';
import { recordLockNotice, sendLockNoticeLater } from '../lock-notice.ts';
import { clearSessionCookie, openSession, setSessionCookie } from '../sign-in.ts';
import { AFTER_SIGN_IN, safeReturnPath } from '../return-path.ts';
import { loginPage } from '../views/login.ts';
import { okNotice } from '../notices.ts';
import { PUBLIC } from '../../kernel/web/access.ts';
import { actionForm, formBody, type ZodTypeProvider } from '../../kernel/web/schemas.ts';

/** One message for every failure (unknown address, wrong password, locked or disabled account): no enumeration. */
export const LOGIN_FAILURE =
  'Adresse électronique ou mot de passe incorrect. Après plusieurs échecs, le compte est bloqué quelques minutes, ' +
  'de plus en plus longtemps à chaque nouvel échec : patientez avant de réessayer, ou utilisez « Mot de passe oublié ? ».';

// Per client IP: generous enough for an office behind one proxy; the per-account lockout stops guessing on one account.
export const LOGIN_RATE_LIMIT = { max: 50, timeWindow: '5 minutes' };

const loginSchema = z.object({
  email: emailField,
  password: z
    .string({ error: 'Saisissez votre mot de passe.' })
    .min(1, 'Saisissez votre mot de passe.')
    .max(PASSWORD_MAX_LENGTH, 'Mot de passe incorrect.'),
});

/** `?retour=` and the form's `retour`: a path of this site, or the page after sign-in (return-path.ts). */
const returnTo = z
  .unknown()
  .optional()
  .transform((value) => safeReturnPath(value, AFTER_SIGN_IN));

export const loginRoutes: FastifyPluginAsync<AppDeps> = async (instance, deps) => {
  // The query and the form's shape by route schemas; the fields by validateForm (messages beside the fields).
  const app = instance.withTypeProvider<ZodTypeProvider>();
  const { db, config } = deps;
  const oidcLabel = () => config.oidc?.label ?? null;

  app.get('/connexion', { ...PUBLIC, schema: { querystring: z.looseObject({ retour: returnTo, ok: okNotice }) } }, (request, reply) => {
    const returnTo = request.query.retour;
    if (request.user) return redirectSeeOther(reply, returnTo);
    return sendPage(request, reply, {
      title: 'Connexion',
      breadcrumb: [{ label: 'Connexion' }],
      notice: request.query.ok,
      content: loginPage({ csrf: reply.generateCsrf(), returnTo, oidcLabel: oidcLabel() }),
    });
  });

  app.post(
    '/connexion',
    { config: { access: 'public', rateLimit: LOGIN_RATE_LIMIT }, schema: { body: formBody({ retour: returnTo }) } },
    async (request, reply) => {
      const body = request.body;
      const returnTo = body.retour;
      const again = (status: number, extra: { errors?: Record<string, string>; failure?: string }) =>
        sendPage(
          request,
          reply,
          {
            title: 'Connexion',
            breadcrumb: [{ label: 'Connexion' }],
            content: loginPage({
              csrf: reply.generateCsrf(),
              returnTo,
              oidcLabel: oidcLabel(),
              email: typeof body.email === 'string' ? body.email.slice(0, 254) : '',
              ...extra,
            }),
          },
          status,
        );
      const form = validateForm(loginSchema, body);
      if (!form.ok) return again(400, { errors: form.errors });
      const { email, password } = form.data;

      const candidate = await findLoginCandidate(db, email);
      if (!candidate || !candidate.password_hash || candidate.disabled_at || candidate.locked) {
        await verifyNothing(password);
        return again(400, { failure: LOGIN_FAILURE });
      }
      if (!(await verifyPassword(candidate.password_hash, password))) {
        const rules = await loadLockoutRules(db);
        const notice = await db.transaction(async (tx) => {
          const outcome = await recordFailedLogin(tx, candidate.id, rules);
          if (!outcome.lockedUntil) return null;
          await audit(tx, {
            actor: null,
            action: 'user.lock',
            entityType: 'user',
            entityId: candidate.id,
            after: { failures: outcome.failures, minutes: outcome.lockMinutes, lockedUntil: outcome.lockedUntil.toISOString() },
            ipHash: request.ipHash,
          });
          return recordLockNotice(tx, deps, candidate.id, request.ipHash, rules);
        });
        if (notice) sendLockNoticeLater(deps, notice, request.log);
        return again(400, { failure: LOGIN_FAILURE });
      }
      const token = await db.transaction((tx) =>
        openSession(tx, request, { id: candidate.id, email: candidate.email, emailVerified: !!candidate.email_verified_at }, 'password'),
      );
      setSessionCookie(reply, config, token);
      return redirectSeeOther(reply, returnTo);
    },
  );

  app.post('/deconnexion', { ...PUBLIC, schema: { body: actionForm } }, async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token) {
      await db.transaction(async (tx) => {
        await destroySession(tx, token);
        if (request.user)
          await audit(tx, {
            actor: request.user,
            action: 'user.logout',
            entityType: 'user',
            entityId: request.user.id,
            ipHash: request.ipHash,
          });
      });
    }
    clearSessionCookie(reply, config);
    return redirectSeeOther(reply, '/');
  });
};
