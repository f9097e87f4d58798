import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import { TEST_TARGETS } from '../../test/helpers/db.ts';
import { formatViolations, runAxe, signInContext, startBrowserApp, type BrowserApp } from '../../test/browser/browser.ts';
import { createTestUser } from '../../test/helpers/users.ts';
import { answerStory, moderate, procedureInfo, submitStory } from './store.ts';
import { createTestCatalog, type TestCatalog } from '../catalog/testing.ts';

const STEP_MS = 10_000;

async function within<T>(what: string, promise: Promise<T>, ms = STEP_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer from the browser after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const press = (page: Page, key: string) => within(`keyboard.press('${key}')`, page.keyboard.press(key));

/** Tabs forward until the focused element matches (name and value of a form control). */
async function tabTo(page: Page, name: string, value?: string, max = 80): Promise<void> {
  for (let i = 0; i < max; i++) {
    await press(page, 'Tab');
    const focused = await within(
      'evaluate',
      page.evaluate(() => {
        const el = document.activeElement as HTMLInputElement | null;
        return el ? { name: el.getAttribute('name'), value: el.getAttribute('value') } : null;
      }),
    );
    if (focused?.name === name && (value === undefined || focused.value === value)) return;
  }
  throw new Error(`never focused: ${name}${value ? `=${value}` : ''}`);
}

async function expectNoAxeViolations(page: Page): Promise<void> {
  const violations = await within('axe-core', runAxe(page), 30_000);
  assert.equal(violations.length, 0, formatViolations(page.url(), violations));
}

for (const target of TEST_TARGETS) {
  describe(`experiences in a browser (${target})`, () => {
    let t: BrowserApp;
    let cat: TestCatalog;
    let storyId = 0;

    before(async () => {
      t = await startBrowserApp(target);
      cat = await createTestCatalog(t.db, { prefix: 'navexp' });
      const proc = (await procedureInfo(t.db, cat.procedures[0]))!;
      const tell = (body: string, extra: Partial<Parameters<typeof submitStory>[1]> = {}) =>
        submitStory(t.db, {
          procedure: proc,
          lang: 'fr',
          body,
          channels: ['en_ligne', 'guichet'],
          feeling: 'plutot_mal',
          solved: false,
          email: null,
          consent: true,
          accessibilityTicked: false,
          ...extra,
        });
      storyId = await tell('Le site refusait mon justificatif ; un médiateur du point numérique m’a aidé à finir.');
      await moderate(t.deps, storyId, { publish: true }, null);
      await answerStory(
        t.deps,
        storyId,
        { body: 'Merci, le format des justificatifs est corrigé.', actionUrl: 'https://exemple.gouv.fr/ameliorations' },
        null,
        '/x',
      );
      await tell('Vous êtes des escrocs, je n’ai toujours rien reçu depuis un mois.');
    });
    after(async () => t?.close());

    test('the public form without JavaScript and with the keyboard alone: errors, then a story sent', async () => {
      const context: BrowserContext = await t.newContext({ javaScriptEnabled: false });
      context.setDefaultTimeout(STEP_MS);
      try {
        const page = await context.newPage();
        await page.goto(`/temoignages/demarches/${cat.procedures[0]}/raconter`);
        // Sent empty, with the keyboard: the error summary and the messages beside the fields.
        await page.locator('button[type="submit"]').focus();
        await press(page, 'Enter');
        await page.locator('#resume-erreurs').waitFor();
        assert.match(await page.title(), /^Erreur – Raconter mon expérience/);
        assert.match(await page.locator('#resume-erreurs').innerText(), /Racontez ce qui s’est passé/);

        await page.goto(`/temoignages/demarches/${cat.procedures[0]}/raconter`);
        await tabTo(page, 'recit');
        await within('type', page.keyboard.type('Je n’ai pas trouvé où déposer ma pièce justificative ; j’ai dû aller en préfecture.'));
        await tabTo(page, 'canaux', 'en_ligne');
        await press(page, 'Space');
        await tabTo(page, 'canaux', 'guichet');
        await press(page, 'Space');
        await tabTo(page, 'ressenti');
        // The first radio of the group gets the focus; the arrows move the choice.
        await press(page, 'ArrowDown');
        await tabTo(page, 'resolu');
        await press(page, 'Space');
        await tabTo(page, 'email');
        await within('type', page.keyboard.type('usager@exemple.fr'));
        await tabTo(page, 'consentement', 'oui');
        await press(page, 'Space');
        await press(page, 'Enter');
        await page.waitForURL(/\/merci/);
        assert.match(await page.locator('h1').innerText(), /Merci pour votre témoignage/);
        const { rows } = await t.db.query(
          `SELECT channels, feeling, solved, email, consent FROM experiences WHERE body LIKE 'Je n’ai pas trouvé où déposer%'`,
        );
        assert.deepEqual(rows, [
          { channels: ['en_ligne', 'guichet'], feeling: 'plutot_mal', solved: true, email: 'usager@exemple.fr', consent: true },
        ]);

        // The English form (axe runs in the next test: it needs JavaScript).
        await page.goto(`/temoignages/demarches/${cat.procedures[0]}/raconter?lang=en`);
        assert.equal(await page.getAttribute('html', 'lang'), 'en');
      } finally {
        await context.close();
      }
    });

    test('public and back-office pages pass axe (WCAG 2.2 AA, RGAA)', async () => {
      const context = await t.newContext();
      context.setDefaultTimeout(STEP_MS);
      try {
        const page = await context.newPage();
        // The form, in French and English, with its errors, and the thank-you page.
        const form = `/temoignages/demarches/${cat.procedures[0]}/raconter`;
        for (const path of [form, `${form}?lang=en`]) {
          await page.goto(path);
          await expectNoAxeViolations(page);
        }
        await page.locator('form[novalidate] button[type="submit"]').click();
        await page.locator('#resume-erreurs').waitFor();
        assert.match(await page.title(), /^Error – Tell my experience/);
        await expectNoAxeViolations(page);
        await page.goto(`/temoignages/demarches/${cat.procedures[0]}/merci?lang=fr&courriel=1`);
        await expectNoAxeViolations(page);
        for (const path of [
          '/temoignages',
          '/temoignages/delais',
          `/temoignages/demarches/${cat.procedures[0]}`,
          `/temoignages/demarches/${cat.procedures[0]}?q=mediateur&canal=guichet`,
          `/temoignages/${storyId}`,
          `/temoignages/administrations/${cat.administrations[0]}`,
          `/temoignages/ministeres/${cat.ministries[0]}`,
        ]) {
          const res = await page.goto(path);
          assert.equal(res?.status(), 200, path);
          await expectNoAxeViolations(page);
        }
        const adminId = await createTestUser(t.db, 'axe-temoignages@vigie.test', [{ role: 'admin' }]);
        await signInContext(t, context, adminId);
        for (const path of [
          '/temoignages/gestion',
          '/temoignages/moderation',
          `/temoignages/gestion/${storyId}`,
          `/temoignages/gestion/administrations/${cat.administrations[0]}`,
          `/temoignages/moderateurs/ministeres/${cat.ministries[0]}`,
          `/temoignages/moderateurs/administrations/${cat.administrations[0]}`,
          '/temoignages/gestion/conservation',
        ]) {
          const res = await page.goto(path);
          assert.equal(res?.status(), 200, path);
          await expectNoAxeViolations(page);
        }
        // An answer sent with the keyboard from the story's page.
        await page.goto(`/temoignages/gestion/${storyId}`);
        await tabTo(page, 'reponse');
        await within('type', page.keyboard.type('Une seconde réponse de l’administration.'));
        await page.locator('form[action$="/reponse"] button[type="submit"]').focus();
        await press(page, 'Enter');
        await page.waitForURL(/etat=enregistre/);
        await expectNoAxeViolations(page);
      } finally {
        await context.close();
      }
    });
  });
}
