import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { TEST_TARGETS } from '../../test/helpers/db.ts';
import { formatViolations, runAxe, signInContext, startBrowserApp, type BrowserApp } from '../../test/browser/browser.ts';
import { createTestUser } from '../../test/helpers/users.ts';
import { createAccountToken } from './tokens.ts';
import { createSession, hashToken } from '../kernel/auth/session.ts';
import { createInvitation } from './invitations.ts';
import { createTestCatalog } from '../catalog/testing.ts';

/** The accounts pages in the states a crawl does not reach: forms with errors, one-time links, a key just created. */
for (const target of TEST_TARGETS) {
  describe(`accounts pages in every state pass axe (${target})`, () => {
    let t: BrowserApp;
    const problems: string[] = [];
    async function check(page: Page, what: string, expected?: string) {
      if (expected) assert.ok(await page.locator(expected).count(), `${what}: ${expected} expected on ${page.url()}`);
      const violations = await runAxe(page);
      if (violations.length) problems.push(formatViolations(`${what} (${page.url()})`, violations));
      const h1 = await page.locator('h1').count();
      if (h1 !== 1) problems.push(`${what}: ${h1} h1`);
    }
    const submit = (page: Page, action: string) =>
      Promise.all([page.waitForLoadState('load'), page.locator(`main form[action="${action}"] button[type="submit"]`).first().click()]);

    before(async () => {
      t = await startBrowserApp(target);
    });
    after(async () => t?.close());

    test('anonymous pages and one-time links', async () => {
      const cat = await createTestCatalog(t.db, { prefix: 'axe' });
      const userId = await createTestUser(t.db, 'axe-lien@exemple.gouv.fr');
      const adminId = await createTestUser(t.db, 'axe-admin@exemple.gouv.fr', [{ role: 'admin' }]);
      const context = await t.newContext();
      const page = await context.newPage();
      try {
        await page.goto('/connexion');
        await page.fill('#champ-email', 'pas-une-adresse');
        await submit(page, '/connexion');
        await check(page, 'connexion, erreurs de saisie', '#resume-erreurs');
        await page.fill('#champ-email', 'personne@exemple.gouv.fr');
        await page.fill('#champ-password', 'mauvais mot de passe');
        await submit(page, '/connexion');
        await check(page, 'connexion, échec', '#echec-connexion');
        await page.goto('/mot-de-passe-oublie');
        await submit(page, '/mot-de-passe-oublie');
        await check(page, 'mot de passe oublié, erreur');
        await page.fill('#champ-email', 'axe-lien@exemple.gouv.fr');
        await submit(page, '/mot-de-passe-oublie');
        await check(page, 'mot de passe oublié, envoyé');
        await page.goto(
          `/reinitialisation-mot-de-passe?jeton=${await createAccountToken(t.db, userId, 'password_reset', 'axe-lien@exemple.gouv.fr')}`,
        );
        await check(page, 'réinitialisation');
        await page.fill('#champ-password', 'court');
        await submit(page, '/reinitialisation-mot-de-passe');
        await check(page, 'réinitialisation, erreurs', '#champ-password-erreur');
        await page.goto('/reinitialisation-mot-de-passe?jeton=faux');
        await check(page, 'lien invalide');
        await page.goto(
          `/verification-adresse?jeton=${await createAccountToken(t.db, userId, 'email_verification', 'axe-lien@exemple.gouv.fr')}`,
        );
        await check(page, 'vérification de l’adresse');
        await page.goto(`/deblocage-compte?jeton=${await createAccountToken(t.db, userId, 'account_unlock', 'axe-lien@exemple.gouv.fr')}`);
        await check(page, 'déblocage du compte', 'form[action="/deblocage-compte"]');
        const invitation = await createInvitation(
          t.db,
          'axe-invite@exemple.gouv.fr',
          { role: 'procedure_reader', procedureId: cat.procedures[0] },
          adminId,
        );
        await page.goto(`/invitation/${invitation.token}`);
        await check(page, 'invitation');
        await page.fill('#champ-password', 'une-longue-phrase');
        await page.fill('#champ-password_confirmation', 'une-autre-phrase');
        await submit(page, `/invitation/${invitation.token}`);
        await check(page, 'invitation, erreurs', '#champ-password_confirmation-erreur');
        await page.goto('/invitation/inconnue');
        await check(page, 'invitation invalide');
      } finally {
        await context.close();
      }
      assert.equal(problems.length, 0, '\n' + problems.join('\n'));
    });

    test('signed-in pages, with errors and results', async () => {
      await createTestCatalog(t.db, { prefix: 'axe2' });
      const adminId = await createTestUser(t.db, 'axe-pilote@exemple.gouv.fr', [{ role: 'admin' }], { displayName: 'Pilote <em>axe</em>' });
      await t.db.query('UPDATE users SET email_verified_at = NULL WHERE id = $1', [adminId]);
      await t.db.query(`INSERT INTO mail_outbox (recipient, subject, body_text) VALUES ('a@exemple.gouv.fr', 'Objet', 'Corps du message')`);
      // A second session of the same user, so that « Mon compte » shows a « Révoquer » button.
      const otherSession = hashToken(
        await createSession(
          t.db,
          adminId,
          'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
        ),
      );
      const otherSessionId = (await t.db.query('SELECT id FROM sessions WHERE id_hash = $1', [otherSession])).rows[0].id;
      const context = await t.newContext();
      await signInContext(t, context, adminId);
      const page = await context.newPage();
      try {
        await page.goto('/compte');
        await check(page, 'mon compte, adresse non vérifiée', `form[action="/compte/sessions/${otherSessionId}/revoquer"]`);
        await submit(page, `/compte/sessions/${otherSessionId}/revoquer`);
        await check(page, 'mon compte, session révoquée', '.fr-alert--success');
        await page.fill('#champ-email', 'pas une adresse');
        await submit(page, '/compte/profil');
        await check(page, 'mon compte, erreurs du profil', '#champ-email-erreur');
        await submit(page, '/compte/mot-de-passe');
        await check(page, 'mon compte, erreurs du mot de passe');
        await page.goto('/compte/cles-api');
        await submit(page, '/compte/cles-api');
        await check(page, 'clés d’API, erreur');
        await page.fill('#champ-name', 'Clé de test');
        await submit(page, '/compte/cles-api');
        await check(page, 'clés d’API, clé créée', '#nouvelle-cle');
        await page.goto('/compte');
        await check(page, 'mon compte, révocation des clés proposée', '#revoquer-cles');
        await page.goto('/compte/invitations');
        await submit(page, '/compte/invitations');
        await check(page, 'invitations, erreurs');
        await page.fill('#champ-procedure', 'test');
        await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Chercher la démarche' }).click()]);
        await check(page, 'invitations, démarches trouvées par leur titre', 'input[name="procedure_id"]');
        await page.goto('/admin/utilisateurs?q=axe');
        await check(page, 'utilisateurs, recherche');
        await page.goto(`/admin/utilisateurs/${adminId}`);
        await page.selectOption('#champ-role', 'ministry_referent');
        await submit(page, `/admin/utilisateurs/${adminId}/droits`);
        await check(page, 'utilisateur, erreur du droit', '#champ-ministry_id-erreur');
        await page.goto('/admin/journal');
        await check(page, 'journal');
        await page.goto('/admin/journal?du=2024-02-30');
        await check(page, 'journal, date invalide', '#champ-du-erreur');
        await page.goto('/admin/boite-envoi');
        await check(page, 'boîte d’envoi');
      } finally {
        await context.close();
      }
      assert.equal(problems.length, 0, '\n' + problems.join('\n'));
    });
  });
}
