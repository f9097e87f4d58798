import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS } from '../helpers/db.ts';
import { createTestUser, TEST_PASSWORD } from '../helpers/users.ts';
import { startBrowserApp, type BrowserApp } from './browser.ts';
import { assertAccessible, submitLogin } from './journey-steps.ts';

for (const target of TEST_TARGETS) {
  describe(`user journeys in the browser (${target})`, () => {
    let t: BrowserApp;
    let ministryId: number;
    before(async () => {
      t = await startBrowserApp(target);
      await createTestUser(t.db, 'pilotage@vigie.test', [{ role: 'admin' }], { displayName: 'Paule Pilotage' });
      const { rows } = await t.db.query<{ id: number }>(
        `INSERT INTO ministries (code, name) VALUES ('parcours', 'Ministère des Parcours') RETURNING id`,
      );
      ministryId = rows[0].id;
      await t.db.query(`INSERT INTO administrations (ministry_id, code, name) VALUES ($1, 'parcours-adm', 'Direction des Parcours')`, [
        ministryId,
      ]);
    });
    after(async () => t?.close());

    test('sign in: a protected page sends to the login form, a mistake is explained accessibly, then the page opens', async () => {
      const context = await t.newContext();
      const page = await context.newPage();
      await page.goto('/catalogue');
      assert.equal(new URL(page.url()).pathname, '/connexion');

      await submitLogin(page, 'pilotage@vigie.test', '');
      assert.equal(new URL(page.url()).pathname, '/connexion');
      assert.match(await page.locator('#resume-erreurs').innerText(), /Mot de passe/);
      assert.equal(await page.locator('input[name="password"]').getAttribute('aria-invalid'), 'true');
      await assertAccessible(page);

      await submitLogin(page, 'pilotage@vigie.test', TEST_PASSWORD);
      assert.equal(new URL(page.url()).pathname, '/catalogue', 'back to the page asked for');
      assert.ok(await page.getByRole('button', { name: 'Se déconnecter' }).isVisible());

      await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Se déconnecter' }).click()]);
      await page.goto('/catalogue');
      assert.equal(new URL(page.url()).pathname, '/connexion', 'signed out: the catalogue is closed again');
      await context.close();
    });

    test('invite a user: the admin sends an invitation, the invitee follows the e-mailed link, creates the account and holds the role', async () => {
      const admin = await t.newContext();
      const page = await admin.newPage();
      await page.goto('/connexion');
      await submitLogin(page, 'pilotage@vigie.test', TEST_PASSWORD);
      await page.goto('/compte/invitations');
      await assertAccessible(page);

      // A mistake first: no address. The form comes back with the message next to the field and nothing is sent.
      await page.locator('select[name="role"]').selectOption('ministry_referent');
      await page.locator('select[name="ministry_id"]').selectOption(String(ministryId));
      await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Envoyer l’invitation' }).click()]);
      assert.match(await page.locator('#champ-email-erreur').innerText(), /adresse/i);
      await assertAccessible(page);
      assert.equal(t.mails.length, 0);

      await page.locator('input[name="email"]').fill('nouvelle.referente@vigie.test');
      await page.locator('select[name="role"]').selectOption('ministry_referent');
      await page.locator('select[name="ministry_id"]').selectOption(String(ministryId));
      await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Envoyer l’invitation' }).click()]);
      assert.match(await page.getByRole('status').first().innerText(), /L’invitation est envoyée/);
      await admin.close();

      const mail = t.mails.find((m) => m.to === 'nouvelle.referente@vigie.test');
      assert.ok(mail, 'the invitation e-mail is sent');
      const link = /https?:\/\/\S+\/invitation\/\S+/.exec(mail.text)?.[0];
      assert.ok(link, `a link in the e-mail: ${mail.text}`);

      const invitee = await t.newContext();
      const invited = await invitee.newPage();
      await invited.goto(new URL(link).pathname);
      assert.equal(await invited.locator('h1').innerText(), 'Invitation à rejoindre Vigie');
      await assertAccessible(invited);
      await invited.locator('input[name="display_name"]').fill('Nora Référente');
      await invited.locator('input[name="password"]').fill('une phrase de passe assez longue');
      await invited.locator('input[name="password_confirmation"]').fill('une phrase de passe assez longue');
      await Promise.all([invited.waitForLoadState('load'), invited.getByRole('button', { name: 'Créer mon compte' }).click()]);
      assert.equal(new URL(invited.url()).pathname, '/compte');
      const account = await invited.locator('main').innerText();
      assert.match(account, /Référent ministériel/);
      assert.match(account, /Ministère des Parcours/);
      await invitee.close();
    });

    test('import a catalogue file: a file with an error is explained and refused, a correct one is previewed then recorded', async () => {
      const context = await t.newContext();
      const page = await context.newPage();
      await page.goto('/connexion?retour=/catalogue/import');
      await submitLogin(page, 'pilotage@vigie.test', TEST_PASSWORD);
      assert.equal(new URL(page.url()).pathname, '/catalogue/import');
      await assertAccessible(page);

      const csv = (lines: string[]) => Buffer.from('\uFEFF' + lines.join('\n') + '\n', 'utf8');
      const upload = async (name: string, content: Buffer) => {
        await page.locator('input[type="file"]').setInputFiles({ name, mimeType: 'text/csv', buffer: content });
        await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Vérifier le fichier (aperçu)' }).click()]);
      };

      await upload(
        'erreurs.csv',
        csv([
          'Identifiant;Intitulé;Administration',
          'parcours-une;Démarche une;parcours-adm',
          'parcours-deux;Démarche deux;administration-inconnue',
        ]),
      );
      assert.equal(await page.locator('h1').innerText(), 'Aperçu de l’import');
      const errors = await page.getByRole('table', { name: /Erreurs par ligne/ }).innerText();
      assert.match(errors, /3\s+Administration/, 'the error names line 3 and its column');
      assert.equal(await page.getByRole('button', { name: 'Confirmer l’import' }).count(), 0, 'a file with errors cannot be confirmed');
      await assertAccessible(page);

      await page.goto('/catalogue/import');
      await upload(
        'demarches.csv',
        csv([
          'Identifiant;Intitulé;Administration;Volume annuel total',
          'parcours-une;Démarche une du parcours;parcours-adm;1200',
          'parcours-deux;Démarche deux du parcours;parcours-adm;800',
        ]),
      );
      assert.match(await page.locator('main').innerText(), /2 démarche\(s\) à créer/);
      const before = await t.db.query(`SELECT count(*)::bigint AS n FROM procedures WHERE stable_id LIKE 'parcours-%'`);
      assert.equal(before.rows[0].n, 0, 'the preview writes nothing');
      await assertAccessible(page);

      await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Confirmer l’import' }).click()]);
      assert.equal(await page.locator('h1').innerText(), 'Import enregistré');
      assert.match(await page.getByRole('status').first().innerText(), /2 démarche\(s\) créée\(s\)/);

      await page.goto('/catalogue?q=parcours');
      const list = await page.locator('main').innerText();
      assert.match(list, /Démarche une du parcours/);
      assert.match(list, /Démarche deux du parcours/);
      await context.close();
    });
  });
}
