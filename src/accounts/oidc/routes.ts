import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../kernel/web/deps.ts';
import { redirectSeeOther, sendErrorPage, sendPage } from '../../kernel/web/render.ts';
import { SESSION_COOKIE, destroySession } from '../../kernel/auth/session.ts';
import { audit } from '../../kernel/audit/audit.ts';
import { clearSessionCookie, openSession, setSessionCookie } from '../sign-in.ts';
import { AFTER_SIGN_IN, safeReturnPath } from '../return-path.ts';
import { finishSignIn, providerLogoutUrl, randomLogoutState, startSignIn, type OidcIdentity } from './client.ts';
import { matchOidcUser } from './identity.ts';
import {
  ID_TOKEN_COOKIE,
  LOGOUT_COOKIE,
  PENDING_COOKIE,
  clearOidcCookie,
  readIdTokenCookie,
  readLogoutCookie,
  readPendingCookie,
  setIdTokenCookie,
  setLogoutCookie,
  setPendingCookie,
} from './cookies.ts';
import { refusalMessage, refusalPage } from './views.ts';
import { PUBLIC } from '../../kernel/web/access.ts';
import { z } from 'zod';
import { actionForm, type ZodTypeProvider } from '../../kernel/web/schemas.ts';

const OIDC_RATE_LIMIT = { max: 30, timeWindow: '5 minutes' };

/** openid-client's own errors mean the answer is wrong (state, code, token); anything else, the provider is unreachable. */
function isProtocolError(error: unknown): boolean {
  const e = error as { code?: unknown; name?: unknown };
  return (
    (typeof e?.code === 'string' && e.code.startsWith('OAUTH_')) ||
    ['ResponseBodyError', 'AuthorizationResponseError', 'WWWAuthenticateChallengeError'].includes(String(e?.name))
  );
}

