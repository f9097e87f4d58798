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
      const ok = await reader.post(`/avis/formulaires/${f.formId}/alertes`, {
        new_reviews: 'oui',
        satisfaction_below: '6,5',
        digest: 'weekly',
      });
      assert.equal(ok.statusCode, 303);
      const { rows } = await t.db.query('SELECT new_reviews, satisfaction_below, digest FROM feedback_alerts');
      assert.deepEqual([rows[0].new_reviews, Number(rows[0].satisfaction_below), rows[0].digest], [true, 6.5, 'weekly']);
    });

    test('new reviews are mailed at most once an hour; a satisfaction under the threshold once a day; digests on time', async () => {
      // This test is about timing: a one-review minimum (the next test is about the minimum).
      await t.db.query(`UPDATE app_settings SET value = '1' WHERE key = 'feedback_alert_min_reviews'`);
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

    test('a satisfaction alert needs the minimum number of reviews in its window (a setting), and says how many', async () => {
      // Two reviews at 0 / 10 so far (previous test). The default setting is 10; here the team chose 4.
      assert.equal((await t.db.query(`SELECT value FROM app_settings WHERE key = 'feedback_alert_min_reviews'`)).rows.length, 1);
      await t.db.query(`UPDATE app_settings SET value = '4' WHERE key = 'feedback_alert_min_reviews'`);
      await t.db.query('UPDATE feedback_alerts SET satisfaction_sent_at = NULL');
      const page = await reader.get(`/avis/formulaires/${f.formId}`);
      assert.match(page.body, /L’alerte n’est envoyée qu’à partir de 4 avis sur ces 30 jours\./);
      const before = mailsTo(/Satisfaction en baisse/);
      await runAlerts(t.deps, new Date(Date.now() + 60_000));
      assert.equal(mailsTo(/Satisfaction en baisse/), before, '2 reviews: under the minimum, no alert');
      await new Visitor(t.app, '10.7.0.3').start(f.button.publicKey, { satisfaction: 'medium' });
      await new Visitor(t.app, '10.7.0.4').start(f.button.publicKey, { satisfaction: 'bad' });
      await runAlerts(t.deps, new Date(Date.now() + 2 * 60_000));
      assert.equal(mailsTo(/Satisfaction en baisse/), before + 1);
      // 4 reviews: 0, 0, 5, 0 → 1,25 / 10, computed by hand.
      const mail = t.mails.filter((m) => /Satisfaction en baisse/.test(m.subject)).at(-1)!;
      assert.match(mail.text, /est de 1,3 \/ 10 sur 4 avis \(une alerte demande au moins 4 avis sur la période\)/);
    });
  });
}
