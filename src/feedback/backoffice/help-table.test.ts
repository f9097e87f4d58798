import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS } from '../../../test/helpers/db.ts';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import type { TestClient } from '../../../test/helpers/client.ts';
import { createTestUser, signedInClient } from '../../../test/helpers/users.ts';
import { createFeedbackFixture, Visitor, type FeedbackFixture } from '../testing.ts';

for (const target of TEST_TARGETS) {
  describe(`dashboard: « Avez-vous cherché de l’aide ? » (${target})`, () => {
    let t: TestApp;
    let f: FeedbackFixture;
    let reader: TestClient;

    before(async () => {
      t = await createTestApp(target);
      f = await createFeedbackFixture(t.db, 'aide');
      // Four reviews: two tick two boxes each, one needed no help, one skipped the help step.
      const answers: (string[] | null)[] = [['relative', 'websites'], ['relative', 'association'], ['none'], null];
      let ip = 1;
      for (const help of answers) {
        const v = new Visitor(t.app, `10.9.0.${ip++}`);
        const s1 = await v.start(f.button.publicKey, { satisfaction: 'good' });
        const s2 = await v.step(String(s1.headers.location), { clarity: 'good', action: 'next' });
        if (help) await v.step(String(s2.headers.location), { help_tried: help, action: 'next' });
      }
      await createTestUser(t.db, 'lecture-aide@exemple.gouv.fr', [{ role: 'procedure_reader', procedureId: f.catalog.procedures[0] }]);
      reader = await signedInClient(t.app, 'lecture-aide@exemple.gouv.fr', undefined, '10.9.1.1');
    });
    after(async () => t.close());

    test('shares are out of the reviews that answered, and « no help needed » agrees with the autonomy indicator', async () => {
      const res = await reader.get(`/avis/demarches/${f.catalog.procedures[0]}`);
      assert.equal(res.statusCode, 200);
      // By hand: 3 reviews answered the question (5 boxes ticked); 1 of 3 needed no help → 33,3 %, not 1 of 8 (12,5 %).
      assert.match(res.body, /<th scope="row">Niveau d’autonomie<\/th><td>33,3 %<\/td>/);
      const table = /<table id="repartition-help_tried">[\s\S]*?<\/table>/.exec(res.body)![0];
      assert.match(table, /\(3 avis ayant répondu/);
      assert.match(table, /<th scope="row">Je n’ai pas eu besoin d’aide<\/th><td>1<\/td><td>33,3 %<\/td>/);
      assert.match(table, /<th scope="row">Une personne proche<\/th><td>2<\/td><td>66,7 %<\/td>/);
      assert.match(table, /<th scope="row">Des sites internet<\/th><td>1<\/td><td>33,3 %<\/td>/);
    });
  });
}
