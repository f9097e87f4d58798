import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS } from '../../test/helpers/db.ts';
import { createTestApp, type TestApp } from '../../test/helpers/app.ts';
import { outboxMailer } from '../kernel/mail/smtp.ts';
import { audit } from '../kernel/audit/audit.ts';
import { countRows } from './testing.ts';
import { createTestUser, signedInClient, TEST_PASSWORD } from '../../test/helpers/users.ts';
import type { TestClient } from '../../test/helpers/client.ts';
import { createTestCatalog, type TestCatalog } from '../catalog/testing.ts';

for (const target of TEST_TARGETS) {
  describe(`admin pages (${target})`, () => {
    let t: TestApp;
    let cat: TestCatalog;
    let admin: TestClient;
    let adminId: number;
    let ip = 0;
    const as = (email: string) => signedInClient(t.app, email, TEST_PASSWORD, `10.5.0.${++ip}`);
    before(async () => {
      // The outbox mailer, as when no SMTP server is configured (bound to the test database once it exists).
      t = await createTestApp(target, { mailer: { send: (message) => outboxMailer(t.db, () => {}).send(message), close: async () => {} } });
      cat = await createTestCatalog(t.db);
      adminId = await createTestUser(t.db, 'pilote@exemple.gouv.fr', [{ role: 'admin' }], { displayName: 'Pilote' });
      await createTestUser(t.db, 'html@exemple.gouv.fr', [{ role: 'procedure_reader', procedureId: cat.procedures[0] }], {
        displayName: '<img src=x onerror=alert(1)>',
      });
      for (let i = 0; i < 55; i++) await createTestUser(t.db, `masse-${String(i).padStart(2, '0')}@exemple.gouv.fr`);
      admin = await as('pilote@exemple.gouv.fr');
    });
    after(async () => t.close());

    test('the user list searches, escapes names and paginates', async () => {
      const all = await admin.get('/admin/utilisateurs');
      assert.equal(all.statusCode, 200);
      assert.match(all.body, /Page suivante/);
      const second = await admin.get('/admin/utilisateurs?page=2');
      assert.match(second.body, /masse-5/);
      const search = await admin.get('/admin/utilisateurs?q=IMG');
      assert.match(search.body, /&lt;img src=x onerror=alert\(1\)&gt;/);
      assert.doesNotMatch(search.body, /<img src=x/);
      assert.match(search.body, /Équipe de démarche \(lecture seule\) : Démarche de test 1/);
      assert.doesNotMatch(search.body, /masse-/);
    });

    test('grants are added and removed, with the audit log; bad input is refused', async () => {
      const id = (await t.db.query(`SELECT id FROM users WHERE email = 'masse-00@exemple.gouv.fr'`)).rows[0].id;
      await admin.get(`/admin/utilisateurs/${id}`);
      const bad = await admin.post(`/admin/utilisateurs/${id}/droits`, { role: 'ministry_referent', ministry_id: '999999' });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /Choisissez le ministère concerné/);
      assert.equal(await countRows(t.db, 'grants'), 2);
      const add = await admin.post(`/admin/utilisateurs/${id}/droits`, {
        role: 'ministry_referent',
        ministry_id: String(cat.ministries[1]),
      });
      assert.equal(add.statusCode, 303);
      const grant = (await t.db.query('SELECT id, ministry_id FROM grants WHERE user_id = $1', [id])).rows[0];
      assert.equal(grant.ministry_id, cat.ministries[1]);
      const page = await admin.get(`/admin/utilisateurs/${id}`);
      assert.match(page.body, /Référent ministériel : Ministère de test 2/);
      const remove = await admin.post(`/admin/utilisateurs/${id}/droits/${grant.id}/retirer`);
      assert.equal(remove.statusCode, 303);
      assert.equal((await t.db.query('SELECT count(*)::int AS n FROM grants WHERE user_id = $1', [id])).rows[0].n, 0);
      const actions = (
        await t.db.query(`SELECT action FROM audit_log WHERE entity_id = $1 AND action LIKE 'grant.%' ORDER BY id`, [String(id)])
      ).rows.map((r) => r.action);
      assert.deepEqual(actions, ['grant.create', 'grant.delete']);
    });

    test('disabling a user closes their sessions and blocks sign-in; enabling lets them back', async () => {
      const victim = await as('html@exemple.gouv.fr');
      assert.equal((await victim.get('/compte')).statusCode, 200);
      const id = (await t.db.query(`SELECT id FROM users WHERE email = 'html@exemple.gouv.fr'`)).rows[0].id;
      await admin.get(`/admin/utilisateurs/${id}`);
      assert.equal((await admin.post(`/admin/utilisateurs/${id}/desactiver`)).statusCode, 303);
      assert.equal((await victim.get('/compte')).statusCode, 303);
      assert.equal((await t.db.query('SELECT count(*)::int AS n FROM sessions WHERE user_id = $1', [id])).rows[0].n, 0);
      await assert.rejects(as('html@exemple.gouv.fr'));
      assert.equal((await admin.post(`/admin/utilisateurs/${id}/reactiver`)).statusCode, 303);
      await as('html@exemple.gouv.fr');
    });

    test('an admin can neither disable themself nor drop their own admin grant', async () => {
      await admin.get(`/admin/utilisateurs/${adminId}`);
      assert.equal((await admin.post(`/admin/utilisateurs/${adminId}/desactiver`)).statusCode, 400);
      const grant = (await t.db.query(`SELECT id FROM grants WHERE user_id = $1 AND role = 'admin'`, [adminId])).rows[0];
      assert.equal((await admin.post(`/admin/utilisateurs/${adminId}/droits/${grant.id}/retirer`)).statusCode, 400);
      assert.equal((await t.db.query('SELECT count(*)::int AS n FROM grants WHERE user_id = $1', [adminId])).rows[0].n, 1);
    });

    test('unknown or malformed user ids give 404', async () => {
      assert.equal((await admin.get('/admin/utilisateurs/999999')).statusCode, 404);
      assert.equal((await admin.get('/admin/utilisateurs/abc')).statusCode, 404);
      await admin.get('/admin/utilisateurs');
      assert.equal((await admin.post('/admin/utilisateurs/1e3/desactiver')).statusCode, 404);
    });

    test('the audit log filters by actor, type, action and dates, and refuses bad dates', async () => {
      const res = await admin.get('/admin/journal?acteur=pilote&action=grant.create');
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /a donné un droit à <a href="\/admin\/utilisateurs\/\d+">le compte « [^»]+ »<\/a>/);
      assert.doesNotMatch(res.body, /s’est connecté·e/);
      const byType = await admin.get('/admin/journal?type=user&action=login');
      assert.match(byType.body, /<td><a href="\/admin\/utilisateurs\/\d+">Pilote<\/a><\/td><td>s’est connecté·e<\/td>/);
      assert.match(byType.body, /<option value="user" selected>Comptes<\/option>/);
      const dated = await admin.get(`/admin/journal?du=2000-01-01&au=2000-01-02`);
      assert.match(dated.body, /Aucune entrée ne correspond/);
      assert.match((await admin.get(`/admin/journal?du=2000-01-01&au=2999-01-01`)).body, /s’est connecté·e/);
      const bad = await admin.get('/admin/journal?du=2024-02-30&au=demain');
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /id="champ-du-erreur"/);
      assert.match(bad.body, /id="champ-au-erreur"/);
    });

    test('the journal says who did what on which object, before → after, and keeps the JSON for the export', async () => {
      const procedureId = cat.procedures[0]!;
      const { rows } = await t.db.query<{ title: string }>('SELECT title FROM procedures WHERE id = $1', [procedureId]);
      await audit(t.db, {
        actor: { id: adminId, email: 'pilote@exemple.gouv.fr' },
        action: 'procedure.update',
        entityType: 'procedure',
        entityId: procedureId,
        before: { title: 'Ancien titre', description: 'Même texte', archived: false },
        after: { title: rows[0]!.title, description: 'Même texte', archived: true },
      });
      const page = await admin.get('/admin/journal?action=procedure.update');
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /<a href="\/admin\/utilisateurs\/\d+">Pilote<\/a>/);
      assert.ok(
        page.body.includes(`a modifié <a href="/catalogue/demarches/${procedureId}">la démarche « ${rows[0]!.title} »</a>`),
        'sentence with a link to the procedure',
      );
      assert.ok(page.body.includes(`<li>titre : Ancien titre → ${rows[0]!.title}</li>`));
      assert.ok(page.body.includes('<li>archivé : non → oui</li>'));
      assert.doesNotMatch(page.body, /description :/, 'unchanged fields are left out');
      assert.doesNotMatch(page.body, /\{&quot;|\{"/, 'no raw JSON on the page');
      assert.doesNotMatch(page.body, /utilisateur n°/);

      const exported = await admin.get('/admin/journal/export.json?action=procedure.update');
      assert.equal(exported.statusCode, 200);
      assert.match(String(exported.headers['content-disposition']), /attachment/);
      const entries = JSON.parse(exported.body);
      assert.equal(entries.length, 1);
      assert.deepEqual(entries[0].before, { title: 'Ancien titre', description: 'Même texte', archived: false });
      assert.equal(entries[0].actor_label, 'pilote@exemple.gouv.fr');
      assert.equal((await (await as('html@exemple.gouv.fr')).get('/admin/journal/export.json')).statusCode, 403);
    });

    test('the outbox shows the mails kept without SMTP', async () => {
      const c = await as('pilote@exemple.gouv.fr');
      await c.get('/compte/invitations');
      assert.equal((await c.post('/compte/invitations', { email: 'boite@exemple.gouv.fr', role: 'admin' })).statusCode, 303);
      const page = await admin.get('/admin/boite-envoi');
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /boite@exemple\.gouv\.fr/);
      assert.match(page.body, /Invitation à rejoindre Vigie/);
    });
  });
}
