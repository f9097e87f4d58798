import type { FastifyInstance, HTTPMethods } from 'fastify';

export interface RouteEntry {
  method: string;
  /** The pattern as registered, prefix included (`/catalogue/demarches/:id`). */
  url: string;
  /** Which parts of the request the route's schema validates. */
  schema: { params: boolean; querystring: boolean; body: boolean };
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route of the server as registered (HEAD twins left out): for tests that must cover them all. */
    routeTable: RouteEntry[];
  }
}

/** Collects the routes as they are added (an `onRoute` hook): call it before any route or plugin is registered. */
export function registerRouteTable(app: FastifyInstance): void {
  const table: RouteEntry[] = [];
  app.decorate('routeTable', table);
  app.addHook('onRoute', (route) => {
    const methods = (Array.isArray(route.method) ? route.method : [route.method]) as HTTPMethods[];
    for (const method of methods) {
      // The HEAD twins Fastify adds for every GET run the GET handler: the GET stands for both.
      if (method === 'HEAD') continue;
      const schema = route.schema ?? {};
      table.push({
        method,
        url: route.url,
        schema: { params: schema.params != null, querystring: schema.querystring != null, body: schema.body != null },
      });
    }
  });
}
