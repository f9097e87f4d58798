/**
 * The authorisation matrix, derived from the route table: every registered route × every role × in and out of scope.
 * The expected answer comes from the route's declared policy (`config.access`, src/kernel/web/access.ts) and from the
 * scopes the fixtures give each role (written here by hand, not computed with the kernel's scope functions):
 * anonymous → sign-in redirect (401 on the API), refused → the 403 page (problem+json on the API); every refusal writes
 * nothing (fingerprint of every table). A new route enters the matrix by itself; a route whose policy or scoped
 * parameter the matrix cannot place fails it. Two roles hold no catalogue grant but one object granted alone (the
 * manifests' `objectGrants`): an audit's outside auditor and a défi's team member; they pass the routes placed through
 * their object, except those declared `objectGrants: false` (the procedure's own team only).
 * Checks that depend on the request body or on ownership stay in handlers: REFINEMENTS lists them by hand.
 */
import { addPage, createAudit } from '../src/accessibility/audits/queries.ts';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RouteOptions } from 'fastify';
import type { Queryable } from '../src/kernel/db/db.ts';
import type { Access, ScopeAccess } from '../src/kernel/web/access.ts';
import { TEST_TARGETS } from './helpers/db.ts';
import { createTestApp, type TestApp } from './helpers/app.ts';
import { TestClient } from './helpers/client.ts';
import { createApiKey } from '../src/kernel/auth/api-keys.ts';
import { createSession, hashToken, SESSION_COOKIE } from '../src/kernel/auth/session.ts';
import { createInvitation } from '../src/accounts/invitations.ts';
import { insertButton, insertForm } from '../src/feedback/forms/queries.ts';
import { createTestUser, sessionClient } from './helpers/users.ts';
import { createTestCatalog, type TestCatalog } from '../src/catalog/testing.ts';

type Who =
  | 'anonymous'
  | 'no_grant'
  | 'admin'
  | 'ministry_referent'
  | 'administration_member'
  | 'procedure_editor'
  | 'procedure_reader'
  | 'outside_auditor'
  | 'challenge_member';
type Scope = 'in' | 'out';
type Expected = 'allowed' | 'login' | 401 | 403;

const SIGNED_IN: Exclude<Who, 'anonymous'>[] = [
  'no_grant',
  'admin',
  'ministry_referent',
  'administration_member',
  'procedure_editor',
  'procedure_reader',
  'outside_auditor',
  'challenge_member',
];
const WHO: Who[] = ['anonymous', ...SIGNED_IN];

/** The scoped roles hold ministry 0 / administration 0 / procedure 0 (« in »); « out » objects sit in ministry 1. */
const GRANTS = (cat: TestCatalog): Record<Exclude<Who, 'anonymous'>, Parameters<typeof createTestUser>[2]> => ({
  no_grant: [],
  admin: [{ role: 'admin' }],
  ministry_referent: [{ role: 'ministry_referent', ministryId: cat.ministries[0] }],
  administration_member: [{ role: 'administration_member', administrationId: cat.administrations[0] }],
  procedure_editor: [{ role: 'procedure_editor', procedureId: cat.procedures[0] }],
  procedure_reader: [{ role: 'procedure_reader', procedureId: cat.procedures[0] }],
  outside_auditor: [],
  challenge_member: [],
});

/** The object granted alone to a role without catalogue grant (its « in » object; the fixtures below grant it). */
const OBJECT_GRANTS: Partial<Record<Who, string>> = { outside_auditor: 'audit', challenge_member: 'challenge' };
const noCatalogueGrant = (who: Who) => who === 'no_grant' || who in OBJECT_GRANTS;

/** Who covers an object in scope, by the rules of docs/architecture.md (« Declared access »); out of scope: the admin. */
const COVERS: Record<ScopeAccess['scope'], Record<ScopeAccess['right'], Who[]>> = {
  procedure: {
    read: ['admin', 'ministry_referent', 'administration_member', 'procedure_editor', 'procedure_reader'],
    edit: ['admin', 'ministry_referent', 'administration_member', 'procedure_editor'],
  },
  administration: {
    read: ['admin', 'ministry_referent', 'administration_member'],
    edit: ['admin', 'ministry_referent', 'administration_member'],
  },
  ministry: { read: ['admin', 'ministry_referent'], edit: ['admin', 'ministry_referent'] },
};

