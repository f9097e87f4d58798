import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import helmet from 'helmet';
import csrf from '@fastify/csrf-protection';
import type { Config } from '../config.ts';
import { sendErrorPage } from './render.ts';
import { SESSION_COOKIE, hashToken } from '../auth/session.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set to false on routes that authenticate otherwise (API keys) or carry their own token (public questionnaire). */
    csrf?: boolean;
    /** Extra frame-ancestors allowed for embeddable pages (the questionnaire in the modal widget). */
    embeddable?: boolean;
  }
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * What a CSRF token is bound to: the session cookie it was made for (by its hash, as the sessions table keeps it), or
 * « anonymous ». A token made before sign-in, or for another account, does not verify for this session. Read from the
 * cookie rather than the loaded user, so that it does not depend on the order of the hooks.
 */
export function csrfUserInfo(request: FastifyRequest): string {
  const session = request.cookies?.[SESSION_COOKIE];
  return session ? `session:${hashToken(session)}` : 'anonymous';
}

function originOf(value: string): string | null {
  try {
    const origin = new URL(value).origin;
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}

/**
 * Where a state-changing request comes from, by its `Origin` header, or its `Referer` when a browser sent no Origin;
 * `undefined` when it says nothing (non-browser clients: the CSRF token still applies), null when unreadable or opaque.
 * (`Sec-Fetch-Site`, when the browser sends it, is read before: see the hook.)
 */
function requestSource(request: FastifyRequest): string | null | undefined {
  const origin = request.headers.origin;
  if (typeof origin === 'string' && origin !== '') return originOf(origin);
  const referer = request.headers.referer;
  if (typeof referer === 'string' && referer !== '') return originOf(referer);
  return undefined;
}

export const CROSS_SITE_TITLE = 'Demande refusée';
export const CROSS_SITE_MESSAGE =
  'Cette demande a été envoyée depuis un autre site que Vigie : par sécurité, elle est refusée. Rien n’a été modifié. ' +
  'Si vous vouliez faire cette action, revenez sur Vigie et recommencez depuis la page concernée.';

export async function registerSecurity(app: FastifyInstance, config: Config): Promise<void> {
  // helmet's middleware built once: @fastify/helmet builds it again on every request (directives parsed, header
  // values rebuilt, garbage for the GC), about a tenth of the Node CPU of the busiest route, the questionnaire's first
  // step (measured A/B, docs/feedback.md).
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        objectSrc: ["'none'"],
        upgradeInsecureRequests: config.secureCookies ? [] : null,
      },
    },
    hsts: config.secureCookies,
    // Not helmet's no-referrer: with it, browsers send `Origin: null` on this site's own form posts, which the origin
    // check below could not tell from a cross-site post. Other sites still receive no referrer at all.
    referrerPolicy: { policy: 'same-origin' },
    crossOriginEmbedderPolicy: false,
    frameguard: false,
  });
  app.addHook('onRequest', (request, reply, done) => securityHeaders(request.raw, reply.raw, (error) => done(error as Error | undefined)));

  // The origins this site answers on: the configured public address, and the one the request was addressed to (the
  // Host header, through the proxy when TRUST_PROXY is set), which a cross-site page cannot choose.
  const publicOrigin = originOf(config.publicUrl);
  const isOwnOrigin = (request: FastifyRequest, source: string) =>
    source === publicOrigin || source === originOf(`${request.protocol}://${request.host}`);

  await app.register(csrf, {
    cookieKey: 'vigie_csrf',
    getUserInfo: csrfUserInfo,
    csrfOpts: { hmacKey: createHash('sha256').update(`vigie-csrf:${config.sessionSecret}`).digest() },
    cookieOpts: { signed: true, httpOnly: true, sameSite: 'lax', path: '/', secure: config.secureCookies },
    getToken: (request: FastifyRequest) => {
      const body = request.body as Record<string, unknown> | undefined;
      const query = request.query as Record<string, unknown> | undefined;
      const fromBody = body && typeof body === 'object' ? body._csrf : undefined;
      return (
        (typeof fromBody === 'string' ? fromBody : undefined) ??
        (typeof query?._csrf === 'string' ? query._csrf : undefined) ??
        (request.headers['x-csrf-token'] as string | undefined)
      );
    },
  });

  // One CSRF secret per response: without this, a page that asks for a token in its content and again in the layout
  // would set two different secret cookies on a first visit, and the form's token would not match the cookie kept.
  app.addHook('onRequest', (_request, reply, done) => {
    const generate = reply.generateCsrf;
    let token: string | undefined;
    reply.generateCsrf = function (this: typeof reply, opts?: Parameters<typeof generate>[0]) {
      return (token ??= generate.call(this, { ...opts, userInfo: csrfUserInfo(_request) }));
    };
    done();
  });

  // Routes that keep CSRF protection (every form) also refuse a request sent from another site, whatever its token.
  app.addHook('preHandler', (request, reply, done) => {
    if (!STATE_CHANGING.has(request.method) || request.routeOptions.config?.csrf === false) return done();
    const fetchSite = request.headers['sec-fetch-site'];
    const source =
      fetchSite === 'same-origin' ? undefined : fetchSite === 'cross-site' || fetchSite === 'same-site' ? null : requestSource(request);
    if (source !== undefined && (source === null || !isOwnOrigin(request, source))) {
      request.log.warn({ origin: source ?? 'opaque' }, 'cross-site request refused');
      sendErrorPage(request, reply, 403, CROSS_SITE_TITLE, CROSS_SITE_MESSAGE);
      return;
    }
    app.csrfProtection(request, reply, done);
  });
}
