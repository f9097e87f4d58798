import type { FastifyInstance, FastifyRequest } from 'fastify';
import helmet from 'helmet';
import csrf from '@fastify/csrf-protection';
import type { Config } from '../config.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set to false on routes that authenticate otherwise (API keys) or carry their own token (public questionnaire). */
    csrf?: boolean;
    /** Extra frame-ancestors allowed for embeddable pages (the questionnaire in the modal widget). */
    embeddable?: boolean;
  }
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

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
    crossOriginEmbedderPolicy: false,
    frameguard: false,
  });
  app.addHook('onRequest', (request, reply, done) => securityHeaders(request.raw, reply.raw, (error) => done(error as Error | undefined)));

  await app.register(csrf, {
    cookieKey: 'vigie_csrf',
    cookieOpts: { signed: true, httpOnly: true, sameSite: 'lax', path: '/', secure: config.secureCookies },
    getToken: (request: FastifyRequest) => {
      const body = request.body as Record<string, unknown> | undefined;
      const query = request.query as Record<string, unknown> | undefined;
      const fromBody = body && typeof body === 'object' ? body._csrf : undefined;
      return (typeof fromBody === 'string' ? fromBody : undefined) ??
        (typeof query?._csrf === 'string' ? query._csrf : undefined) ??
        (request.headers['x-csrf-token'] as string | undefined);
    },
  });

  // One CSRF secret per response: without this, a page that asks for a token in its content and again in the layout
  // would set two different secret cookies on a first visit, and the form's token would not match the cookie kept.
  app.addHook('onRequest', (_request, reply, done) => {
    const generate = reply.generateCsrf;
    let token: string | undefined;
    reply.generateCsrf = function (this: typeof reply, opts?: Parameters<typeof generate>[0]) {
      return (token ??= generate.call(this, opts));
    };
    done();
  });

  app.addHook('preHandler', (request, reply, done) => {
    if (!STATE_CHANGING.has(request.method) || request.routeOptions.config?.csrf === false) return done();
    app.csrfProtection(request, reply, done);
  });
}
