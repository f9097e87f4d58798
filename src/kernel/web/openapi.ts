import { createHash } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { html } from './html.ts';
import { sendPage } from './render.ts';
import { PUBLIC } from './access.ts';

/**
 * The one OpenAPI 3 document of Vigie's public API: each module adds its paths (and schemas) at load time with
 * `addApiPath`; the document is served at /api/openapi.json and read as a page at /api/docs.
 */
export interface ApiParameter {
  name: string;
  in: 'query' | 'path' | 'header';
  description: string;
  required?: boolean;
  schema: Record<string, unknown>;
}

export interface ApiOperation {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  parameters?: ApiParameter[];
  responses: Record<string, { description: string; content?: Record<string, { schema: Record<string, unknown> }> }>;
}

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
const paths = new Map<string, Partial<Record<Method, ApiOperation>>>();
const schemas = new Map<string, Record<string, unknown>>();

export function addApiPath(path: string, method: Method, operation: ApiOperation): void {
  const entry = paths.get(path) ?? {};
  entry[method] = operation;
  paths.set(path, entry);
}

export function addApiSchema(name: string, schema: Record<string, unknown>): void {
  schemas.set(name, schema);
}

/** A JSON response in a schema: `{ $ref }` of a registered schema. */
export function jsonResponse(description: string, schemaName: string): ApiOperation['responses'][string] {
  return { description, content: { 'application/json': { schema: { $ref: `#/components/schemas/${schemaName}` } } } };
}

export const PROBLEM_RESPONSE = { description: 'Erreur (RFC 9457 problem details)', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };

addApiSchema('Problem', {
  type: 'object',
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    errors: { type: 'object', additionalProperties: { type: 'string' }, description: 'Message par paramètre invalide' },
  },
  required: ['title', 'status'],
});

/** The API security scheme: a key made by its owner in « Mon compte », acting within the owner's scope. */
export const API_KEY_SCHEME = 'cleApi';

/**
 * The operations that need an API key, `get /api/v1/…/{id}` (OpenAPI path form), from the routes' declared access
 * (`{ apiKey: … }`): the document never says « public » of a route the kernel guards.
 */
export function keyedOperations(routes: readonly { method: string | string[]; url: string; config?: { access?: unknown } }[]): Set<string> {
  const keyed = new Set<string>();
  for (const route of routes) {
    const access = route.config?.access;
    if (!route.url.startsWith('/api/') || typeof access !== 'object' || access === null || !('apiKey' in access)) continue;
    for (const method of [route.method].flat()) keyed.add(`${method.toLowerCase()} ${route.url.replace(/:(\w+)/g, '{$1}')}`);
  }
  return keyed;
}

export function openApiDocument(publicUrl: string, keyed: Set<string> = new Set()): Record<string, unknown> {
  const sortedPaths = Object.fromEntries(
    [...paths]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([path, ops]) => [
        path,
        Object.fromEntries(Object.entries(ops).map(([method, op]) => [method, keyed.has(`${method} ${path}`) ? { ...op, security: [{ [API_KEY_SCHEME]: [] }] } : op])),
      ]),
  );
  return {
    openapi: '3.1.0',
    info: {
      title: 'API publique de Vigie',
      version: '1.0.0',
      description:
        'API en lecture seule de Vigie. Les données de l’observatoire sont publiques, sans authentification (licence Etalab 2.0) ; ' +
        'les indicateurs d’avis usagers demandent une clé d’API (schéma « cleApi ») et ne portent que sur les démarches du périmètre de la clé. ' +
        'Les dates sont au format AAAA-MM-JJ (ISO 8601).',
      license: { name: 'Licence Ouverte / Etalab 2.0', url: 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/' },
    },
    servers: [{ url: publicUrl.replace(/\/$/, '') }],
    paths: sortedPaths,
    components: {
      schemas: Object.fromEntries(schemas),
      securitySchemes: {
        [API_KEY_SCHEME]: {
          type: 'http',
          scheme: 'bearer',
          description: 'Clé d’API créée dans « Mon compte › Clés d’API », envoyée dans l’en-tête « Authorization: Bearer <clé> ». Elle agit avec les droits de son propriétaire.',
        },
      },
    },
  };
}

/** The ETag of a JSON text or of its UTF-8 bytes (strong validator: same bytes, same tag). */
export function etagOf(text: string | Buffer): string {
  return `"${createHash('sha256').update(text).digest('base64url').slice(0, 27)}"`;
}

/**
 * Sends a public JSON text with its ETag (304 when the client has it) and a short shared cache. The text may be given as
 * its UTF-8 bytes (a large answer kept in memory outside the JavaScript heap).
 */
