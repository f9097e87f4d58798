import path from 'node:path';
import { registerUndeclaredQueryCheck } from './undeclared-queries.ts';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import compress from '@fastify/compress';
import type { AppDeps } from './deps.ts';
import type { VigieModule } from '../module.ts';
import { useNavigation } from './navigation.ts';
import { openApiRoutes, registerOpenApiGeneration } from './openapi.ts';
import type { CurrentUser } from '../auth/scope.ts';
import { SESSION_COOKIE, loadSessionUser } from '../auth/session.ts';
import { registerSecurity } from './security.ts';
import { registerMetrics } from './metrics.ts';
import { PUBLIC, publicStatic, registerAccess } from './access.ts';
import { zodValidatorCompiler, type ZodTypeProvider } from './schemas.ts';
import { registerPrivateResponses } from './private-responses.ts';
import { registerRouteTable } from './route-table.ts';
import { sendBareErrorPage, sendErrorPage } from './render.ts';
import { BadInputError, invalidUtf8, parseFormBody, registerInputGuard } from './input-guard.ts';
import { hashIp } from '../audit/audit.ts';
import { databaseRateLimitStore } from './rate-limit-store.ts';
import { LIGHT_STYLES_FILE, LIGHT_STYLES_PREFIX, compressedLightStyles, lightStylesAt } from './light-styles.ts';
import { z } from 'zod';

declare module 'fastify' {
  interface FastifyRequest {
    user: CurrentUser | null;
    /** Keyed hash of the client IP, for the audit log and rate limits; the clear IP is never stored. */
    ipHash: string | null;
  }
  interface FastifyInstance {
    /** Sign-out goes through the OpenID Connect route, which also ends the provider's session. */
    oidcEnabled: boolean;
  }
}

const require = createRequire(import.meta.url);
const dsfrDist = path.join(path.dirname(require.resolve('@gouvfr/dsfr/package.json')), 'dist');
const ownAssets = path.join(path.dirname(fileURLToPath(import.meta.url)), 'assets');

/** @deprecated the name of `VigieModule` before the manifest; kept for tests that build a server of one module. */
export type Module = VigieModule;

const READY_TIMEOUT_MS = 2000;

/** Request bodies: 1 MB for forms and JSON; modules that take files raise their own limit. */
export const BODY_LIMIT = 1024 * 1024;

function isApi(request: FastifyRequest): boolean {
  return request.url.startsWith('/api/');
}

/** Text worth compressing; not archives (XLSX, ZIP) nor images, which are compressed already. */
const COMPRESSIBLE = /^(text\/(?!event-stream)|application\/([a-z.+-]*\+)?(json|javascript|xml)(;|$)|image\/svg\+xml)/;

/** One log line per request, when it completes (method, path, status, time), instead of Fastify's two. */
class OneLinePerRequest extends LogController {
  override incomingRequest(): void {}
  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (this.isLogDisabled(request)) return;
    const line = { req: request, res: { statusCode: reply.statusCode }, responseTime: Math.round(reply.elapsedTime * 10) / 10 };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request completed');
  }
}

/** The messages of a failed route-schema validation, one per issue (the schemas write them in French). */
function zodMessages(error: any): string {
  const issues: { message?: string }[] = Array.isArray(error.validation) ? error.validation : [];
  const messages = issues.map((issue) => issue.message).filter((m): m is string => Boolean(m));
  return messages.length ? [...new Set(messages)].join(' ') : 'La requête envoyée est invalide. Rien n’a été enregistré.';
}

