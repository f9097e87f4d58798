/**
 * The authorisation matrix: every protected route × every role × in and out of scope.
 * Each refusal is proven (anonymous → sign-in page; signed in → 403) and writes nothing (fingerprints of the
 * route's tables and the audit log are unchanged). Allowed cases must get through (no 403, no sign-in redirect, no 404).
 * To cover a new route, add one line to ROUTES.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Queryable } from '../src/kernel/db/db.ts';
import { TEST_TARGETS } from './helpers/db.ts';
import { createTestApp, type TestApp } from './helpers/app.ts';
import { TestClient } from './helpers/client.ts';
import { createApiKey } from '../src/kernel/auth/api-keys.ts';
import { createSession, hashToken } from '../src/kernel/auth/session.ts';
import { createInvitation } from '../src/accounts/invitations.ts';
import { createTestCatalog, type TestCatalog } from '../src/accounts/testing.ts';
import { createTestUser, signedInClient, TEST_PASSWORD } from './helpers/users.ts';

type Who = 'anonymous' | 'no_grant' | 'admin' | 'ministry_referent' | 'administration_member' | 'procedure_editor' | 'procedure_reader';
type Scope = 'in' | 'out';

const SIGNED_IN: Who[] = ['no_grant', 'admin', 'ministry_referent', 'administration_member', 'procedure_editor', 'procedure_reader'];
const WHO: Who[] = ['anonymous', ...SIGNED_IN];

/**
 * The scoped roles hold ministry 1 / administration 1 / procedure 1 (« in »); « out » fixtures are in ministry 2.
 */
interface Fixtures extends TestCatalog {
  /** A user no role of the matrix is: target of the admin user pages. */
  victimId: number;
  victimGrantId: number;
  /** An API key of another user. */
  foreignKeyId: number;
  /** A pending invitation sent by another user. */
  foreignInvitationId: number;
  /** A signed-in session of another user. */
  foreignSessionId: number;
}

interface ProtectedRoute {
  method: 'GET' | 'POST';
  url: (f: Fixtures, scope: Scope) => string;
  body?: (f: Fixtures, scope: Scope) => Record<string, string>;
  /** Does the route have in/out-of-scope variants? Otherwise it runs once. */
  scoped?: boolean;
  allowed: (who: Who, scope: Scope) => boolean;
  /** Tables that a refused request must leave untouched (the audit log is always checked). */
  tables: string[];
  /** A signed-in user is refused with 404, not 403: another user's object is not shown to exist. */
  refusedAsNotFound?: boolean;
}

const anyGrant = (who: Who) => who !== 'anonymous' && who !== 'no_grant';
const signedIn = (who: Who) => who !== 'anonymous';
const adminOnly = (who: Who) => who === 'admin';
const inviters = (who: Who) => who === 'admin' || who === 'ministry_referent' || who === 'administration_member';
/** Roles covering procedure 1 (in) — only the admin covers procedure 2 (out). */
const readsProcedure = (who: Who, scope: Scope) => who === 'admin' || (scope === 'in' && anyGrant(who));
const editsProcedure = (who: Who, scope: Scope) => readsProcedure(who, scope) && who !== 'procedure_reader';
const managesAdministration = (who: Who, scope: Scope) => who === 'admin' || (scope === 'in' && (who === 'ministry_referent' || who === 'administration_member'));
const managesMinistry = (who: Who, scope: Scope) => who === 'admin' || (scope === 'in' && who === 'ministry_referent');
const pick = (f: Fixtures, scope: Scope) => (scope === 'in' ? 0 : 1);

