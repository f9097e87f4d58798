import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BrowserContext, Frame, Page } from 'playwright-core';
import { TEST_TARGETS } from '../../test/helpers/db.ts';
import { formatViolations, runAxe, startBrowserApp, type BrowserApp } from '../../test/browser/browser.ts';
import { createFeedbackFixture, type FeedbackFixture } from './testing.ts';

// Every call to the browser is bounded: a stuck call fails with its name instead of freezing the run. Locators and
// navigation get the context's default timeout; keyboard.press and evaluate take none, so they go through within().
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

function press(page: Page, key: string): Promise<void> {
  return within(`keyboard.press('${key}')`, page.keyboard.press(key));
}

function evaluate<T>(page: Page, expression: string): Promise<T> {
  return within(`evaluate(${expression})`, page.evaluate(expression) as Promise<T>);
}

async function openPage(
  t: BrowserApp,
  options: Parameters<BrowserApp['newContext']>[0] = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await within('newContext', t.newContext(options));
  context.setDefaultTimeout(STEP_MS);
  context.setDefaultNavigationTimeout(STEP_MS);
  return { context, page: await within('newPage', context.newPage()) };
}

async function expectNoAxeViolations(page: Page): Promise<void> {
  const violations = await within('axe-core', runAxe(page), 30_000);
  assert.equal(violations.length, 0, formatViolations(page.url(), violations));
}

async function pressUntilFocused(page: Page, predicate: string, max = 60): Promise<void> {
  for (let i = 0; i < max; i++) {
    await press(page, 'Tab');
    if (await evaluate(page, predicate)) return;
  }
  throw new Error(`never focused: ${predicate}`);
}

/** The questionnaire frame of the open widget, once its document (scripts included) has loaded. */
async function widgetFrame(page: Page, step: string): Promise<Frame> {
  const frame = page.frameLocator('iframe[title="Questionnaire « Je donne mon avis »"]');
  await frame.getByText(step).waitFor();
  const element = await page.locator('iframe[title="Questionnaire « Je donne mon avis »"]').elementHandle();
  const content = await element?.contentFrame();
  assert.ok(content, 'the widget has no questionnaire frame');
  // The Escape relay is a module script: it runs after the text is shown, and before the load event.
  await content.waitForLoadState('load');
  return content;
}

