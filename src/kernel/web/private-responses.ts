import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SESSION_COOKIE } from '../auth/session.ts';

/** Files that are the same for everyone whoever asks: their own cache headers stay. */
const SHARED_FILES = '/assets/';

/** A request answered for someone: a session cookie (signed in or not yet), or credentials (an API key). */
function isPrivate(request: FastifyRequest): boolean {
  return Boolean(request.user || request.cookies?.[SESSION_COOKIE] || request.headers.authorization);
}

/**
 * `Cache-Control: no-store` on every answer given behind a session or an API key, whatever the route set: neither a
 * shared cache (a proxy) nor the browser's disk may keep a page or an API answer made for one user. Static files
 * under /assets/ keep their own headers (identical for everyone).
 */
export function registerPrivateResponses(app: FastifyInstance): void {
  app.addHook('onSend', (request, reply, payload, done) => {
    if (isPrivate(request) && !request.url.startsWith(SHARED_FILES)) {
      reply.header('cache-control', 'no-store');
    }
    done(null, payload);
  });
}
