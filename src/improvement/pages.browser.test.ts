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
      await t.db.query(`INSERT INTO challenge_actions (challenge_id, title, action_date) VALUES ($1, 'Réécrire les messages', '2026-06-15')`, [challengeId]);
    });
    after(async () => t?.close());

    test('« Mes défis », the team page of a défi and its public page with every kind of effect: zero axe violations', async () => {
      const context = await t.newContext({ viewport: { width: 1280, height: 900 } });
      await signInContext(t, context, memberId);
      const page = await context.newPage();
      const problems: string[] = [];
      for (const url of ['/mes-defis', `/defis/equipe/${challengeId}`, '/defis/defi-axe']) {
        const res = await page.goto(url);
        if (res?.status() !== 200) problems.push(`${url}: ${res?.status()}`);
        problems.push(formatViolations(url, await runAxe(page)));
      }
      assert.equal(problems.filter(Boolean).join('\n'), '');
      await context.close();
    });
  });
}
