/**
 * Object grants and routes for the scope's own team (src/kernel/web/access.ts, docs/architecture.md « Declared
 * access »): a user granted one object alone (an audit's outside auditor, a défi's team member) passes the routes
 * placed through that object, except those declared `objectGrants: false`, refused with the 403 page and nothing
 * written. The défi has no such route of its own: a probe module declares two, one ordinary, one for the ministry's
 * team only.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { MODULES } from '../src/app.ts';
import type { VigieModule } from '../src/kernel/module.ts';
import { audit } from '../src/kernel/audit/audit.ts';
import { inScope } from '../src/kernel/web/access.ts';
import { buildServer } from '../src/kernel/web/server.ts';
import { addPage, createAudit } from '../src/accessibility/audits/queries.ts';
import { TEST_TARGETS, openTestDb, type TestDb } from './helpers/db.ts';
import { testConfig } from './helpers/app.ts';
import { createTestUser, sessionClient } from './helpers/users.ts';
import { createTestCatalog, type TestCatalog } from '../src/catalog/testing.ts';

/** Each probe route writes one line of the audit journal: a refusal must leave none. */
const probeModule: VigieModule = {
  name: 'probe',
  routes: async (app, { db }) => {
    const write = (action: string) => async () => {
      await audit(db, { actor: null, action, entityType: 'challenge', entityId: 0 });
      return 'écrit';
    };
    app.post('/essai-defis/:id/actions', inScope('ministry', 'edit', 'id', 'challenge'), write('probe.member'));
    app.post('/essai-defis/:id/pilotage', inScope('ministry', 'edit', 'id', 'challenge', { objectGrants: false }), write('probe.team'));
  },
};

const journal = async (db: TestDb) => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log`)).rows[0].n;

for (const target of TEST_TARGETS) {
  describe(`object grants and routes for the scope's own team (${target})`, () => {
    let app: FastifyInstance;
    let db: TestDb;
    let cat: TestCatalog;
    before(async () => {
      db = await openTestDb(target);
      app = await buildServer({ config: testConfig(), db, mailer: { async send() {}, async close() {} }, jobs: null }, [
        ...MODULES,
        probeModule,
      ]);
      await app.ready();
      cat = await createTestCatalog(db, { prefix: 'objet' });
    });
    after(async () => {
      await app.close();
      await db.destroy();
    });

    test('an outside auditor works on the audit granted, and is refused the team’s actions with nothing written', async () => {
      const auditId = await db.transaction(async (tx) => {
        const id = await createAudit(tx, { procedureId: cat.procedures[0], type: 'fast', name: 'Audit des droits', actor: null });
        await addPage(tx, { auditId: id, name: 'Accueil', url: 'https://exemple.gouv.fr/', kind: 'accueil', actor: null });
        return id;
      });
      const auditorId = await createTestUser(db, 'auditeur-externe@cabinet.fr');
      await db.query('INSERT INTO accessibility_audit_auditors (audit_id, user_id) VALUES ($1, $2)', [auditId, auditorId]);
      const auditor = await sessionClient(app, db, auditorId);
      const team = await sessionClient(
        app,
        db,
        await createTestUser(db, 'equipe@objet.gouv.fr', [{ role: 'procedure_editor', procedureId: cat.procedures[0] }]),
      );
      const base = `/audits-accessibilite/${auditId}`;
      for (const url of [base, `${base}/grille`, `${base}/rapport`]) assert.equal((await auditor.get(url)).statusCode, 200, url);
      const added = await auditor.post(`${base}/processus`, { process_name: 'Paiement' });
      assert.equal(added.statusCode, 303, 'an ordinary change of the audit');
      const before = await journal(db);
      const refusals: [string, Record<string, string>][] = [
        [`${base}/publier`, {}],
        [`${base}/reauditer`, {}],
        [`${base}/liens`, {}],
        [`${base}/auditeurs`, { email: 'ami@cabinet.fr' }],
        [`${base}/auditeurs/retirer`, { user_id: String(auditorId) }],
        [`${base}/supprimer`, { confirme: 'oui' }],
      ];
      for (const [url, form] of refusals) {
        const res = await auditor.post(url, form);
        assert.equal(res.statusCode, 403, url);
        assert.match(res.body, /Accès refusé/);
      }
      assert.equal((await auditor.get(`${base}/supprimer`)).statusCode, 403);
      assert.equal(await journal(db), before, 'nothing written');
      assert.equal(
        (await db.query('SELECT count(*)::int AS n FROM accessibility_report_links WHERE audit_id = $1', [auditId])).rows[0].n,
        0,
      );
      assert.equal(
        (await db.query('SELECT count(*)::int AS n FROM accessibility_audit_auditors WHERE audit_id = $1', [auditId])).rows[0].n,
        1,
      );
      // The procedure's team passes the same route.
      assert.equal((await team.post(`${base}/liens`)).statusCode, 200);
    });

    test('a défi’s team member passes the défi’s ordinary routes, not those for the ministry’s team, with nothing written', async () => {
      const { rows } = await db.query<{ id: number }>(
        `INSERT INTO challenges (slug, title, procedures) VALUES ('objet', 'Défi des droits', $1) RETURNING id`,
        [[cat.procedureStableIds[0]]],
      );
      const challengeId = Number(rows[0].id);
      const memberId = await createTestUser(db, 'membre-defi@objet.gouv.fr');
      await db.query(`INSERT INTO challenge_members (challenge_id, user_id, role) VALUES ($1, $2, 'membre')`, [challengeId, memberId]);
      const member = await sessionClient(app, db, memberId);
      const referent = await sessionClient(
        app,
        db,
        await createTestUser(db, 'referent@objet.gouv.fr', [{ role: 'ministry_referent', ministryId: cat.ministries[0] }]),
      );
      assert.equal((await member.get(`/defis/equipe/${challengeId}`)).statusCode, 200, 'the défi’s team page');
      assert.equal((await member.post(`/essai-defis/${challengeId}/actions`)).statusCode, 200);
      const before = await journal(db);
      const refused = await member.post(`/essai-defis/${challengeId}/pilotage`);
      assert.equal(refused.statusCode, 403);
      assert.match(refused.body, /Accès refusé/);
      assert.equal(await journal(db), before, 'nothing written');
      assert.equal((await referent.post(`/essai-defis/${challengeId}/pilotage`)).statusCode, 200, 'the ministry’s referent passes');
    });

    test('`objectGrants: false` on a place that grants nothing alone stops the server at start, naming the route', async () => {
      const wrong: VigieModule = {
        name: 'wrong',
        routes: async (a) => {
          a.get('/essai-formulaires/:id', inScope('procedure', 'read', 'id', 'form', { objectGrants: false }), async () => 'non');
        },
      };
      const other = await buildServer({ config: testConfig(), db, mailer: { async send() {}, async close() {} }, jobs: null }, [
        ...MODULES,
        wrong,
      ]);
      await assert.rejects(async () => {
        await other.ready();
      }, /GET \/essai-formulaires\/:id : « objectGrants: false » sur le lieu « form »/);
      await other.close().catch(() => {});
    });
  });
}
