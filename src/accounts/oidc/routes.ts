import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../kernel/web/deps.ts';
import { sendErrorPage, sendPage } from '../../kernel/web/render.ts';
import { openSession, setSessionCookie } from '../sign-in.ts';
import { safeReturnPath } from '../return-path.ts';
import { finishSignIn, startSignIn, type OidcIdentity } from './client.ts';
import { matchOidcUser } from './identity.ts';
import { clearPendingCookie, readPendingCookie, setPendingCookie } from './pending-cookie.ts';
import { refusalMessage, refusalPage } from './views.ts';

const OIDC_RATE_LIMIT = { max: 30, timeWindow: '5 minutes' };

/** openid-client's own errors mean the answer is wrong (state, code, token); anything else, the provider is unreachable. */
function isProtocolError(error: unknown): boolean {
  const e = error as { code?: unknown; name?: unknown };
  return (typeof e?.code === 'string' && e.code.startsWith('OAUTH_')) ||
    ['ResponseBodyError', 'AuthorizationResponseError', 'WWWAuthenticateChallengeError'].includes(String(e?.name));
}

/** Sign-in with the State's OpenID Connect provider (ProConnect): authorization code flow with PKCE. */
export const oidcRoutes: FastifyPluginAsync<AppDeps> = async (app, deps) => {
  const { config, db } = deps;
  const settings = config.oidc;

  const unavailable = (request: FastifyRequest, reply: FastifyReply, error: unknown) => {
    request.log.error({ err: error }, 'OpenID Connect provider unreachable');
    const label = settings?.label ?? 'ProConnect';
    return sendErrorPage(request, reply, 503, `${label} est indisponible`,
      `Le service ${label} ne répond pas pour le moment. Réessayez dans quelques instants, ou connectez-vous avec votre adresse électronique et votre mot de passe.`);
  };

  const refuse = (request: FastifyRequest, reply: FastifyReply, status: number, message: string) =>
    sendPage(request, reply, {
      title: 'Connexion refusée',
      breadcrumb: [{ label: 'Connexion', href: '/connexion' }, { label: 'Connexion refusée' }],
      content: refusalPage('Connexion refusée', message, settings!.label),
    }, status);

  app.get('/connexion/oidc', { config: { rateLimit: OIDC_RATE_LIMIT } }, async (request, reply) => {
    if (!settings) return sendErrorPage(request, reply, 404, 'Page non trouvée', 'La connexion par un fournisseur d’identité n’est pas activée sur ce site.');
    const returnTo = safeReturnPath((request.query as Record<string, unknown>).retour);
    let signIn;
    try {
      signIn = await startSignIn(settings, config, returnTo);
    } catch (error) {
      return unavailable(request, reply, error);
    }
    setPendingCookie(reply, config, signIn.pending);
    return reply.code(302).header('cache-control', 'no-store').header('location', signIn.url.href).send();
  });

  app.get('/connexion/oidc/retour', { config: { rateLimit: OIDC_RATE_LIMIT } }, async (request, reply) => {
    if (!settings) return sendErrorPage(request, reply, 404, 'Page non trouvée', 'La connexion par un fournisseur d’identité n’est pas activée sur ce site.');
    const pending = readPendingCookie(request);
    clearPendingCookie(reply, config); // one answer per sign-in attempt, whatever happens next
    if (!pending) return refuse(request, reply, 400, refusalMessage('expired', settings.label, null));
    if ((request.query as Record<string, unknown>).error) return refuse(request, reply, 400, refusalMessage('cancelled', settings.label, null));

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
    return reply.code(302).header('cache-control', 'no-store').header('location', pending.returnTo).send();
  });
};