const ROUTES: ProtectedRoute[] = [
  // accounts
  { method: 'GET', url: () => '/compte', allowed: signedIn, tables: [] },
  { method: 'GET', url: () => '/mes-demarches', allowed: signedIn, tables: [] },
  { method: 'GET', url: () => '/compte/cles-api', allowed: anyGrant, tables: [] },
  { method: 'POST', url: () => '/compte/cles-api', body: () => ({ name: 'matrice' }), allowed: anyGrant, tables: ['api_keys'] },
  { method: 'POST', url: (f) => `/compte/cles-api/${f.foreignKeyId}/revoquer`, allowed: () => false, tables: ['api_keys'] },
  { method: 'POST', url: (f) => `/compte/sessions/${f.foreignSessionId}/revoquer`, allowed: () => false, refusedAsNotFound: true, tables: ['sessions'] },
  { method: 'GET', url: () => '/compte/invitations', allowed: inviters, tables: [] },
  {
    method: 'POST', url: () => '/compte/invitations', scoped: true, tables: ['invitations'],
    body: (f, s) => ({ email: 'invite-matrice@exemple.gouv.fr', role: 'procedure_reader', procedure: f.procedureStableIds[pick(f, s)] }),
    allowed: managesAdministration,
  },
  {
    method: 'POST', url: () => '/compte/invitations', scoped: true, tables: ['invitations'],
    body: (f, s) => ({ email: 'invite-matrice@exemple.gouv.fr', role: 'administration_member', administration_id: String(f.administrations[pick(f, s)]) }),
    allowed: managesMinistry,
  },
  {
    method: 'POST', url: () => '/compte/invitations', scoped: true, tables: ['invitations'],
    body: (f, s) => ({ email: 'invite-matrice@exemple.gouv.fr', role: 'ministry_referent', ministry_id: String(f.ministries[pick(f, s)]) }),
    allowed: managesMinistry,
  },
  { method: 'POST', url: () => '/compte/invitations', body: () => ({ email: 'invite-matrice@exemple.gouv.fr', role: 'admin' }), allowed: adminOnly, tables: ['invitations'] },
  { method: 'POST', url: (f) => `/compte/invitations/${f.foreignInvitationId}/annuler`, allowed: adminOnly, tables: ['invitations'] },
  { method: 'GET', url: () => '/admin/utilisateurs', allowed: adminOnly, tables: [] },
  { method: 'GET', url: (f) => `/admin/utilisateurs/${f.victimId}`, allowed: adminOnly, tables: [] },
  { method: 'POST', url: (f) => `/admin/utilisateurs/${f.victimId}/droits`, body: () => ({ role: 'admin' }), allowed: adminOnly, tables: ['grants'] },
  { method: 'POST', url: (f) => `/admin/utilisateurs/${f.victimId}/droits/${f.victimGrantId}/retirer`, allowed: adminOnly, tables: ['grants'] },
  { method: 'POST', url: (f) => `/admin/utilisateurs/${f.victimId}/desactiver`, allowed: adminOnly, tables: ['users', 'sessions'] },
  { method: 'POST', url: (f) => `/admin/utilisateurs/${f.victimId}/reactiver`, allowed: adminOnly, tables: ['users'] },
  { method: 'GET', url: () => '/admin/journal', allowed: adminOnly, tables: [] },
  { method: 'GET', url: () => '/admin/boite-envoi', allowed: adminOnly, tables: [] },
  // catalog
  { method: 'GET', url: () => '/catalogue', allowed: anyGrant, tables: [] },
  { method: 'GET', url: (f, s) => `/catalogue/demarches/${f.procedures[pick(f, s)]}`, scoped: true, allowed: readsProcedure, tables: [] },
  { method: 'GET', url: (f, s) => `/catalogue/demarches/${f.procedures[pick(f, s)]}/modifier`, scoped: true, allowed: editsProcedure, tables: [] },
  { method: 'POST', url: (f, s) => `/catalogue/demarches/${f.procedures[pick(f, s)]}/modifier`, body: () => ({ title: 'Titre changé par la matrice' }), scoped: true, allowed: editsProcedure, tables: ['procedures'] },
  { method: 'POST', url: (f, s) => `/catalogue/demarches/${f.procedures[pick(f, s)]}/archiver`, scoped: true, allowed: managesAdministration, tables: ['procedures'] },
  { method: 'GET', url: () => '/catalogue/demarches/nouvelle', allowed: (who) => inviters(who), tables: [] },
  {
    method: 'POST', url: () => '/catalogue/demarches/nouvelle', scoped: true, tables: ['procedures'],
    body: (f, s) => ({ administration_id: String(f.administrations[pick(f, s)]), title: 'Démarche de la matrice' }),
    allowed: managesAdministration,
  },
  { method: 'GET', url: () => '/catalogue/export.csv', allowed: anyGrant, tables: [] },
  { method: 'GET', url: () => '/catalogue/import', allowed: (who) => anyGrant(who) && who !== 'procedure_reader', tables: [] },
  { method: 'GET', url: (f, s) => `/catalogue/administrations/${f.administrations[pick(f, s)]}/modifier`, scoped: true, allowed: managesMinistry, tables: [] },
  {
    method: 'POST', url: (f, s) => `/catalogue/administrations/${f.administrations[pick(f, s)]}/modifier`, scoped: true, tables: ['administrations'],
    body: (f, s) => ({ code: `matrice-adm-${s}`, name: 'Administration renommée', kind: 'direction', ministry_id: String(f.ministries[pick(f, s)]) }),
    allowed: managesMinistry,
  },
  {
    method: 'POST', url: () => '/catalogue/administrations/nouvelle', scoped: true, tables: ['administrations'],
    body: (f, s) => ({ code: `matrice-nouvelle-${s}`, name: 'Nouvelle administration', kind: 'direction', ministry_id: String(f.ministries[pick(f, s)]) }),
    allowed: managesMinistry,
  },
  { method: 'GET', url: () => '/catalogue/ministeres/nouveau', allowed: adminOnly, tables: [] },
  { method: 'POST', url: () => '/catalogue/ministeres/nouveau', body: () => ({ code: 'matrice', name: 'Ministère de la matrice' }), allowed: adminOnly, tables: ['ministries'] },
  { method: 'POST', url: (f, s) => `/catalogue/ministeres/${f.ministries[pick(f, s)]}/archiver`, scoped: true, allowed: adminOnly, tables: ['ministries'] },
  // feedback dashboards
  { method: 'GET', url: (f, s) => `/avis/demarches/${f.procedures[pick(f, s)]}`, scoped: true, allowed: readsProcedure, tables: [] },
  { method: 'GET', url: (f, s) => `/avis/administrations/${f.administrations[pick(f, s)]}`, scoped: true, allowed: managesAdministration, tables: [] },
  { method: 'GET', url: (f, s) => `/avis/ministeres/${f.ministries[pick(f, s)]}`, scoped: true, allowed: managesMinistry, tables: [] },
  // observatoire (steering team pages)
  { method: 'GET', url: () => '/observatoire/admin', allowed: adminOnly, tables: [] },
  { method: 'GET', url: () => '/observatoire/admin/regles', allowed: adminOnly, tables: [] },
  { method: 'GET', url: () => '/observatoire/admin/valeurs/import', allowed: (who) => anyGrant(who) && who !== 'procedure_reader', tables: [] }, // issue 10: only roles that set values; each row is then checked against the scope
  { method: 'POST', url: () => '/observatoire/admin/editions', allowed: adminOnly, tables: [] },
  { method: 'POST', url: () => '/observatoire/admin/regles', allowed: adminOnly, tables: [] },
];

