import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS } from '../../../test/helpers/db.ts';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import type { TestClient } from '../../../test/helpers/client.ts';
import { createTestUser, signedInClient } from '../../../test/helpers/users.ts';
import { createFeedbackFixture, Visitor, type FeedbackFixture } from '../testing.ts';
import { runAlerts } from './run.ts';

const HOUR = 3_600_000;

for (const target of TEST_TARGETS) {
  describe(`feedback alerts and digests (${target})`, () => {
    let t: TestApp;
    let f: FeedbackFixture;
    let reader: TestClient;
    const mailsTo = (subject: RegExp) => t.mails.filter((m) => m.to === 'alertes@exemple.gouv.fr' && subject.test(m.subject)).length;

    before(async () => {
      t = await createTestApp(target);
      f = await createFeedbackFixture(t.db, 'alr');
      await createTestUser(t.db, 'alertes@exemple.gouv.fr', [{ role: 'procedure_reader', procedureId: f.catalog.procedures[0] }]);
      reader = await signedInClient(t.app, 'alertes@exemple.gouv.fr', undefined, '10.7.1.1');
    });
    after(async () => t.close());

    test('a user sets their alerts on a form of their scope; a bad threshold is refused', async () => {
      const page = await reader.get(`/avis/formulaires/${f.formId}`);
      assert.match(page.body, /Mes alertes et récapitulatifs par e-mail/);
      const bad = await reader.post(`/avis/formulaires/${f.formId}/alertes`, { satisfaction_below: '12' });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /entre 0 et 10/);
      const ok = await reader.post(`/avis/formulaires/${f.formId}/alertes`, { new_reviews: 'oui', satisfaction_below: '6,5', digest: 'weekly' });
      assert.equal(ok.statusCode, 303);
      const { rows } = await t.db.query('SELECT new_reviews, satisfaction_below, digest FROM feedback_alerts');
      assert.deepEqual([rows[0].new_reviews, Number(rows[0].satisfaction_below), rows[0].digest], [true, 6.5, 'weekly']);
    });

    test('new reviews are mailed at most once an hour; a satisfaction under the threshold once a day; digests on time', async () => {
      await new Visitor(t.app, '10.7.0.1').start(f.button.publicKey, { satisfaction: 'bad' });
      const now = Date.now();
      await runAlerts(t.deps, new Date(now + 10 * 60_000));
      assert.equal(mailsTo(/nouvel avis/), 0, 'debounced: less than an hour since the subscription');
      await runAlerts(t.deps, new Date(now + HOUR + 60_000));
      assert.equal(mailsTo(/1 nouvel avis/), 1);
      assert.equal(mailsTo(/Satisfaction en baisse/), 1, '0 / 10 is under 6,5');
      await new Visitor(t.app, '10.7.0.2').start(f.button.publicKey, { satisfaction: 'bad' });
      await runAlerts(t.deps, new Date(now + HOUR + 30 * 60_000));
      assert.equal(mailsTo(/nouvel avis/), 1, 'the second review waits for the hour');
      assert.equal(mailsTo(/Satisfaction en baisse/), 1, 'once a day');
      await runAlerts(t.deps, new Date(now + 2 * HOUR + 2 * 60_000));
      assert.equal(mailsTo(/1 nouvel avis/), 2);
      assert.equal(mailsTo(/Récapitulatif/), 0);
      await runAlerts(t.deps, new Date(now + 7 * 24 * HOUR + 60_000));
      assert.equal(mailsTo(/Récapitulatif des avis/), 1);
    });
  });
}