function scopeOf(access: Access): ScopeAccess | null {
  if (typeof access !== 'object') return null;
  if ('scope' in access) return access;
  return typeof access.apiKey === 'object' ? access.apiKey : null;
}

/** The answer the declared policy promises; throws for a policy the matrix does not know. */
function expected(access: Access, who: Who, scope: Scope): Expected {
  if (access === 'public') return 'allowed';
  const api = typeof access === 'object' && 'apiKey' in access;
  if (who === 'anonymous') return api ? 401 : 'login';
  if (access === 'signedIn') return 'allowed';
  if (access === 'member') return noCatalogueGrant(who) ? 403 : 'allowed';
  if (access === 'steering') return who === 'admin' ? 'allowed' : 403;
  if (api && access.apiKey === true) return 'allowed';
  const s = scopeOf(access);
  if (!s) throw new Error(`policy the matrix cannot place: ${JSON.stringify(access)}`);
  if (who === 'admin') return 'allowed';
  // An object granted alone passes the routes placed through it, unless they are for the scope's own team only.
  const granted = OBJECT_GRANTS[who];
  if (granted) return !api && scope === 'in' && s.via === granted && s.objectGrants !== false ? 'allowed' : 403;
  return scope === 'in' && COVERS[s.scope][s.right].includes(who) ? 'allowed' : 403;
}

interface Fixtures extends TestCatalog {
  /** By the name a policy's `via` uses: the « in » object, then the « out » one. */
  objects: Record<string, [number, number]>;
  victimId: number;
  victimGrantId: number;
  foreignKeyId: number;
  foreignInvitationId: number;
  foreignSessionId: number;
  buttonKey: string;
}

/** Values of the parameters no policy names (the policy does not depend on them): by URL, then by name. */
function unscopedParam(f: Fixtures, url: string, name: string): string {
  if (url.startsWith('/admin/utilisateurs/:id')) return name === 'grantId' ? String(f.victimGrantId) : String(f.victimId);
  if (url.startsWith('/compte/cles-api/:id')) return String(f.foreignKeyId);
  if (url.startsWith('/compte/sessions/:id')) return String(f.foreignSessionId);
  if (url.startsWith('/compte/invitations/:id')) return String(f.foreignInvitationId);
  if (url.startsWith('/avis/formulaires/:id')) return String(f.objects.form[0]);
  if (url.startsWith('/catalogue/ministeres/:id')) return String(f.ministries[0]);
  if (url.startsWith('/statistiques/avis/:id')) return String(f.procedures[0]);
  const byName: Record<string, string> = {
    key: f.buttonKey,
    n: '2',
    format: 'csv',
    action: 'publier',
    token: 'jeton-inconnu',
    file: 'inconnu.css',
    slug: 'inconnu',
    stableId: 'inconnu',
    version: '1',
    code: 'inconnu',
    id: '999999999',
    '*': 'inconnu.css',
  };
  if (!(name in byName)) throw new Error(`${url}: the matrix has no value for the parameter « ${name} »`);
  return byName[name];
}

function urlFor(route: RouteOptions, f: Fixtures, scope: Scope): string {
  const s = scopeOf(route.config!.access!);
  return route.url.replace(/:(\w+)|\*/g, (_whole, name: string | undefined) => {
    const param = name ?? '*';
    if (s && param === s.param) {
      const objects = f.objects[s.via ?? s.scope];
      if (!objects) throw new Error(`${route.url}: the matrix has no fixture for « ${s.via ?? s.scope} »`);
      return String(objects[scope === 'in' ? 0 : 1]);
    }
    return unscopedParam(f, route.url, param);
  });
}