export async function buildServer(deps: AppDeps, modules: VigieModule[]): Promise<FastifyInstance> {
  const { config, db } = deps;
  const app = Fastify({
    trustProxy: config.trustProxy,
    bodyLimit: BODY_LIMIT,
    logger: {
      level: config.logLevel,
      redact: ['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-api-key"]'],
      serializers: {
        // No IP address, no query string (it may carry search terms or tokens): personal data stays out of logs.
        req: (req) => ({ method: req.method, url: req.url.split('?')[0], id: req.id }),
      },
    },
    routerOptions: { ignoreTrailingSlash: true },
    forceCloseConnections: false,
    logController: new OneLinePerRequest(),
    // A path the router cannot percent-decode (`/demarches/%C3`) never reaches the hooks: same refusal as the guard's.
    frameworkErrors: (error, request, reply: FastifyReply) => {
      const bad =
        error.code === 'FST_ERR_BAD_URL'
          ? invalidUtf8()
          : new BadInputError('Requête invalide', 'La requête envoyée est invalide ou mal formée. Rien n’a été enregistré.');
      if (isApi(request))
        return reply.code(400).type('application/problem+json').send({ title: bad.title, status: 400, detail: bad.detail });
      return sendBareErrorPage(request, reply, 400, bad.title, bad.detail);
    },
  });

  registerRouteTable(app);
  // Route schemas are zod schemas (schemas.ts); routes without a schema are not affected.
  app.setValidatorCompiler(zodValidatorCompiler);
  // Before any route: the OpenAPI document is generated from the API routes' schemas (openapi.ts).
  await registerOpenApiGeneration(app);
  // Before any route: every route must declare its access policy (src/kernel/web/access.ts).
  const checkAccess = registerAccess(app, db, modules);
  app.decorate('oidcEnabled', Boolean(config.oidc));
  app.decorateRequest('user', null);
  app.decorateRequest('ipHash', null);

  await app.register(cookie, { secret: config.sessionSecret });
  await app.register(formbody, {
    bodyLimit: BODY_LIMIT,
    // The input guard refuses NUL, bytes that are not UTF-8 and prototype names as keys (input-guard.ts).
    parser: (body: string) => parseFormBody(body),
  });
  // Counted in the database, not in this process: several servers on one database share each limit.
  await app.register(rateLimit, { global: false, store: databaseRateLimitStore(db, config.sessionSecret) as any });
  // Registered before any route: it hooks every route added after it, the static files (streams) included.
  await app.register(compress, { encodings: ['br', 'gzip'], threshold: 1024, customTypes: COMPRESSIBLE });
  await registerSecurity(app, config);
  // First of the hooks that read the query or the database (after the security headers, which error pages need too).
  registerInputGuard(app, BODY_LIMIT);
  registerMetrics(app, config.metricsToken);
  registerPrivateResponses(app);

  await app.register(publicStatic, {
    files: {
      root: dsfrDist,
      prefix: '/assets/dsfr/',
      maxAge: '7d',
      decorateReply: false,
      allowedPath: (pathName) => !pathName.endsWith('.map'),
    },
  });
  await app.register(publicStatic, { files: { root: ownAssets, prefix: '/assets/vigie/', maxAge: '1h', decorateReply: false } });
  // A name that cannot be a stylesheet's is refused by the route schema: the same 404 page as an unknown one.
  const lightFile = z.object({ file: z.string().regex(LIGHT_STYLES_FILE, 'La page que vous cherchez est introuvable.') });
  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.get(`${LIGHT_STYLES_PREFIX}:file`, { ...PUBLIC, schema: { params: lightFile } }, async (request, reply) => {
    const styles = lightStylesAt(`${LIGHT_STYLES_PREFIX}${request.params.file}`);
    if (!styles) return reply.callNotFound();
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=31536000, immutable').header('vary', 'accept-encoding');
    const accepted = String(request.headers['accept-encoding'] ?? '');
    const encoding = /\bbr\b/.test(accepted) ? 'br' : /\bgzip\b/.test(accepted) ? 'gzip' : null;
    if (!encoding) return reply.send(styles.css);
    // Compressed once and kept: @fastify/compress leaves a response that already has a content-encoding alone.
    return reply.header('content-encoding', encoding).send(compressedLightStyles(encoding, styles));
  });

  app.addHook('onRequest', async (request) => {
    request.ipHash = hashIp(request.ip, config.sessionSecret);
    const token = request.cookies[SESSION_COOKIE];
    if (token) request.user = await loadSessionUser(db, token);
  });
  // Before the body is read, validated or checked for CSRF, before the handler: refusals cost nothing and write nothing.
  app.addHook('onRequest', checkAccess);
  if (config.checkQueryReads) registerUndeclaredQueryCheck(app);

  app.get('/healthz', PUBLIC, async () => ({ status: 'ok' }));
  // Not ready when the database does not answer within 2 s (a server that is down, or a network that drops packets).
  app.get('/readyz', PUBLIC, async (_request, reply) => {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        db.query('SELECT 1'),
        new Promise((_resolve, reject) => {
          timer = setTimeout(() => reject(new Error('database timeout')), READY_TIMEOUT_MS);
        }),
      ]);
      return reply.header('cache-control', 'no-store').send({ status: 'ok', database: db.kind });
    } catch {
      return reply.code(503).header('cache-control', 'no-store').send({ status: 'unavailable', database: db.kind });
    } finally {
      clearTimeout(timer);
    }
  });

  app.setNotFoundHandler((request, reply) => {
    if (isApi(request)) {
      return reply
        .code(404)
        .type('application/problem+json')
        .send({ title: 'Introuvable', status: 404, detail: 'Cette ressource n’existe pas.' });
    }
    return sendErrorPage(
      request,
      reply,
      404,
      'Page non trouvée',
      'La page que vous cherchez est introuvable. Excusez-nous pour la gêne occasionnée.',
    );
  });

  app.setErrorHandler((error: any, request, reply) => {
    const status: number = error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
    let title = 'Erreur inattendue';
    let message = 'Une erreur est survenue de notre côté. Rien n’a été enregistré ; réessayez dans quelques instants.';
    if (error instanceof BadInputError) {
      title = error.title;
      message = error.detail;
    } else if (error.validation && error.statusCode === 400 && error.validationContext === 'params') {
      // A parameter of the URL that the route schema refuses (an id that is not one) names nothing that exists: the
      // route's own 404 when its schema names it (idParamsOr404), the generic one otherwise.
      const own = (error.validation as { title?: string; message?: string }[]).find((issue) => issue.title);
      if (isApi(request)) {
        return reply
          .code(404)
          .type('application/problem+json')
          .send({ title: own?.title ?? 'Introuvable', status: 404, detail: own?.message ?? 'Cette ressource n’existe pas.' });
      }
      return sendErrorPage(
        request,
        reply,
        404,
        own?.title ?? 'Page non trouvée',
        own?.message ?? 'La page que vous cherchez est introuvable. Excusez-nous pour la gêne occasionnée.',
      );
    } else if (error.validation && error.statusCode === 400) {
      // A route schema (zod, schemas.ts) refused the request: its messages name the parameters.
      title = 'Paramètre invalide';
      message = zodMessages(error);
    } else if (status === 413) {
      title = 'Envoi trop volumineux';
      message = 'Le contenu envoyé dépasse la taille maximale acceptée. Rien n’a été enregistré.';
    } else if (status === 403 && String(error.code).startsWith('FST_CSRF')) {
      title = 'Formulaire expiré';
      message = 'Ce formulaire a expiré ou ne vient pas de Vigie. Rechargez la page et envoyez-le de nouveau. Rien n’a été enregistré.';
    } else if (status === 429) {
      title = 'Trop de tentatives';
      message = 'Vous avez fait trop de tentatives en peu de temps. Patientez quelques minutes avant de réessayer.';
    } else if (status === 415) {
      title = 'Format non pris en charge';
      message = 'Le format du contenu envoyé n’est pas accepté. Rien n’a été enregistré.';
    } else if (status >= 400 && status < 500) {
      title = 'Requête invalide';
      message = 'La requête envoyée est invalide ou mal formée. Rien n’a été enregistré.';
    }
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    // The error may come after the reply was prepared (a streamed export failing before its first byte): drop what
    // described that body, or the error page would go out announced as gzip or as an attachment.
    for (const header of ['content-encoding', 'content-length', 'content-disposition', 'content-type', 'etag', 'last-modified']) {
      reply.removeHeader(header);
      reply.raw.removeHeader(header);
    }
    if (isApi(request)) {
      return reply.code(status).type('application/problem+json').send({ title, status, detail: message });
    }
    return sendErrorPage(request, reply, status, title, message);
  });

  // The kernel loops over the modules' manifests (src/kernel/module.ts) for each part they bring.
  useNavigation(modules);
  // After the handlers: plugins inherit the error and not-found handlers that exist when they are registered.
  for (const module of modules) if (module.routes) await app.register(module.routes, deps);
  // The one OpenAPI document of every module's API paths.
  await app.register(openApiRoutes, { publicUrl: config.publicUrl });
  if (deps.jobs) for (const module of modules) await module.jobs?.(deps, deps.jobs);

  return app;
}