/** Sign-in with the State's OpenID Connect provider (ProConnect): authorization code flow with PKCE. */
export const oidcRoutes: FastifyPluginAsync<AppDeps> = async (instance, deps) => {
  const app = instance.withTypeProvider<ZodTypeProvider>();
  const { config, db } = deps;
  const settings = config.oidc;

  const unavailable = (request: FastifyRequest, reply: FastifyReply, error: unknown) => {
    request.log.error({ err: error }, 'OpenID Connect provider unreachable');
    const label = settings?.label ?? 'ProConnect';
    return sendErrorPage(
      request,
      reply,
      503,
      `${label} est indisponible`,
      `Le service ${label} ne répond pas pour le moment. Réessayez dans quelques instants, ou connectez-vous avec votre adresse électronique et votre mot de passe.`,
    );
  };

  const refuse = (request: FastifyRequest, reply: FastifyReply, status: number, message: string) =>
    sendPage(
      request,
      reply,
      {
        title: 'Connexion refusée',
        breadcrumb: [{ label: 'Connexion', href: '/connexion' }, { label: 'Connexion refusée' }],
        content: refusalPage('Connexion refusée', message, settings!.label),
      },
      status,
    );

  app.get(
    '/connexion/oidc',
    {
      config: { access: 'public', rateLimit: OIDC_RATE_LIMIT },
      schema: {
        querystring: z.looseObject({
          retour: z
            .unknown()
            .optional()
            .transform((value) => safeReturnPath(value, AFTER_SIGN_IN)),
        }),
      },
    },
    async (request, reply) => {
      if (!settings)
        return sendErrorPage(
          request,
          reply,
          404,
          'Page non trouvée',
          'La connexion par un fournisseur d’identité n’est pas activée sur ce site.',
        );
      const returnTo = request.query.retour;
      let signIn: Awaited<ReturnType<typeof startSignIn>>;
      try {
        signIn = await startSignIn(settings, config, returnTo);
      } catch (error) {
        return unavailable(request, reply, error);
      }
      setPendingCookie(reply, config, signIn.pending);
      return reply.code(302).header('cache-control', 'no-store').header('location', signIn.url.href).send();
    },
  );

  app.get(
    '/connexion/oidc/retour',
    { config: { access: 'public', rateLimit: OIDC_RATE_LIMIT }, schema: { querystring: z.looseObject({ error: z.unknown().optional() }) } },
    async (request, reply) => {
      if (!settings)
        return sendErrorPage(
          request,
          reply,
          404,
          'Page non trouvée',
          'La connexion par un fournisseur d’identité n’est pas activée sur ce site.',
        );
      const pending = readPendingCookie(request);
      clearOidcCookie(reply, config, PENDING_COOKIE); // one answer per sign-in attempt, whatever happens next
      if (!pending) return refuse(request, reply, 400, refusalMessage('expired', settings.label, null));
      if (request.query.error) return refuse(request, reply, 400, refusalMessage('cancelled', settings.label, null));

      let identity: OidcIdentity;
      try {
        identity = await finishSignIn(settings, config, new URL(request.url, config.publicUrl), pending);
      } catch (error) {
        if (!isProtocolError(error)) return unavailable(request, reply, error);
        request.log.warn({ code: (error as { code?: string }).code, message: (error as Error).message }, 'OpenID Connect answer refused');
        return refuse(request, reply, 400, refusalMessage('invalid', settings.label, null));
      }

      const outcome = await db.transaction(async (tx) => {
        const match = await matchOidcUser(tx, identity, request.ipHash);
        if (!match.ok) return match;
        const token = await openSession(tx, request, { ...match.user, emailVerified: true }, 'oidc');
        return { ...match, token };
      });
      if (!outcome.ok) return refuse(request, reply, 403, refusalMessage(outcome.reason, settings.label, identity.email));
      setSessionCookie(reply, config, outcome.token);
      if (identity.idToken) setIdTokenCookie(reply, config, identity.idToken);
      return reply.code(302).header('cache-control', 'no-store').header('location', pending.returnTo).send();
    },
  );

  /** Signs out of Vigie, then of the provider too when the session came from it and the provider offers a logout. */
  app.post('/connexion/oidc/deconnexion', { ...PUBLIC, schema: { body: actionForm } }, async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token) {
      await db.transaction(async (tx) => {
        await destroySession(tx, token);
        if (request.user) {
          await audit(tx, {
            actor: request.user,
            action: 'user.logout',
            entityType: 'user',
            entityId: request.user.id,
            after: { method: 'oidc' },
            ipHash: request.ipHash,
          });
        }
      });
    }
    clearSessionCookie(reply, config);
    const idToken = readIdTokenCookie(request);
    clearOidcCookie(reply, config, ID_TOKEN_COOKIE);
    if (settings && idToken) {
      try {
        const state = randomLogoutState();
        const url = await providerLogoutUrl(settings, config, idToken, state);
        if (url) {
          setLogoutCookie(reply, config, state);
          return redirectSeeOther(reply, url.href);
        }
      } catch (error) {
        // Signed out of Vigie already; the provider's session will simply end on its own.
        request.log.warn({ err: error }, 'OpenID Connect logout URL unavailable');
      }
    }
    return redirectSeeOther(reply, '/');
  });

  /** The provider sends the browser back here after its own logout, with the state Vigie gave it. */
  app.get(
    '/connexion/oidc/deconnecte',
    { ...PUBLIC, schema: { querystring: z.looseObject({ state: z.unknown().optional() }) } },
    async (request, reply) => {
      const expected = readLogoutCookie(request);
      clearOidcCookie(reply, config, LOGOUT_COOKIE);
      const { state } = request.query;
      if (!expected || state !== expected) {
        return sendErrorPage(
          request,
          reply,
          400,
          'Déconnexion non reconnue',
          'Ce retour de déconnexion ne correspond à aucune déconnexion demandée depuis ce navigateur.',
        );
      }
      return redirectSeeOther(reply, '/');
    },
  );
};