/** A fingerprint of every table of the schema (partitions through their parent), but the session and key counters. */
async function fingerprint(db: Queryable): Promise<string> {
  const { rows: tables } = await db.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c
      WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relispartition
        AND c.relname NOT IN ('sessions', 'api_keys') ORDER BY 1`,
  );
  const parts = tables.map(
    (t) => `SELECT '${t.name}' AS t, md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS f FROM "${t.name}" x`,
  );
  // Sorted: PostgreSQL may run the branches of UNION ALL in parallel and return them in any order.
  const { rows } = await db.query<{ t: string; f: string }>(`SELECT t, f FROM (${parts.join(' UNION ALL ')}) fingerprints ORDER BY t`);
  return rows.map((r) => `${r.t}:${r.f}`).join(' ');
}

/** The tables whose fingerprints differ. */
function changed(before: string, now: string): string {
  const old = new Set(before.split(' '));
  return now
    .split(' ')
    .filter((part) => !old.has(part))
    .map((part) => part.split(':')[0])
    .join(', ');
}

const isLogin = (res: { statusCode: number; headers: Record<string, unknown> }) =>
  res.statusCode === 303 && String(res.headers.location).startsWith('/connexion?retour=');

/** Public routes whose handler refuses on another ground than the user: /metrics answers loopback or a token. */
const PUBLIC_REFINED = new Set(['/metrics']);

/** Checks made in handlers (request body, ownership): by hand, as the policy cannot say them. */
interface Refinement {
  method: 'GET' | 'POST';
  url: (f: Fixtures, scope: Scope) => string;
  body?: (f: Fixtures, scope: Scope) => Record<string, string>;
  scoped?: boolean;
  allowed: (who: Who, scope: Scope) => boolean;
  /** A signed-in user is refused with 404: another user's object is not shown to exist. */
  refusedAsNotFound?: boolean;
}
const anyGrant = (who: Who) => who !== 'anonymous' && !noCatalogueGrant(who);
const inviters = (who: Who) => who === 'admin' || who === 'ministry_referent' || who === 'administration_member';
const managesAdministration = (who: Who, scope: Scope) => who === 'admin' || (scope === 'in' && inviters(who));
const managesMinistry = (who: Who, scope: Scope) => who === 'admin' || (scope === 'in' && who === 'ministry_referent');
const pick = (scope: Scope) => (scope === 'in' ? 0 : 1);
const REFINEMENTS: Refinement[] = [
  { method: 'POST', url: (f) => `/compte/cles-api/${f.foreignKeyId}/revoquer`, allowed: () => false },
  { method: 'POST', url: (f) => `/compte/sessions/${f.foreignSessionId}/revoquer`, allowed: () => false, refusedAsNotFound: true },
  { method: 'GET', url: () => '/compte/invitations', allowed: inviters },
  {
    method: 'POST',
    url: () => '/compte/invitations',
    scoped: true,
    allowed: managesAdministration,
    body: (f, s) => ({ email: 'invite-matrice@exemple.gouv.fr', role: 'procedure_reader', procedure: f.procedureStableIds[pick(s)] }),
  },
  {
    method: 'POST',
    url: () => '/compte/invitations',
    scoped: true,
    allowed: managesMinistry,
    body: (f, s) => ({
      email: 'invite-matrice@exemple.gouv.fr',
      role: 'administration_member',
      administration_id: String(f.administrations[pick(s)]),
    }),
  },
  {
    method: 'POST',
    url: () => '/compte/invitations',
    scoped: true,
    allowed: managesMinistry,
    body: (f, s) => ({ email: 'invite-matrice@exemple.gouv.fr', role: 'ministry_referent', ministry_id: String(f.ministries[pick(s)]) }),
  },
  {
    method: 'POST',
    url: () => '/compte/invitations',
    body: () => ({ email: 'invite-matrice@exemple.gouv.fr', role: 'admin' }),
    allowed: (who) => who === 'admin',
  },
  { method: 'POST', url: (f) => `/compte/invitations/${f.foreignInvitationId}/annuler`, allowed: (who) => who === 'admin' },
  { method: 'GET', url: () => '/catalogue/demarches/nouvelle', allowed: inviters },
  {
    method: 'POST',
    url: () => '/catalogue/demarches/nouvelle',
    scoped: true,
    allowed: managesAdministration,
    body: (f, s) => ({ administration_id: String(f.administrations[pick(s)]), title: 'Démarche de la matrice' }),
  },
  { method: 'GET', url: () => '/catalogue/import', allowed: (who) => anyGrant(who) && who !== 'procedure_reader' },
  { method: 'GET', url: () => '/observatoire/admin/valeurs/import', allowed: (who) => anyGrant(who) && who !== 'procedure_reader' },
  {
    method: 'POST',
    url: () => '/catalogue/administrations/nouvelle',
    scoped: true,
    allowed: managesMinistry,
    body: (f, s) => ({
      code: `matrice-nouvelle-${s}`,
      name: 'Nouvelle administration',
      kind: 'direction',
      ministry_id: String(f.ministries[pick(s)]),
    }),
  },
];

for (const target of TEST_TARGETS) {
  describe(`authorisation matrix (${target})`, () => {
    let t: TestApp;
    let f: Fixtures;
    const userIds = new Map<Who, number>();
    const clients = new Map<Who, TestClient>();
    const keys = new Map<Who, string>();
    let ip = 0;
    const client = async (who: Who): Promise<TestClient> => {
      let c = clients.get(who);
      // A route allowed before may have closed the session (sign-out, « close every session »): open another.
      if (!c || (who !== 'anonymous' && !c.cookie(SESSION_COOKIE))) {
        c =
          who === 'anonymous'
            ? new TestClient(t.app, { remoteAddress: `10.9.1.${++ip}` })
            : await sessionClient(t.app, t.db, userIds.get(who)!, { remoteAddress: `10.9.0.${++ip}` });
        clients.set(who, c);
      }
      return c;
    };

    before(async () => {
      t = await createTestApp(target);
      const cat = await createTestCatalog(t.db, { prefix: 'matrice' });
      const victimId = await createTestUser(t.db, 'victime@exemple.gouv.fr', [
        { role: 'procedure_reader', procedureId: cat.procedures[1] },
      ]);
      const victimGrantId = (await t.db.query('SELECT id FROM grants WHERE user_id = $1', [victimId])).rows[0].id;
      const foreignKeyId = (await createApiKey(t.db, victimId, 'clé d’un autre')).id;
      const foreignInvitationId = (
        await createInvitation(
          t.db,
          'invite-victime@exemple.gouv.fr',
          { role: 'procedure_reader', procedureId: cat.procedures[1] },
          victimId,
        )
      ).id;
      const victimSession = hashToken(await createSession(t.db, victimId, 'navigateur de la victime'));
      const foreignSessionId = (await t.db.query('SELECT id FROM sessions WHERE id_hash = $1', [victimSession])).rows[0].id;
      const forms: number[] = [];
      const buttons: number[] = [];
      const reviews: number[] = [];
      const experiences: number[] = [];
      let buttonKey = '';
      for (const procedureId of cat.procedures) {
        const formId = await insertForm(t.db, { procedureId, template: 'default', name: 'Formulaire de la matrice' }, null);
        const button = await insertButton(t.db, { formId, name: 'Bouton de la matrice', placement: 'fin', isTest: false });
        const { rows } = await t.db.query<{ id: number }>(
          `INSERT INTO feedback_reviews (form_id, form_version, button_id, procedure_id, nonce, day, lang)
           VALUES ($1, 1, $2, $3, $4, current_date, 'fr') RETURNING id`,
          [formId, button.id, procedureId, `matrice-${formId}`],
        );
        forms.push(formId);
        buttons.push(Number(button.id));
        reviews.push(Number(rows[0].id));
        buttonKey ||= button.publicKey;
        // A published story of the procedure (experiences module), for the routes that answer it.
        const story = await t.db.query<{ id: number }>(
          `INSERT INTO experiences (procedure_id, administration_id, ministry_id, body, search, channels, feeling, solved, consent, status, published_at, due_at)
           SELECT p.id, p.administration_id, a.ministry_id, 'Récit de la matrice', 'recit de la matrice', '{en_ligne}', 'neutre', false, true, 'published', now(), now() + interval '7 days'
             FROM procedures p JOIN administrations a ON a.id = p.administration_id WHERE p.id = $1 RETURNING id`,
          [procedureId],
        );
        experiences.push(Number(story.rows[0].id));
      }
      const audits: number[] = [];
      for (const procedureId of cat.procedures) {
        audits.push(
          await t.db.transaction(async (tx) => {
            const auditId = await createAudit(tx, { procedureId, type: 'fast', name: 'Audit de la matrice', actor: null });
            await addPage(tx, { auditId, name: 'Accueil', url: 'https://exemple.gouv.fr/', kind: 'accueil', actor: null });
            return auditId;
          }),
        );
      }
      // A défi per procedure: its place is its first procedure's ministry (src/improvement/queries.ts challengePlace).
      const challenges: number[] = [];
      for (const [i, stableId] of cat.procedureStableIds.entries()) {
        const { rows } = await t.db.query<{ id: number }>(
          `INSERT INTO challenges (slug, title, procedures) VALUES ($1, 'Défi de la matrice', $2) RETURNING id`,
          [`matrice-${i}`, [stableId]],
        );
        challenges.push(Number(rows[0].id));
      }
      const objects: Fixtures['objects'] = {
        procedure: cat.procedures as [number, number],
        administration: cat.administrations,
        ministry: cat.ministries,
        form: forms as [number, number],
        button: buttons as [number, number],
        review: reviews as [number, number],
        audit: audits as [number, number],
        experience: experiences as [number, number],
        challenge: challenges as [number, number],
      };
      f = { ...cat, objects, victimId, victimGrantId, foreignKeyId, foreignInvitationId, foreignSessionId, buttonKey };
      const grants = GRANTS(cat);
      for (const who of SIGNED_IN) {
        const id = await createTestUser(t.db, `${who}@matrice.gouv.fr`, grants[who]);
        userIds.set(who, id);
        keys.set(who, (await createApiKey(t.db, id, 'clé de la matrice')).key);
      }
      await t.db.query('INSERT INTO accessibility_audit_auditors (audit_id, user_id) VALUES ($1, $2)', [
        audits[0],
        userIds.get('outside_auditor'),
      ]);
      await t.db.query(`INSERT INTO challenge_members (challenge_id, user_id, role) VALUES ($1, $2, 'membre')`, [
        challenges[0],
        userIds.get('challenge_member'),
      ]);
    });
    after(async () => t.close());

    // First: the walk below archives and deletes (its allowed requests), which would hide these.
    test('checks made by handlers on the request body or ownership', async () => {
      const failures: string[] = [];
      for (const [i, route] of REFINEMENTS.entries()) {
        for (const scope of route.scoped ? (['in', 'out'] as const) : (['in'] as const)) {
          const order = [...WHO].sort(
            (a, b) => Number(route.allowed(a, scope) && a !== 'anonymous') - Number(route.allowed(b, scope) && b !== 'anonymous'),
          );
          for (const who of order) {
            const c = await client(who);
            const url = route.url(f, scope);
            const allowed = who !== 'anonymous' && route.allowed(who, scope);
            const before = allowed ? '' : await fingerprint(t.db);
            const res = route.method === 'GET' ? await c.get(url) : await c.post(url, route.body?.(f, scope) ?? {});
            const where = `refinement #${i} ${route.method} ${url} as ${who} (${scope})`;
            if (allowed) {
              if (res.statusCode === 403 || res.statusCode === 404 || isLogin(res))
                failures.push(`${where} should be allowed, got ${res.statusCode}`);
              continue;
            }
            if (who === 'anonymous') {
              if (!isLogin(res)) failures.push(`${where}: expected the sign-in redirect, got ${res.statusCode}`);
            } else if (
              res.statusCode !== (route.refusedAsNotFound ? 404 : 403) ||
              !(route.refusedAsNotFound ? /introuvable/ : /Accès refusé/).test(res.body)
            ) {
              failures.push(`${where}: expected ${route.refusedAsNotFound ? 404 : 403}, got ${res.statusCode}`);
            }
            const now = allowed ? '' : await fingerprint(t.db);
            if (now !== before) failures.push(`${where}: nothing may be written (${changed(before, now)})`);
          }
        }
      }
      assert.deepEqual(failures, []);
    });

    test('every route declares a policy the matrix can place, and answers as it declares for every role', async () => {
      // HEAD answers as GET; changes that remove objects (delete, archive, disable) last, so that they hide nothing.
      const last = (r: { method: string; url: string }) =>
        Number(r.method !== 'GET') + Number(/supprimer|archiver|desactiver|retirer|annuler|fermer/.test(r.url));
      const routes = t.app.routesWithAccess
        .flatMap((r) =>
          [r.method]
            .flat()
            .filter((m) => m !== 'HEAD')
            .map((method) => ({ ...r, method: String(method) })),
        )
        .sort((a, b) => last(a) - last(b));
      assert.ok(routes.length > 100, `the route table is walked (${routes.length} routes)`);
      const teamOnly = routes.filter((r) => scopeOf(r.config!.access!)?.objectGrants === false).map((r) => `${r.method} ${r.url}`);
      assert.ok(
        teamOnly.includes('POST /audits-accessibilite/:id/publier'),
        `routes for the procedure's own team are walked (${teamOnly.join(', ')})`,
      );
      const failures: string[] = [];
      for (const route of routes) {
        const access = route.config?.access;
        assert.ok(access, `${route.method} ${route.url} declares no access policy`);
        const method = route.method;
        const api = typeof access === 'object' && 'apiKey' in access;
        for (const scope of scopeOf(access) ? (['in', 'out'] as const) : (['in'] as const)) {
          const url = urlFor(route, f, scope);
          const cases = WHO.map((who) => ({ who, want: expected(access, who, scope) }));
          // Refusals first, between two fingerprints: nothing a refused request does may show.
          const refused = cases.filter((c) => c.want !== 'allowed');
          const before = refused.length ? await fingerprint(t.db) : '';
          const allowed = cases.filter((c) => c.want === 'allowed');
          for (const [i, { who, want }] of [...refused, ...allowed].entries()) {
            if (i === refused.length && refused.length) {
              const now = await fingerprint(t.db);
              if (now !== before) failures.push(`${method} ${url} (${scope}): a refused request wrote in ${changed(before, now)}`);
            }
            const c = await client(who);
            const headers: Record<string, string> = api && who !== 'anonymous' ? { authorization: `Bearer ${keys.get(who)}` } : {};
            const res =
              method === 'GET'
                ? await c.get(url, headers)
                : await c.request({
                    method: method as 'POST',
                    url,
                    headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
                    payload: `_csrf=${encodeURIComponent(await c.csrf())}`,
                  });
            const where = `${method} ${url} as ${who} (${scope} of scope, ${JSON.stringify(access)})`;
            if (want === 'login' && !isLogin(res)) failures.push(`${where}: expected the sign-in redirect, got ${res.statusCode}`);
            if (want === 401 && (res.statusCode !== 401 || !String(res.headers['content-type']).startsWith('application/problem+json')))
              failures.push(`${where}: expected 401 problem+json, got ${res.statusCode}`);
            if (
              want === 403 &&
              (res.statusCode !== 403 ||
                (api ? !String(res.headers['content-type']).startsWith('application/problem+json') : !/Accès refusé/.test(res.body)))
            ) {
              failures.push(`${where}: expected the 403 ${api ? 'problem' : 'page'}, got ${res.statusCode}`);
            }
            if (want === 'allowed') {
              // signedIn and member routes may refine in the handler (REFINEMENTS): only the policy's refusals are excluded.
              const refines = access === 'signedIn' || access === 'member' || PUBLIC_REFINED.has(route.url);
              if (isLogin(res) || res.statusCode === 401 || (!refines && res.statusCode === 403))
                failures.push(`${where}: should be allowed, got ${res.statusCode}`);
            }
          }
          if (refused.length && !allowed.length) {
            const now = await fingerprint(t.db);
            if (now !== before) failures.push(`${method} ${url} (${scope}): a refused request wrote in ${changed(before, now)}`);
          }
        }
      }
      assert.deepEqual(failures, []);
    });
  });
}
