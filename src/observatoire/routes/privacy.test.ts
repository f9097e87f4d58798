import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS } from '../../../test/helpers/db.ts';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { clientWithGrants } from '../../../test/helpers/users.ts';
import { setLiveValues } from '../test-fixtures.ts';
import { createDraft } from '../editions/drafts.ts';
import { publishEdition } from '../editions/publish.ts';
import { createTestCatalog, type TestCatalog } from '../../catalog/testing.ts';

/** Issue 11, « Privacy and public pages ». */
for (const target of TEST_TARGETS) {
  describe(`observatoire public pages: corrections without e-mail, corrected values, public statistics linked (${target})`, () => {
    let t: TestApp;
    let f: TestCatalog;
    let editionId: number;
    before(async () => {
      t = await createTestApp(target);
      f = await createTestCatalog(t.db, { varied: true, procedures: 3 });
      await setLiveValues(t.db, f.procedures, 'satisfaction', [9.5, 2, 8]);
      editionId = await createDraft(
        t.db,
        { name: 'Printemps 2026', period: 'T1 2026', windowStart: '2026-01-01', windowEnd: '2026-03-31' },
        null,
      );
      await publishEdition(t.db, editionId, null);
    });
    after(async () => t.close());

    test('a correction is signed by the role on public pages and the API, never by the agent’s e-mail', async () => {
      const admin = await clientWithGrants(t.app, t.db, [{ role: 'admin' }], 'camille.agent@exemple.gouv.fr');
      await admin.get(`/observatoire/admin/editions/${editionId}`);
      const res = await admin.post(`/observatoire/admin/editions/${editionId}/corriger`, {
        stableId: 'T-2',
        indicator: 'satisfaction',
        value: '4',
        reason: 'Avis en double retirés',
      });
      assert.equal(res.statusCode, 303);
      const page = await t.app.inject(`/observatoire/editions/${editionId}`);
      assert.match(page.body, /Révision 1 du [^<]+, par Équipe de pilotage<\/h3>/);
      assert.doesNotMatch(page.body, /camille\.agent/);
      const api = await t.app.inject(`/api/v1/editions/${editionId}`);
      assert.equal(api.json().revisions[0].author, 'Équipe de pilotage');
      assert.doesNotMatch(api.body, /camille\.agent/);
      // The back office still knows who did it: the audit log.
      const { rows } = await t.db.query(`SELECT actor_label FROM audit_log WHERE action = 'observatoire.edition.correct'`);
      assert.equal(rows[0].actor_label, 'camille.agent@exemple.gouv.fr');
    });

    test('the procedure’s public history marks the corrected value as corrected, and only it', async () => {
      const page = await t.app.inject('/observatoire/demarches/T-2');
      assert.equal(page.statusCode, 200);
      assert.match(
        page.body,
        /<a class="fr-badge fr-badge--sm fr-badge--info" href="\/observatoire\/editions\/\d+#titre-corrections">corrigée<\/a>/,
      );
      assert.equal([...page.body.matchAll(/>corrigée<\/a>/g)].length, 1, 'only the satisfaction cell of T-2');
      assert.doesNotMatch((await t.app.inject('/observatoire/demarches/T-1')).body, />corrigée<\/a>/);
      const history = (await t.app.inject('/api/v1/procedures/T-2/history')).json();
      assert.deepEqual(history.items[0].corrected, ['satisfaction']);
    });

    test('published feedback statistics are linked from the procedure’s page and the site map', async () => {
      const before = await t.app.inject('/observatoire/demarches/T-1');
      assert.doesNotMatch(before.body, /statistiques\/avis/);
      const editor = await clientWithGrants(t.app, t.db, [{ role: 'procedure_editor', procedureId: f.procedures[0] }]);
      await editor.get(`/avis/demarches/${f.procedures[0]}`);
      assert.equal((await editor.post(`/avis/demarches/${f.procedures[0]}/statistiques/publier`)).statusCode, 303);
      const page = await t.app.inject('/observatoire/demarches/T-1');
      assert.match(
        page.body,
        new RegExp(`<a class="fr-link" href="/statistiques/avis/${f.procedures[0]}">Avis des usagers sur cette démarche`),
      );
      const sitemap = await t.app.inject('/plan-du-site');
      assert.match(sitemap.body, /<a href="\/statistiques\/avis">Statistiques publiques des avis usagers<\/a>/);
      const index = await t.app.inject('/statistiques/avis');
      assert.equal(index.statusCode, 200);
      assert.match(index.body, new RegExp(`<a href="/statistiques/avis/${f.procedures[0]}">Démarche n° 0001`));
      assert.doesNotMatch(index.body, /Démarche n° 0002/);
    });

    test('each scorecard links to its button goal figure over the edition’s window', async () => {
      const ministry = f.ministries[0];
      const page = await t.app.inject(`/observatoire/tableaux-de-bord/ministeres/${ministry}`);
      assert.equal(page.statusCode, 200);
      const href = `/statistiques/bouton/demarches?ministere=${ministry}&amp;debut=2026-01-01&amp;fin=2026-03-31`;
      assert.ok(
        page.body.includes(`<a class="fr-link" href="${href}">Objectif : 100 % des démarches avec le bouton`),
        'link to the ministry’s list',
      );
      const list = await t.app.inject(href.replaceAll('&amp;', '&'));
      assert.equal(list.statusCode, 200);
      // No button anywhere in this catalogue: none of the ministry's procedures counts, over the edition's window.
      assert.match(list.body, /Du 1er janvier 2026 au 31 mars 2026 : 0 démarche sur \d+/);
      const national = await t.app.inject('/observatoire/tableaux-de-bord');
      assert.ok(national.body.includes('href="/statistiques/bouton?debut=2026-01-01&amp;fin=2026-03-31"'));
    });
  });
}
