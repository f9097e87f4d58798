import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS } from '../../test/helpers/db.ts';
import { formatViolations, runAxe, signInContext, startBrowserApp, type BrowserApp } from '../../test/browser/browser.ts';
import { createTestUser } from '../../test/helpers/users.ts';
import { createTestCatalog } from '../catalog/testing.ts';

/** The défis' team pages and the effect of every kind of indicator pass axe-core with zero violations. */
for (const target of TEST_TARGETS) {
  describe(`défis pages in a browser (${target})`, () => {
    let t: BrowserApp;
    let memberId: number;
    let challengeId: number;
    let procedureId: number;
    let adminId: number;
    before(async () => {
      t = await startBrowserApp(target);
      const c = await createTestCatalog(t.db, { prefix: 'axe-defi' });
      const { rows } = await t.db.query<{ id: number }>(
        `INSERT INTO challenges (slug, title, description, status, launch_date, procedures, indicators, body)
         VALUES ('defi-axe', 'Défi vérifié', 'Un défi pour vérifier les pages.', 'en_cours', '2026-06-01', $1,
                 '{satisfaction,accessibilityRate,uptime,loadTime,onlineUse,contacts}', '## Le problème') RETURNING id`,
        [[c.procedureStableIds[0]]],
      );
      challengeId = Number(rows[0].id);
      memberId = await createTestUser(t.db, 'membre-axe@exemple.gouv.fr', []);
      await t.db.query(`INSERT INTO challenge_members (challenge_id, user_id, role) VALUES ($1, $2, 'Designer')`, [challengeId, memberId]);
      procedureId = c.procedures[0];
      adminId = await createTestUser(t.db, 'pilote-axe@exemple.gouv.fr', [{ role: 'admin' }]);
      for (const [i, body] of [
        'Aucun rendez-vous en préfecture.',
        'Rendez-vous en préfecture introuvable.',
        'Préfecture : rendez-vous annulé.',
        'Mot de passe refusé à la connexion.',
        'Connexion impossible, mot de passe oublié.',
        'Le mot de passe bloque la connexion.',
      ].entries()) {
        await t.db.query(
          `INSERT INTO experiences (procedure_id, administration_id, ministry_id, body, search, channels, feeling, solved, consent, status, published_at, due_at)
           SELECT p.id, p.administration_id, a.ministry_id, $2, lower($2), '{en_ligne}', 'neutre', false, true, 'published', now() - $3 * interval '1 day', now()
             FROM procedures p JOIN administrations a ON a.id = p.administration_id WHERE p.id = $1`,
          [procedureId, body, i * 20],
        );
      }
      await t.db.query(
        `INSERT INTO challenge_actions (challenge_id, title, action_date) VALUES ($1, 'Réécrire les messages', '2026-06-15')`,
        [challengeId],
      );
    });
    after(async () => t?.close());

    test('« Mes défis », the team page of a défi, its public page with every kind of effect and the themes of the stories: zero axe violations', async () => {
      const context = await t.newContext({ viewport: { width: 1280, height: 900 } });
      await signInContext(t, context, memberId);
      const page = await context.newPage();
      const problems: string[] = [];
      for (const url of ['/mes-defis', `/defis/equipe/${challengeId}`, '/defis/defi-axe']) {
        const res = await page.goto(url);
        if (res?.status() !== 200) problems.push(`${url}: ${res?.status()}`);
        problems.push(formatViolations(url, await runAxe(page)));
      }
      await context.close();
      // The themes of the procedure's stories, for its team (here the steering team).
      const team = await t.newContext({ viewport: { width: 1280, height: 900 } });
      await signInContext(t, team, adminId);
      const themes = await team.newPage();
      const url = `/defis/demarches/${procedureId}/themes-des-recits`;
      const res = await themes.goto(url);
      if (res?.status() !== 200) problems.push(`${url}: ${res?.status()}`);
      if ((await themes.locator('h2[id^="theme-"]').count()) < 2) problems.push(`${url}: fewer than two themes`);
      problems.push(formatViolations(url, await runAxe(themes)));
      await team.close();
      assert.equal(problems.filter(Boolean).join('\n'), '');
    });
  });
}
