import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import fastifyStatic, { type FastifyStaticOptions } from '@fastify/static';
import type { Db } from '../db/db.ts';
import type { Place, PlaceResolver, VigieModule } from '../module.ts';
import { authenticateApiKey } from '../auth/api-keys.ts';
import {
  canEditProcedure,
  canManageAdministration,
  canManageMinistry,
  canReadProcedure,
  hasAnyGrant,
  isAdmin,
  type CurrentUser,
} from '../auth/scope.ts';
import { sendErrorPage } from './render.ts';
import { parseId } from './ids.ts';

/**
 * Declared access: every route states who may call it in its options, `{ config: { access } }`, and one kernel hook
 * checks it before anything else runs (body reading, validation, CSRF, the handler):
 * - `'public'`: anyone;
 * - `'signedIn'`: any signed-in user, with or without a grant (their own account pages);
 * - `'member'`: a signed-in user with at least one grant (back-office lists; rows are then filtered by scope);
 * - `'steering'`: the steering team (the admin role);
 * - `{ scope, right, param, via? }`: a grant covering the object named by the route parameter `param`:
 *   `scope: 'procedure'` read (`canReadProcedure`) or edit (`canEditProcedure`, not a reader); `'administration'`
 *   (`canManageAdministration`: steering, the ministry's referent, the administration's members); `'ministry'`
 *   (`canManageMinistry`: steering, the ministry's referent). `via` names what the parameter identifies when it is not
 *   the scope itself (e.g. `{ scope: 'procedure', right: 'edit', param: 'id', via: 'form' }`): a resolver of a
 *   module's manifest (`VigieModule.places`) gives its place; an unknown id is a 404. When that resolver grants its
 *   object to users alone (`VigieModule.objectGrants`: an audit's outside auditor, a défi's team member), they pass
 *   too, unless the route says `objectGrants: false` (the procedure's own team only: granting auditors, publishing…);
 * - `{ apiKey: true }` or `{ apiKey: { scope, right, param, via? } }`: an API key (Authorization: Bearer), acting with
 *   its owner's grants, optionally within a scope; the caller is `request.apiCaller`.
 * Refusals: anonymous → 303 to `/connexion?retour=…`; signed in but out of scope → the one 403 page; unknown object →
 * the 404 page; API routes answer problem+json (401, 403, 404). A check that depends on the request body (e.g. the
 * administration chosen in a form) stays in the handler, which answers with `sendForbidden`.
 */
export type ScopeKind = 'procedure' | 'administration' | 'ministry';

export interface ScopeAccess {
  scope: ScopeKind;
  right: 'read' | 'edit';
  /** The route parameter holding the id. */
  param: string;
  /** What the parameter identifies, when it is not the scope itself: a resolver of `VigieModule.places`. */
  via?: string;
  /**
   * `false`: the users the resolver grants this object alone (`VigieModule.objectGrants`, `Place.grantedUserIds`) do
   * not pass; only a grant covering the scope does (e.g. the procedure's team, not the audit's outside auditor).
   */
  objectGrants?: false;
}

export type Access = 'public' | 'signedIn' | 'member' | 'steering' | ScopeAccess | { apiKey: true | ScopeAccess };

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route (src/kernel/web/access.ts); the server refuses to start if a route has none. */
    access?: Access;
  }
  interface FastifyInstance {
    /** Every route with its options (method, url, config.access…), once the server is ready: the matrix walks it. */
    routesWithAccess: readonly RouteOptions[];
  }
  interface FastifyRequest {
    /** The owner of the API key of a route declared `{ apiKey: … }` (null elsewhere). */
    apiCaller: CurrentUser | null;
    /** The place of the object a scoped route names, once the access check has found it. */
    place: Place | null;
  }
}

export const FORBIDDEN_TITLE = 'Accès refusé';
export const FORBIDDEN_MESSAGE =
  'Vous n’avez pas les droits nécessaires pour accéder à cette page ou faire cette action. Rien n’a été modifié. Si vous pensez que c’est une erreur, contactez votre référent ministériel ou l’équipe de pilotage.';

