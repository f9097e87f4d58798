import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { PUBLIC } from './access.ts';
import client from 'prom-client';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

/**
 * A scrape from this machine: the socket's peer is loopback and no proxy forwarded the request (a reverse proxy on
 * the same machine connects from loopback too, for every visitor: its `X-Forwarded-For` / `Forwarded` tells).
 */
function fromLoopback(request: FastifyRequest): boolean {
  const peer = request.raw.socket?.remoteAddress ?? '';
  return LOOPBACK.test(peer) && !request.headers['x-forwarded-for'] && !request.headers.forwarded;
}

function sameToken(given: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * Who may read /metrics: a scrape from loopback, or anyone sending `Authorization: Bearer <METRICS_TOKEN>` when the
 * token is configured. The figures (routes, volumes, memory) are not for the public.
 */
export function metricsAllowed(request: FastifyRequest, token: string | undefined): boolean {
  if (fromLoopback(request)) return true;
  if (!token) return false;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(String(request.headers.authorization ?? ''));
  return Boolean(match && sameToken(match[1], token));
}

/** Prometheus metrics at /metrics: process metrics and a request histogram by route pattern (never by raw URL). */
export function registerMetrics(app: FastifyInstance, metricsToken?: string): client.Registry {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const duration = new client.Histogram({
    name: 'vigie_http_request_duration_seconds',
    help: 'Durée des requêtes HTTP',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  app.addHook('onResponse', (request, reply, done) => {
    duration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'not_found', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    done();
  });
  app.get('/metrics', PUBLIC, async (request, reply) => {
    if (!metricsAllowed(request, metricsToken)) {
      if (metricsToken) reply.header('www-authenticate', 'Bearer realm="metrics"');
      return reply
        .code(metricsToken ? 401 : 403)
        .type('text/plain; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(
          metricsToken
            ? 'Mesures réservées : envoyez « Authorization: Bearer <jeton> ».\n'
            : 'Mesures réservées à la machine du serveur (ou définissez METRICS_TOKEN).\n',
        );
    }
    reply.type(registry.contentType).header('cache-control', 'no-store');
    return registry.metrics();
  });
  return registry;
}