for (const target of TEST_TARGETS) {
  describe(`questionnaire in a browser (${target})`, () => {
    let t: BrowserApp;
    let f: FeedbackFixture;
    let other: Server;
    let otherOrigin: string;

    before(async () => {
      t = await startBrowserApp(target);
      f = await createFeedbackFixture(t.db, 'web');
      // A procedure's own site, on another origin (localhost vs 127.0.0.1), embedding the modal widget.
      const href = `${t.origin}/avis/b/${f.button.publicKey}`;
      other = createServer((_req, res) => {
        res.setHeader('content-type', 'text/html; charset=utf-8');
        res.end(`<!doctype html><html lang="fr"><head><title>Démarche</title></head><body><main><h1>Votre dossier est déposé</h1>
<p><a href="${href}" data-vigie-avis>Je donne mon avis</a></p><p><a href="#suite">Suite</a></p>
<script src="${t.origin}/avis/widget.js" defer></script></main></body></html>`);
      });
      await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
      otherOrigin = `http://localhost:${(other.address() as AddressInfo).port}`;
    });
    after(async () => {
      other?.close();
      await t?.close();
    });

    test('answered with the keyboard alone; every step has zero axe-core violations', async () => {
      const { context, page } = await openPage(t);
      await page.goto(`/avis/b/${f.button.publicKey}`);
      await expectNoAxeViolations(page);
      await pressUntilFocused(page, `document.activeElement?.name === 'satisfaction'`);
      // Arrow keys move within a radio group and check the option.
      await press(page, 'ArrowRight');
      await press(page, 'ArrowRight');
      assert.equal(await evaluate(page, `document.activeElement.value`), 'good');
      await pressUntilFocused(page, `document.activeElement?.textContent?.trim() === 'Continuer'`);
      await press(page, 'Enter');
      await page.waitForURL(/etape\/2/);
      await expectNoAxeViolations(page);
      await pressUntilFocused(page, `document.activeElement?.textContent?.trim() === 'Passer'`);
      await press(page, 'Enter');
      await page.waitForURL(/etape\/3/);
      await expectNoAxeViolations(page);
      await pressUntilFocused(page, `document.activeElement?.value === 'phone'`);
      await press(page, 'Space');
      await pressUntilFocused(page, `document.activeElement?.textContent?.trim() === 'Continuer'`);
      await press(page, 'Enter');
      await page.getByText('Par téléphone : avez-vous réussi à joindre l’administration ?').waitFor();
      await expectNoAxeViolations(page);
      await pressUntilFocused(page, `document.activeElement?.name === 'help_reached_phone'`);
      await press(page, 'ArrowRight'); // « Non »: no quality question follows
      await pressUntilFocused(page, `document.activeElement?.textContent?.trim() === 'Continuer'`);
      await press(page, 'Enter');
      await page.waitForURL(/etape\/4/);
      await expectNoAxeViolations(page);
      await pressUntilFocused(page, `document.activeElement?.name === 'verbatim'`);
      await within('keyboard.type', page.keyboard.type('Simple et rapide.'));
      assert.match(await page.locator('#champ-verbatim-limite').innerText(), /4983 caractères restants/);
      await pressUntilFocused(page, `document.activeElement?.textContent?.trim() === 'Envoyer mon avis'`);
      await press(page, 'Enter');
      await page.waitForURL(/merci/);
      await expectNoAxeViolations(page);
      const { rows } = await t.db.query(`SELECT question, sub, option_id FROM feedback_answers ORDER BY question, sub`);
      assert.deepEqual(
        rows.map((r) => `${r.question}:${r.sub}:${r.option_id}`),
        ['help_reached:phone:no', 'help_tried::phone', 'satisfaction::good'],
      );
      await within('context.close', context.close());
    });

    test('a returning visitor is told « Vous modifiez votre avis », with zero axe-core violations', async () => {
      const { context, page } = await openPage(t);
      await page.goto(`/avis/b/${f.button.publicKey}`);
      await page.getByLabel('Moyen').check({ force: true });
      await page.getByRole('button', { name: 'Continuer' }).click();
      await page.waitForURL(/etape\/2/);
      await page.goto(`/avis/b/${f.button.publicKey}`);
      await page.getByText('Vous modifiez votre avis commencé il y a moins d’une heure sur cet appareil.').waitFor();
      await expectNoAxeViolations(page);
      await page.getByRole('link', { name: 'Ce n’est pas mon avis : donner un nouvel avis' }).click();
      await page.getByRole('heading', { name: /Expérience générale/ }).waitFor();
      assert.equal(await page.getByText('Vous modifiez votre avis').count(), 0);
      await within('context.close', context.close());
    });

    test('works without JavaScript, follow-up questions included, in English too', async () => {
      const { context, page } = await openPage(t, { javaScriptEnabled: false });
      await page.goto(`/avis/b/${f.button.publicKey}?lang=en`);
      await page.getByLabel('Average').check({ force: true });
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByLabel('Clear', { exact: true }).check({ force: true });
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByLabel('By e-mail').check({ force: true });
      await page.getByRole('button', { name: 'Continue' }).click();
      await page
        .getByRole('group', { name: 'By e-mail: did you manage to reach the administration?' })
        .getByLabel('No')
        .check({ force: true });
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByRole('button', { name: 'Send my opinion' }).click();
      assert.match(await page.locator('h1').innerText(), /Thank you for your opinion!/);
      const { rows } = await t.db.query(
        `SELECT count(*)::int AS n FROM feedback_answers WHERE question = 'help_reached' AND option_id = 'no' AND sub = 'email'`,
      );
      assert.equal(rows[0].n, 1);
      await within('context.close', context.close());
    });

    test('the modal widget on another origin: dialog, focus trap, Escape, focus back to the link', { timeout: 120_000 }, async () => {
      const { context, page } = await openPage(t);
      const dialog = page.getByRole('dialog', { name: 'Je donne mon avis' });
      const linkFocused = `document.activeElement?.textContent === 'Je donne mon avis'`;
      const closed = async (how: string) => {
        await dialog.waitFor({ state: 'hidden' });
        assert.ok(await evaluate(page, linkFocused), `focus did not return to the link after ${how}`);
        assert.equal(await evaluate(page, `document.querySelector('main').inert`), false, `page behind still inert after ${how}`);
      };
      try {
        await page.goto(otherOrigin);
        await pressUntilFocused(page, linkFocused);
        await press(page, 'Enter');
        await dialog.waitFor();
        assert.equal(await dialog.getAttribute('aria-modal'), 'true');
        assert.equal(await evaluate(page, `document.querySelector('main').inert`), true, 'the page behind the dialog is not inert');
        await widgetFrame(page, 'Étape 1 sur 4');

        // Focus never reaches the page behind the dialog, forwards or backwards, and does go into the frame (it may
        // pass through the browser's own interface, as with <dialog>).
        const where = `document.activeElement === document.body ? 'body' : document.activeElement.tagName === 'IFRAME' ? 'frame' : document.activeElement.closest('[role=dialog]') ? 'dialog' : document.activeElement.outerHTML`;
        const seen = new Set<string>();
        for (const key of [...Array(25).fill('Tab'), ...Array(10).fill('Shift+Tab')]) {
          await press(page, key);
          const at = await evaluate<string>(page, where);
          assert.ok(['dialog', 'frame', 'body'].includes(at), `focus reached the page behind after ${key}: ${at}`);
          seen.add(at);
        }
        assert.ok(seen.has('frame') && seen.has('dialog'), `Tab did not go round the dialog: ${[...seen].join(', ')}`);

        // Messages from any other origin, or from another frame of Vigie's origin, do not close the dialog. Messages
        // from one source arrive in order: once the probe is in, the forged « close » has been handled.
        await evaluate(
          page,
          `new Promise((resolve) => {
          const done = (event) => { if (event.data === 'probe') { window.removeEventListener('message', done); resolve(); } };
          window.addEventListener('message', done);
          window.postMessage({ type: 'vigie-feedback', event: 'close' }, '*');
          window.postMessage('probe', '*');
        })`,
        );
        assert.ok(await dialog.isVisible(), 'a message from the page’s own origin closed the dialog');
        await evaluate(
          page,
          `new Promise((resolve) => {
          const other = document.createElement('iframe');
          other.name = 'other-vigie-frame';
          other.src = ${JSON.stringify(`${t.origin}/avis/b/${f.button.publicKey}`)};
          other.addEventListener('load', resolve);
          document.body.append(other);
        })`,
        );
        const otherVigieFrame = page.frame({ name: 'other-vigie-frame' });
        assert.ok(otherVigieFrame);
        assert.equal(new URL(otherVigieFrame.url()).origin, t.origin);
        // The probe listener lives in the top page, set before the other frame posts; only the sending frame differs.
        await evaluate(
          page,
          `void (window.probeIn = new Promise((resolve) => {
          const done = (event) => { if (event.data === 'probe') { window.removeEventListener('message', done); resolve(); } };
          window.addEventListener('message', done);
        }))`,
        );
        await within(
          'post from another Vigie frame',
          otherVigieFrame.evaluate(
            `window.top.postMessage({ type: 'vigie-feedback', event: 'close' }, '*'); window.top.postMessage('probe', '*');`,
          ),
        );
        await evaluate(page, `window.probeIn`);
        assert.ok(await dialog.isVisible(), 'a message from another frame of Vigie’s origin closed the dialog');
        await evaluate(page, `document.querySelector('iframe[name=other-vigie-frame]').remove()`);

        // Escape from the page itself (focus on the dialog's button).
        await dialog.getByRole('button', { name: 'Fermer la fenêtre « Je donne mon avis »' }).focus();
        await press(page, 'Escape');
        await closed('Escape on the page');

        // The questionnaire inside the frame can be answered (framing allowed for these pages only).
        const before = await t.db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM feedback_answers WHERE question = 'satisfaction' AND option_id = 'good'`,
        );
        await press(page, 'Enter');
        await dialog.waitFor();
        let frame = await widgetFrame(page, 'Étape 1 sur 4');
        await frame.getByLabel('Très bien').check({ force: true });
        await frame.getByRole('button', { name: 'Continuer' }).click();
        frame = await widgetFrame(page, 'Étape 2 sur 4');
        const after = await t.db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM feedback_answers WHERE question = 'satisfaction' AND option_id = 'good'`,
        );
        assert.equal(after.rows[0].n, before.rows[0].n + 1, 'the answer given in the frame was not recorded');

        // Escape from inside the frame (relayed to the page by postMessage).
        await frame.getByRole('radio').first().focus();
        await press(page, 'Escape');
        await closed('Escape in the frame');

        // It opens again at once, the closed one gone; its button closes it too; a closed dialog (hidden at once, so
        // that its frame outlives the keystroke that closed it) is removed from the page shortly after.
        await press(page, 'Enter');
        await dialog.waitFor();
        assert.equal(
          await evaluate(page, `document.querySelectorAll('[data-vigie-avis-overlay]').length`),
          1,
          'the closed dialog is still in the page',
        );
        await dialog.getByRole('button', { name: 'Fermer la fenêtre « Je donne mon avis »' }).click();
        await closed('the close button');
        await page.locator('[data-vigie-avis-overlay]').waitFor({ state: 'detached' });
      } finally {
        await within('context.close', context.close());
      }
    });
  });
}