/** A fingerprint of a table's whole content: any insert, update or delete changes it. */
async function fingerprint(db: Queryable, tables: string[]): Promise<string> {
  const parts: string[] = [];
  for (const table of [...tables, 'audit_log']) {
    const { rows } = await db.query<{ f: string | null; n: number }>(`SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS f, count(*)::int AS n FROM ${table} t`);
    parts.push(`${table}:${rows[0].n}:${rows[0].f}`);
  }
  return parts.join(' ');
}

for (const target of TEST_TARGETS) {
  describe(`authorisation matrix (${target})`, () => {
    let t: TestApp;
    let f: Fixtures;
    const clients = new Map<Who, TestClient>();
    before(async () => {
      t = await createTestApp(target);
      const cat = await createTestCatalog(t.db, 'matrice');
      const victimId = await createTestUser(t.db, 'victime@exemple.gouv.fr', [{ role: 'procedure_reader', procedureId: cat.procedures[1] }]);
      const victimGrantId = (await t.db.query('SELECT id FROM grants WHERE user_id = $1', [victimId])).rows[0].id;
      const foreignKeyId = (await createApiKey(t.db, victimId, 'clé d’un autre')).id;
      const foreignInvitationId = (await createInvitation(t.db, 'invite-victime@exemple.gouv.fr', { role: 'procedure_reader', procedureId: cat.procedures[1] }, victimId)).id;
      const victimSession = hashToken(await createSession(t.db, victimId, 'navigateur de la victime'));
      const foreignSessionId = (await t.db.query('SELECT id FROM sessions WHERE id_hash = $1', [victimSession])).rows[0].id;
      f = { ...cat, victimId, victimGrantId, foreignKeyId, foreignInvitationId, foreignSessionId };
      const grants: Record<Exclude<Who, 'anonymous'>, Parameters<typeof createTestUser>[2]> = {
        no_grant: [],
        admin: [{ role: 'admin' }],
        ministry_referent: [{ role: 'ministry_referent', ministryId: cat.ministries[0] }],
        administration_member: [{ role: 'administration_member', administrationId: cat.administrations[0] }],
        procedure_editor: [{ role: 'procedure_editor', procedureId: cat.procedures[0] }],
        procedure_reader: [{ role: 'procedure_reader', procedureId: cat.procedures[0] }],
      };
      let n = 0;
      for (const who of SIGNED_IN) {
        await createTestUser(t.db, `${who}@matrice.gouv.fr`, grants[who as Exclude<Who, 'anonymous'>]);
        clients.set(who, await signedInClient(t.app, `${who}@matrice.gouv.fr`, TEST_PASSWORD, `10.9.0.${++n}`));
      }
      const anonymous = new TestClient(t.app, { remoteAddress: '10.9.1.1' });
      await anonymous.get('/connexion');
      clients.set('anonymous', anonymous);
    });
    after(async () => t.close());

    for (const route of ROUTES) {
      const scopes: Scope[] = route.scoped ? ['in', 'out'] : ['in'];
      for (const scope of scopes) {
        test(`route #${ROUTES.indexOf(route)} ${route.method} (${scope} of scope), every role`, async () => {
          // Refusals first, so that an allowed change cannot hide behind a refused one.
          const order = [...WHO].sort((a, b) => Number(route.allowed(a, scope) && a !== 'anonymous') - Number(route.allowed(b, scope) && b !== 'anonymous'));
          for (const who of order) {
            const client = clients.get(who)!;
            const url = route.url(f, scope);
            const allowed = who !== 'anonymous' && route.allowed(who, scope);
            const before = allowed ? '' : await fingerprint(t.db, route.tables);
            const res = route.method === 'GET' ? await client.get(url) : await client.post(url, route.body?.(f, scope) ?? {});
            const where = `${route.method} ${url} as ${who} (${scope})`;
            const toLogin = (res.statusCode === 302 || res.statusCode === 303) && String(res.headers.location).startsWith('/connexion');
            if (allowed) {
              assert.ok(res.statusCode !== 403 && res.statusCode !== 404 && !toLogin, `${where} should be allowed, got ${res.statusCode}`);
              continue;
            }
            if (who === 'anonymous') assert.ok(toLogin, `${where}: expected the sign-in redirect, got ${res.statusCode}`);
            else assert.equal(res.statusCode, route.refusedAsNotFound ? 404 : 403, `${where}: expected ${route.refusedAsNotFound ? 404 : 403}`);
            if (who !== 'anonymous') assert.match(res.body, route.refusedAsNotFound ? /introuvable/ : /Accès refusé/, where);
            assert.equal(await fingerprint(t.db, route.tables), before, `${where}: nothing may be written`);
          }
        });
      }
    }
  });
}