export function sendPublicJsonText(request: FastifyRequest, reply: FastifyReply, text: string | Buffer, etag = etagOf(text), maxAgeSeconds = 300): FastifyReply {
  reply.header('etag', etag).header('cache-control', `public, max-age=${maxAgeSeconds}`).header('access-control-allow-origin', '*');
  const inm = request.headers['if-none-match'];
  if (inm && inm.split(',').map((s) => s.trim()).includes(etag)) return reply.code(304).send();
  return reply.type('application/json; charset=utf-8').send(text);
}

/** Sends a public JSON answer with an ETag (304 when the client has it) and a short shared cache. */
export function sendPublicJson(request: FastifyRequest, reply: FastifyReply, body: unknown, maxAgeSeconds = 300): FastifyReply {
  const text = JSON.stringify(body);
  return sendPublicJsonText(request, reply, text, etagOf(text), maxAgeSeconds);
}

export function sendProblem(reply: FastifyReply, status: number, title: string, detail: string, errors?: Record<string, string>): FastifyReply {
  return reply.code(status).type('application/problem+json').header('cache-control', 'no-store').send({ type: 'about:blank', title, status, detail, ...(errors ? { errors } : {}) });
}

function schemaText(schema: Record<string, unknown> | undefined): string {
  if (!schema) return '';
  if (typeof schema.$ref === 'string') return schema.$ref.split('/').pop()!;
  if (Array.isArray(schema.enum)) return `${schema.type ?? ''} (${schema.enum.join(', ')})`;
  return String(schema.type ?? '');
}

/** Serves the document and its readable page. */
export const openApiRoutes: FastifyPluginAsync<{ publicUrl: string }> = async (app, { publicUrl }) => {
  app.get('/api/openapi.json', PUBLIC, async (request, reply) => sendPublicJson(request, reply, openApiDocument(publicUrl, keyedOperations(app.routesWithAccess)), 3600));
  app.get('/api/docs', PUBLIC, async (request, reply) => {
    const keyed = keyedOperations(app.routesWithAccess);
    const entries = [...paths].sort(([a], [b]) => a.localeCompare(b)).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ path, method, op: op! })));
    const content = html`<h1>API publique de Vigie</h1>
<p class="fr-text--lead">Une API REST en lecture seule, décrite par un document OpenAPI 3 :
<a href="/api/openapi.json">/api/openapi.json</a>. Les réponses portent un en-tête ETag et Cache-Control ; les erreurs sont
au format « problem details » (application/problem+json). Les dates sont au format AAAA-MM-JJ (ISO 8601).</p>
<p>Les données de l’observatoire sont publiques, sans authentification, sous licence Etalab 2.0. Les indicateurs d’avis
usagers demandent une clé d’API : créez-la dans « Mon compte › Clés d’API » et envoyez-la dans l’en-tête
<code>Authorization: Bearer &lt;clé&gt;</code> ; seules les démarches de votre périmètre sont accessibles.</p>
<h2>Sommaire</h2>
<ul>${entries.map((e) => html`<li><a href="#${e.op.operationId}">${e.method.toUpperCase()} ${e.path}</a> : ${e.op.summary}</li>`)}</ul>
${entries.map(
  (e) => html`<section class="fr-mt-6w" aria-labelledby="${e.op.operationId}">
  <h2 id="${e.op.operationId}" class="fr-h4"><code>${e.method.toUpperCase()} ${e.path}</code></h2>
  <p>${e.op.summary}${e.op.description ? html`<br>${e.op.description}` : ''}</p>
  <p><strong>Authentification :</strong> ${keyed.has(`${e.method} ${e.path}`) ? 'clé d’API (Authorization: Bearer)' : 'aucune (données publiques)'}</p>
  ${e.op.parameters?.length
    ? html`<div class="fr-table"><table><caption>Paramètres de ${e.method.toUpperCase()} ${e.path}</caption>
      <thead><tr><th scope="col">Nom</th><th scope="col">Emplacement</th><th scope="col">Type</th><th scope="col">Obligatoire</th><th scope="col">Description</th></tr></thead>
      <tbody>${e.op.parameters.map((p) => html`<tr><th scope="row"><code>${p.name}</code></th><td>${p.in}</td><td>${schemaText(p.schema)}</td><td>${p.required ? 'oui' : 'non'}</td><td>${p.description}</td></tr>`)}</tbody></table></div>`
    : html`<p>Aucun paramètre.</p>`}
  <h3 class="fr-h6">Réponses</h3>
  <ul>${Object.entries(e.op.responses).map(([status, r]) => html`<li><strong>${status}</strong> : ${r.description}${r.content ? html` (${Object.entries(r.content).map(([type, c]) => `${type} ${schemaText(c.schema)}`).join(', ')})` : ''}</li>`)}</ul>
</section>`,
)}`;
    return sendPage(request, reply, { title: 'API publique', breadcrumb: [{ label: 'API publique' }], content });
  });
};