/** The one 403 page; a handler refining a policy may say why in `message`. */
export function sendForbidden(request: FastifyRequest, reply: FastifyReply, message = FORBIDDEN_MESSAGE): FastifyReply {
  return sendErrorPage(request, reply, 403, FORBIDDEN_TITLE, message);
}

/** The sign-in page, back to `returnTo` (a path of this site) afterwards. */
export function loginUrl(returnTo: string): string {
  return `/connexion?retour=${encodeURIComponent(returnTo)}`;
}

/** The sign-in redirect; after a form sent while signed out, back to the home page (a POST URL cannot be opened). */
export function redirectToLogin(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const target = request.method === 'GET' || request.method === 'HEAD' ? request.url : '/';
  return reply.code(303).header('location', loginUrl(target)).send();
}

function problem(reply: FastifyReply, status: number, title: string, detail: string): FastifyReply {
  return reply
    .code(status)
    .type('application/problem+json')
    .header('cache-control', 'no-store')
    .send({ type: 'about:blank', title, status, detail });
}

function isScope(access: Access): access is ScopeAccess {
  return typeof access === 'object' && 'scope' in access;
}

function covers(user: CurrentUser, access: ScopeAccess, place: Place): boolean {
  switch (access.scope) {
    case 'procedure': {
      if (place.procedureId === undefined || place.administrationId === undefined) return false;
      const p = { procedureId: place.procedureId, administrationId: place.administrationId, ministryId: place.ministryId };
      return access.right === 'edit' ? canEditProcedure(user, p) : canReadProcedure(user, p);
    }
    case 'administration':
      return place.administrationId !== undefined && canManageAdministration(user, place.administrationId, place.ministryId);
    case 'ministry':
      return canManageMinistry(user, place.ministryId);
  }
}

/** Describes a route for error messages: `GET /catalogue`. */
function routeName(route: Pick<RouteOptions, 'method' | 'url'>): string {
  return `${[route.method].flat().join(',')} ${route.url}`;
}

/**
 * Installs the check: `onReady` refuses to start when a route has no policy or names an unknown resolver. Call it
 * before any route is added; it returns the `onRequest` hook that applies the policies, to add after the hook that
 * loads the session.
 */
