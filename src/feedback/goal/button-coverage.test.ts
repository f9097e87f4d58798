import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS } from '../../../test/helpers/db.ts';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createFeedbackFixture, Visitor, type FeedbackFixture } from '../testing.ts';
import { insertButton, insertForm } from '../forms/queries.ts';

/**
 * Issue 11, « Goals that cannot be tracked »: « 100 % des démarches avec le bouton Je donne mon avis ». Three procedures
 * in scope (two administrations of two ministries), one archived: only the one whose live button received a review counts.
 */
for (const target of TEST_TARGETS) {
  describe(`goal figure: procedures with a live button that received reviews (${target})`, () => {
    let t: TestApp;
    let f: FeedbackFixture;
    let third: number;
    before(async () => {
      t = await createTestApp(target);
      f = await createFeedbackFixture(t.db, 'obj');
      const [p1, p2] = f.catalog.procedures;
      // A third procedure in administration 2, and an archived one in administration 1 (never counted).
      third = (
        await t.db.query(
          `INSERT INTO procedures (stable_id, slug, title, administration_id, in_scope) VALUES ('obj-3', 'obj-3', 'Démarche de test 3', $1, true) RETURNING id`,
          [f.catalog.administrations[1]],
        )
      ).rows[0].id;
      await t.db.query(
        `INSERT INTO procedures (stable_id, slug, title, administration_id, in_scope, archived_at) VALUES ('obj-4', 'obj-4', 'Démarche archivée', $1, true, now())`,
        [f.catalog.administrations[0]],
      );
      await t.db.query('UPDATE procedures SET in_scope = true WHERE id = ANY($1::bigint[])', [[p1, p2]]);
      // Procedure 1: a review through its live button. Procedure 2: a review through a test button only.
      await new Visitor(t.app, '192.0.2.1').start(f.button.publicKey, { satisfaction: 'good' });
      const form2 = await insertForm(t.db, { procedureId: p2, template: 'default', name: 'Test' }, null);
      const testButton = await insertButton(t.db, { formId: Number(form2), name: 'Essai', placement: 'recette', isTest: true });
      await new Visitor(t.app, '192.0.2.2').start(testButton.publicKey, { satisfaction: 'bad' });
    });
    after(async () => t.close());

    test('national, per ministry and per administration, each figure linking to its list', async () => {
      const page = await t.app.inject('/statistiques/bouton');
      assert.equal(page.statusCode, 200);
      // 1 procedure out of 3 (the archived one is not in the scope): 33,3 %.
      assert.match(page.body, /<strong>33,3 %<\/strong> : <a href="\/statistiques\/bouton\/demarches\?">1 démarche<\/a>\s+sur 3\./);
      // Ministry 1: procedure 1 only (1/1). Ministry 2: procedures 2 and 3, none counted (0/2).
      assert.match(
        page.body,
        new RegExp(
          `<th scope="row">Ministère de test 1</th><td><a href="/statistiques/bouton/demarches\\?ministere=${f.catalog.ministries[0]}">1<span class="fr-sr-only">[^<]*</span></a></td><td>1</td><td>100,0 %</td>`,
        ),
      );
      assert.match(
        page.body,
        new RegExp(
          `<th scope="row">Ministère de test 2</th><td><a href="/statistiques/bouton/demarches\\?ministere=${f.catalog.ministries[1]}">0<span class="fr-sr-only">[^<]*</span></a></td><td>2</td><td>0,0 %</td>`,
        ),
      );
      assert.match(
        page.body,
        new RegExp(
          `<th scope="row">Administration de test 2</th><td><a href="/statistiques/bouton/demarches\\?administration=${f.catalog.administrations[1]}">0<span`,
        ),
      );
      const list = await t.app.inject(`/statistiques/bouton/demarches?ministere=${f.catalog.ministries[1]}`);
      assert.equal(list.statusCode, 200);
      assert.match(list.body, /0 démarche sur 2\s+a un bouton actif ayant reçu des avis/);
      assert.match(list.body, /<th scope="row">Démarche de test 2<\/th><td>Administration de test 2<\/td><td>Non<\/td><td>0<\/td>/);
      assert.match(list.body, /<th scope="row">Démarche de test 3<\/th><td>Administration de test 2<\/td><td>Non<\/td><td>0<\/td>/);
      const all = await t.app.inject('/statistiques/bouton/demarches');
      assert.match(all.body, /<th scope="row">Démarche de test 1<\/th><td>Administration de test 1<\/td><td>Oui<\/td><td>1<\/td>/);
      assert.doesNotMatch(all.body, /Démarche archivée/);
      assert.ok(third > 0);
    });

    test('a closed button no longer counts; a window without reviews gives 0 %', async () => {
      const past = await t.app.inject('/statistiques/bouton?debut=2020-01-01&fin=2020-12-31');
      assert.match(
        past.body,
        /<strong>0,0 %<\/strong> : <a href="\/statistiques\/bouton\/demarches\?debut=2020-01-01&amp;fin=2020-12-31">0 démarche<\/a>/,
      );
      await t.db.query('UPDATE feedback_buttons SET closed_at = now() WHERE id = $1', [f.button.id]);
      const now = await t.app.inject('/statistiques/bouton');
      assert.match(now.body, /<strong>0,0 %<\/strong>/);
      assert.match(
        (await t.app.inject('/plan-du-site')).body,
        /<a href="\/statistiques\/bouton">Objectif : 100 % des démarches avec le bouton « Je donne mon avis »<\/a>/,
      );
    });
  });
}
