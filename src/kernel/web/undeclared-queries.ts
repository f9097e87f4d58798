import type { FastifyInstance } from 'fastify';

/**
 * Keys any code may read of a query without meaning it: the kernel's CSRF reader (`_csrf`, a token sent in the query
 * of a file upload) and what inspection or promise checks look up.
 */
const NOT_READS = new Set(['_csrf', 'then', 'toJSON', 'constructor', 'inspect']);

/**
 * The route contract for queries, which the route table cannot show (test/route-contract.test.ts checks params and
 * bodies): under the test runner, a handler that reads `request.query.x` on a route without a `querystring` schema
 * fails with a 500 naming the route and the key, so every test of every route checks it. Off in production.
 */
export function registerUndeclaredQueryCheck(app: FastifyInstance): void {
  app.addHook('preHandler', (request, _reply, done) => {
    if (request.routeOptions.schema?.querystring) return done();
    const route = `${request.method} ${request.routeOptions.url ?? request.url}`;
    const query = (request.query ?? {}) as Record<string, unknown>;
    request.query = new Proxy(query, {
      get(target, key, receiver) {
        if (typeof key === 'string' && !NOT_READS.has(key)) {
          throw new Error(`${route} lit ?${key} sans schéma querystring (route contract: declare schema.querystring)`);
        }
        return Reflect.get(target, key, receiver);
      },
    });
    done();
  });
}