export function registerAccess(
  app: FastifyInstance,
  db: Db,
  modules: VigieModule[],
): (request: FastifyRequest, reply: FastifyReply) => Promise<unknown> {
  const resolvers = new Map<string, PlaceResolver>();
  for (const module of modules) {
    for (const [name, resolver] of Object.entries(module.places ?? {})) {
      if (resolvers.has(name)) throw new Error(`Le lieu « ${name} » est déclaré par deux modules (${module.name}).`);
      resolvers.set(name, resolver);
    }
  }
  const grantingResolvers = new Set(modules.flatMap((m) => m.objectGrants ?? []));
  app.decorateRequest('apiCaller', null);
  app.decorateRequest('place', null);

  // Checked once every route is known: plugins' own onRoute hooks (declarePublic) run after this one.
  const routes: RouteOptions[] = [];
  app.decorate('routesWithAccess', routes);
  app.addHook('onRoute', (route) => {
    routes.push(route);
  });
  app.addHook('onReady', async () => {
    const missing = new Set<string>();
    for (const route of routes) {
      const access = route.config?.access;
      if (!access) {
        missing.add(routeName(route));
        continue;
      }
      const scope = isScope(access) ? access : typeof access === 'object' && typeof access.apiKey === 'object' ? access.apiKey : null;
      if (!scope) continue;
      const via = scope.via ?? scope.scope;
      if (!resolvers.has(via)) throw new Error(`${routeName(route)} : aucun module ne déclare le lieu « ${via} » (VigieModule.places).`);
      if (!route.url.includes(`:${scope.param}`))
        throw new Error(`${routeName(route)} : le paramètre « ${scope.param} » de la règle d’accès n’est pas dans l’URL.`);
      if (scope.objectGrants === false && !grantingResolvers.has(via)) {
        throw new Error(
          `${routeName(route)} : « objectGrants: false » sur le lieu « ${via} », qui n’accorde aucun objet seul (VigieModule.objectGrants).`,
        );
      }
    }
    if (missing.size) {
      throw new Error(
        `Route(s) sans règle d’accès déclarée — ajoutez { config: { access: … } } (docs/architecture.md, « Declared access ») : ${[...missing].join(' ; ')}`,
      );
    }
  });

  async function placeOf(access: ScopeAccess, request: FastifyRequest): Promise<Place | null> {
    const id = parseId((request.params as Record<string, string> | undefined)?.[access.param]);
    return id === null ? null : resolvers.get(access.via ?? access.scope)!(db, id);
  }

  return async function checkAccess(request, reply) {
    const access = request.routeOptions.config?.access;
    if (!access || access === 'public') return;
    if (typeof access === 'object' && 'apiKey' in access) {
      const caller = await authenticateApiKey(db, request.headers.authorization);
      if (!caller)
        return problem(reply, 401, 'Non authentifié', 'Clé d’API absente, inconnue ou révoquée : envoyez « Authorization: Bearer <clé> ».');
      request.apiCaller = caller;
      if (access.apiKey === true) return;
      const place = await placeOf(access.apiKey, request);
      if (!place) return problem(reply, 404, 'Introuvable', 'Cette ressource n’existe pas.');
      if (!covers(caller, access.apiKey, place))
        return problem(reply, 403, FORBIDDEN_TITLE, 'Cette ressource ne fait pas partie du périmètre de la clé.');
      request.place = place;
      return;
    }
    const user = request.user;
    if (!user) return redirectToLogin(request, reply);
    if (access === 'signedIn') return;
    if (access === 'member') return hasAnyGrant(user) ? undefined : sendForbidden(request, reply);
    if (access === 'steering') return isAdmin(user) ? undefined : sendForbidden(request, reply);
    // A user without any grant is in no catalogue scope: refused before the object is looked up, unless the object's
    // resolver can grant it alone (an audit's outside auditor) and the route lets such grants pass; then an unknown
    // object is refused the same way.
    const objectGrants = access.objectGrants !== false && grantingResolvers.has(access.via ?? access.scope);
    if (!hasAnyGrant(user) && !objectGrants) return sendForbidden(request, reply);
    const place = await placeOf(access, request);
    if (!place)
      return hasAnyGrant(user)
        ? sendErrorPage(request, reply, 404, 'Page non trouvée', 'Cette page n’existe pas ou plus.')
        : sendForbidden(request, reply);
    if (!(objectGrants && place.grantedUserIds?.includes(user.id)) && !covers(user, access, place)) return sendForbidden(request, reply);
    request.place = place;
  };
}

/** Route options of the common policies: `app.get(url, PUBLIC, handler)`. Routes with more options spell it out. */
export const PUBLIC = { config: { access: 'public' as Access } };
export const SIGNED_IN = { config: { access: 'signedIn' as Access } };
export const MEMBER = { config: { access: 'member' as Access } };
export const STEERING = { config: { access: 'steering' as Access } };

/**
 * Route options of a scoped policy: `app.get('/x/:id', inScope('procedure', 'edit', 'id', 'form'), handler)`;
 * `inScope('procedure', 'edit', 'id', 'audit', { objectGrants: false })` for the scope's own team only.
 */
export function inScope(
  scope: ScopeKind,
  right: 'read' | 'edit',
  param = 'id',
  via?: string,
  options: Pick<ScopeAccess, 'objectGrants'> = {},
): { config: { access: Access } } {
  return { config: { access: { scope, right, param, ...(via ? { via } : {}), ...options } } };
}

/**
 * Static files (@fastify/static takes no route options): every file of the folder is public. The options go under
 * `files`: a `prefix` among a plugin's own options would prefix the plugin itself.
 */
export const publicStatic: FastifyPluginAsync<{ files: FastifyStaticOptions }> = async (app, { files }) => {
  app.addHook('onRoute', (route) => {
    route.config = { ...route.config, access: route.config?.access ?? 'public' };
  });
  await app.register(fastifyStatic, files);
};
