import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { TEST_TARGETS } from '../../../test/helpers/db.ts';
import { formatViolations, runAxe, signInContext, startBrowserApp, type BrowserApp } from '../../../test/browser/browser.ts';
import { createTestUser } from '../../../test/helpers/users.ts';
import { addPage, createAudit } from './queries.ts';
import { addItem, loadCell, publishAudit } from './work.ts';
import { createTestCatalog } from '../../catalog/testing.ts';

const BASE = '/audits-accessibilite';

async function axeClean(page: Page, what: string): Promise<void> {
  // Open every disclosure (tests, methodology, glossary) so that what they reveal is checked too.
  await page.evaluate(() => document.querySelectorAll('details').forEach((d) => d.setAttribute('open', '')));
  const violations = await runAxe(page);
  assert.equal(violations.length, 0, `${what}: ${formatViolations(page.url(), violations)}`);
}

for (const target of TEST_TARGETS) {
  describe(`accessibility audit grid in a browser (${target})`, () => {
    let t: BrowserApp;
    let auditId: number;
    let pages: number[];
    let alice: number;
    let bob: number;
    let publishedId: number;
    let procedureId: number;

    before(async () => {
      t = await startBrowserApp(target);
      const cat = await createTestCatalog(t.db, { prefix: 'navaudit' });
      alice = await createTestUser(t.db, 'alice@audit.gouv.fr', [{ role: 'procedure_editor', procedureId: cat.procedures[0] }], {
        displayName: 'Alice',
      });
      bob = await createTestUser(t.db, 'bob@audit.gouv.fr', [{ role: 'procedure_editor', procedureId: cat.procedures[0] }], {
        displayName: 'Bob',
      });
      ({ auditId, pages } = await t.db.transaction(async (tx) => {
        const id = await createAudit(tx, { procedureId: cat.procedures[0], type: 'fast', name: 'Audit navigateur', actor: null });
        const p = [
          await addPage(tx, { auditId: id, name: 'Accueil', url: 'https://exemple.gouv.fr/', kind: 'accueil', actor: null }),
          await addPage(tx, { auditId: id, name: 'Contact', url: 'https://exemple.gouv.fr/contact', kind: 'contact', actor: null }),
          await addPage(tx, { auditId: id, name: 'Éléments transverses', kind: 'transverse', actor: null }),
        ];
        await tx.query(`UPDATE accessibility_results SET status = 'NC' WHERE page_id = $1 AND criterion = '3.1'`, [p[1]]);
        await addItem(tx, {
          auditId: id,
          pageId: p[1],
          criterion: '3.1',
          description: 'Information donnée par la couleur seule',
          impact: 'majeur',
          quickWin: true,
          recommendation: 'Ajouter un texte',
          actor: null,
        });
        return { auditId: id, pages: p };
      }));
      procedureId = cat.procedures[0];
      publishedId = await t.db.transaction(async (tx) => {
        const id = await createAudit(tx, { procedureId, type: 'fast', name: 'Audit publié', actor: null });
        await addPage(tx, { auditId: id, name: 'Accueil', url: 'https://exemple.gouv.fr/', kind: 'accueil', actor: null });
        await tx.query(`UPDATE accessibility_results SET status = 'C' WHERE audit_id = $1`, [id]);
        await publishAudit(tx, id, null);
        return id;
      });
      // What users say, for the procedure's accessibility view: a published story and a verbatim about accessibility.
      const { rows: place } = await t.db.query(
        'SELECT a.id, a.ministry_id FROM procedures p JOIN administrations a ON a.id = p.administration_id WHERE p.id = $1',
        [procedureId],
      );
      await t.db.query(
        `INSERT INTO experiences (procedure_id, administration_id, ministry_id, body, search, channels, feeling, solved, consent, accessibility, status, published_at)
         VALUES ($1, $2, $3, 'Avec mon lecteur d’écran, le bouton n’est pas annoncé.', 'lecteur', '{en_ligne}', 'plutot_mal', false, true, true, 'published', now())`,
        [procedureId, place[0].id, place[0].ministry_id],
      );
      const form = (
        await t.db.query(`INSERT INTO feedback_forms (procedure_id, template, name) VALUES ($1, 'default', 'Avis') RETURNING id`, [
          procedureId,
        ])
      ).rows[0].id;
      const button = (
        await t.db.query(`INSERT INTO feedback_buttons (form_id, public_key, name) VALUES ($1, 'cle-navaudit', 'Bouton') RETURNING id`, [
          form,
        ])
      ).rows[0].id;
      await t.db.query(
        `INSERT INTO feedback_reviews (form_id, form_version, button_id, procedure_id, nonce, day, verbatim) VALUES ($1, 1, $2, $3, 'navaudit-1', current_date, 'Impossible au clavier.')`,
        [form, button, procedureId],
      );
    });
    after(() => t?.close());

    test('two auditors at once: the stale save is refused with the other value shown, neither is lost', async () => {
      const ca = await t.newContext();
      const cb = await t.newContext();
      try {
        await signInContext(t, ca, alice);
        await signInContext(t, cb, bob);
        const a = await ca.newPage();
        const b = await cb.newPage();
        await a.goto(`${BASE}/${auditId}/grille?page=${pages[0]}`);
        await b.goto(`${BASE}/${auditId}/grille?page=${pages[0]}`);
        // Alice sets 1.1 « Non conforme »: saved as she changes it.
        const aForm = a.locator('form[data-cell$=":1.1"]');
        await aForm.getByLabel('Statut du critère 1.1').selectOption('NC');
        await aForm.locator('.vigie-a11y-saved').filter({ hasText: 'Enregistré.' }).waitFor();
        assert.equal((await loadCell(t.db, auditId, pages[0], '1.1'))!.status, 'NC');
        // Bob, who saw the grid before, sets « Conforme »: refused, Alice's value shown, his kept in the form.
        const bForm = b.locator('form[data-cell$=":1.1"]');
        await bForm.getByLabel('Statut du critère 1.1').selectOption('C');
        const alert = bForm.locator('.vigie-a11y-conflict');
        await alert.waitFor();
        assert.match(
          await alert.innerText(),
          /Alice a enregistré « Non conforme » entre-temps\. Votre choix « Conforme » n’est pas enregistré\./,
        );
        assert.equal(await bForm.getByLabel('Statut du critère 1.1').inputValue(), 'C');
        assert.equal((await loadCell(t.db, auditId, pages[0], '1.1'))!.status, 'NC', 'Alice’s value stays');
        // Bob chooses to save his value instead, knowingly.
        await alert.getByRole('button', { name: 'Enregistrer ma valeur à la place' }).click();
        await bForm.locator('.vigie-a11y-saved').filter({ hasText: 'Enregistré.' }).waitFor();
        const cell = (await loadCell(t.db, auditId, pages[0], '1.1'))!;
        assert.equal(cell.status, 'C');
        assert.equal(cell.updatedBy, 'Bob');
        // Both changes are in the journal.
        const saves = await t.db.query(
          `SELECT actor_id FROM audit_log WHERE action = 'accessibility.result.save' AND entity_id = $1 ORDER BY id`,
          [String(auditId)],
        );
        assert.deepEqual(
          saves.rows.map((r) => Number(r.actor_id)),
          [alice, bob],
        );
      } finally {
        await ca.close();
        await cb.close();
      }
    });

    test('without JavaScript: each criterion’s own form, and the conflict page with both values', async () => {
      const ca = await t.newContext({ javaScriptEnabled: false });
      const cb = await t.newContext({ javaScriptEnabled: false });
      try {
        await signInContext(t, ca, alice);
        await signInContext(t, cb, bob);
        const a = await ca.newPage();
        const b = await cb.newPage();
        await a.goto(`${BASE}/${auditId}/grille?page=${pages[1]}`);
        await b.goto(`${BASE}/${auditId}/grille?page=${pages[1]}`);
        const aForm = a.locator('form[data-cell$=":1.1"]');
        await aForm.getByLabel('Statut du critère 1.1').selectOption('NA');
        await aForm.getByLabel('Note du critère 1.1').fill('Aucune image sur cette page.');
        await aForm.getByRole('button', { name: 'Enregistrer le critère 1.1' }).click();
        await a.waitForURL(/message=enregistre/);
        assert.match(await a.locator('#critere-1-1').innerText(), /non applicable/i);
        const bForm = b.locator('form[data-cell$=":1.1"]');
        await bForm.getByLabel('Statut du critère 1.1').selectOption('C');
        await bForm.getByRole('button', { name: 'Enregistrer le critère 1.1' }).click();
        await b.locator('h1', { hasText: 'modifié entre-temps' }).waitFor();
        assert.match(await b.locator('#valeur-enregistree').innerText(), /non applicable/i);
        assert.match(await b.locator('#votre-valeur').innerText(), /^conforme$/i);
        await b.getByRole('button', { name: 'Enregistrer ma valeur à la place' }).click();
        await b.waitForURL(/message=enregistre/);
        const cell = (await loadCell(t.db, auditId, pages[1], '1.1'))!;
        assert.equal(cell.status, 'C');
        assert.equal(cell.note, '', 'Bob chose his whole value (status and note), seeing Alice’s beside it');
      } finally {
        await ca.close();
        await cb.close();
      }
    });

    test('keyboard only: an auditor fills part of the grid without the mouse', async () => {
      const context = await t.newContext();
      try {
        await signInContext(t, context, alice);
        const page = await context.newPage();
        await page.goto(`${BASE}/${auditId}/grille?page=${pages[2]}`);
        /** Tabs until the element with this id has focus (at most 300 stops). */
        const tabTo = async (id: string) => {
          for (let i = 0; i < 300; i++) {
            await page.keyboard.press('Tab');
            if ((await page.evaluate(() => document.activeElement?.id)) === id) return;
          }
          assert.fail(`Tab never reached #${id}`);
        };
        // 1.1 on the transverse elements: « Conforme », by the keyboard alone (Alt+ArrowDown opens, arrows choose, Enter picks).
        await tabTo('c-1-1-statut');
        await page.keyboard.press('ArrowDown'); // NT → C
        await page.locator('form[data-cell$=":1.1"] .vigie-a11y-saved').filter({ hasText: 'Enregistré.' }).waitFor();
        // Then its note, saved when leaving the field.
        await page.keyboard.press('Tab');
        await page.keyboard.type('Alternatives pertinentes dans l’en-tête et le pied de page.');
        await page.keyboard.press('Tab');
        await page.waitForFunction(
          () => document.querySelector('form[data-cell$=":1.1"] .vigie-a11y-saved')?.textContent === 'Enregistré.',
        );
        // 3.1: « Non conforme » (three steps down: C, NC), applied to every page still untested.
        await tabTo('c-3-1-statut');
        await page.keyboard.press('ArrowDown');
        await page.keyboard.press('ArrowDown');
        // As a user does, wait for « Enregistré. » (both changes saved, one after the other) before going on.
        for (let i = 0; i < 300 && (await loadCell(t.db, auditId, pages[2], '3.1'))!.status !== 'NC'; i++) await page.waitForTimeout(100);
        await page.waitForFunction(
          () => document.querySelector('form[data-cell$=":3.1"] .vigie-a11y-saved')?.textContent === 'Enregistré.',
        );
        await page.keyboard.press('Tab');
        await page.keyboard.press('Tab');
        await page.keyboard.press('Space'); // « Appliquer aussi aux autres pages encore non testées »
        await page.keyboard.press('Tab');
        await page.keyboard.press('Enter'); // « Enregistrer le critère 3.1 »
        await page
          .locator('form[data-cell$=":3.1"] .vigie-a11y-saved')
          .filter({ hasText: /Appliqué à 1 autre page, 1 déjà testée/ })
          .waitFor();
        const c11 = (await loadCell(t.db, auditId, pages[2], '1.1'))!;
        assert.equal(c11.status, 'C');
        assert.equal(c11.note, 'Alternatives pertinentes dans l’en-tête et le pied de page.');
        assert.equal((await loadCell(t.db, auditId, pages[2], '3.1'))!.status, 'NC');
        assert.equal((await loadCell(t.db, auditId, pages[0], '3.1'))!.status, 'NC', 'applied to the untested page');
        assert.equal((await loadCell(t.db, auditId, pages[1], '3.1'))!.items.length, 1, 'the tested page keeps its own NC and item');
      } finally {
        await context.close();
      }
    });

    test('axe: no violation on the audit, the grid, a criterion, the report and the forms', async () => {
      const context = await t.newContext();
      try {
        await signInContext(t, context, alice);
        const page = await context.newPage();
        for (const url of [
          `${BASE}/demarches/${(await t.db.query('SELECT procedure_id FROM accessibility_audits WHERE id = $1', [auditId])).rows[0].procedure_id}`,
          `${BASE}/${auditId}`,
          `${BASE}/${auditId}/grille?page=${pages[1]}`,
          `${BASE}/${auditId}/grille?page=${pages[1]}&theme=3&statut=NC`,
          `${BASE}/${auditId}/cellule?page=${pages[1]}&critere=3.1`,
          `${BASE}/${auditId}/rapport`,
          `${BASE}/${auditId}/scans`,
          `${BASE}/${auditId}/pages/modifier?page=${pages[1]}`,
          `${BASE}/${auditId}/supprimer`,
          `${BASE}/demarches/${procedureId}/nouveau`,
          `${BASE}/${publishedId}`,
          `${BASE}/${publishedId}/grille`,
          `${BASE}/${publishedId}/rapport`,
        ]) {
          const res = await page.goto(url);
          assert.equal(res?.status(), 200, url);
          await axeClean(page, url);
        }
        // The conflict page (what a browser without JavaScript gets): a stale version posted natively (form.submit()
        // fires no submit event, so the script does not take it).
        await page.goto(`${BASE}/${auditId}/grille?page=${pages[1]}`);
        await page.evaluate(() => {
          const form = document.querySelector('form[data-cell$=":1.1"]') as HTMLFormElement;
          (form.elements.namedItem('version') as HTMLInputElement).value = '1';
          form.submit();
        });
        await page.locator('h1', { hasText: 'modifié entre-temps' }).waitFor();
        await axeClean(page, 'conflict page');
        // An outside auditor without an account invited: the audit page with the pending invitation, then the link's
        // page as the invitee opens it, and the same page with its errors.
        await page.goto(`${BASE}/${auditId}`);
        await page.getByLabel('Adresse électronique de l’auditeur').fill('invitee-navigateur@cabinet.fr');
        await page.getByRole('button', { name: 'Donner le droit d’auditeur' }).click();
        await page.getByText('Invitations en attente').waitFor();
        await axeClean(page, 'audit page with a pending invitation');
        const invitationLink = /(\/invitation-auditeur\/[A-Za-z0-9_-]+)/.exec(t.mails.at(-1)!.text)![1];
        const invited = await t.newContext();
        try {
          const p = await invited.newPage();
          assert.equal((await p.goto(invitationLink))?.status(), 200);
          await axeClean(p, 'invitation page');
          await p.getByLabel('Mot de passe', { exact: false }).first().fill('court');
          await p.getByRole('button', { name: 'Créer mon compte et accepter' }).click();
          await p.locator('h1', { hasText: 'Invitation à auditer' }).waitFor();
          await axeClean(p, 'invitation page with errors');
        } finally {
          await invited.close();
        }
        // A share link of the published audit, as anyone opens it.
        await page.goto(`${BASE}/${publishedId}`);
        await page.getByRole('button', { name: 'Créer un lien de partage' }).click();
        const link = await page.locator('#nouveau-lien').innerText();
        await axeClean(page, 'audit page with its new link');
        const anonymous = await t.newContext();
        try {
          const shared = await anonymous.newPage();
          const res = await shared.goto(new URL(link).pathname);
          assert.equal(res?.status(), 200);
          await axeClean(shared, 'shared report');
        } finally {
          await anonymous.close();
        }
      } finally {
        await context.close();
      }
    });
  });
}
