import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatViolations, runAxe, signInContext, startBrowserApp, type BrowserApp } from '../../../test/browser/browser.ts';
import { createTestUser } from '../../../test/helpers/users.ts';
import { todayInParis } from '../../kernel/web/format.ts';
import { publishedFullAudit } from '../testing.ts';
import { generateDeclaration, getDeclaration, publishDeclaration, saveDeclarationDraft } from './queries.ts';
import { addAction, addMilestone, createPlan, setRoadmap } from '../plans/queries.ts';

// Pages rendered the same way on both engines: one is enough for axe.
describe('the declarations, plans and roadmaps pages in a browser', () => {
  let t: BrowserApp;
  let ids: { ministry: number; administration: number; procedure: number; plan: number; action: number; milestone: number };
  before(async () => {
    t = await startBrowserApp('pglite');
    const db = t.db;
    const today = todayInParis();
    const m = await db.query(`INSERT INTO ministries (code, name) VALUES ('AXEM', 'Ministère des essais') RETURNING id`);
    const a = await db.query(
      `INSERT INTO administrations (ministry_id, code, name) VALUES ($1, 'AXEA', 'Agence des essais') RETURNING id`,
      [m.rows[0].id],
    );
    const p = await db.query(
      `INSERT INTO procedures (stable_id, slug, title, administration_id, in_scope) VALUES ('AXE-1', 'axe-1', 'Demande de titre', $1, true) RETURNING id`,
      [a.rows[0].id],
    );
    const procedureId = Number(p.rows[0].id);
    await publishedFullAudit(db, procedureId, today);
    const plan = await db.transaction(async (tx) => {
      await generateDeclaration(tx, { procedureId, actor: null });
      const row = (await getDeclaration(tx, procedureId))!;
      await saveDeclarationDraft(tx, {
        procedureId,
        expectedVersion: row.version,
        actor: null,
        fields: {
          organisation_name: 'Agence des essais',
          service_name: 'Demande de titre',
          engagement: '',
          technologies: 'HTML5',
          contact_email: 'a11y@essais.gouv.fr',
          contact_form_url: '',
          contact_page_url: '',
          non_conformity_notes: '',
          derogations: 'Carte interactive',
          exempted_contents: '',
        },
      });
      await publishDeclaration(tx, { procedureId, actor: null, today });
      const planId = await createPlan(tx, {
        org: { kind: 'ministry', id: Number(m.rows[0].id) },
        title: 'Schéma 2025–2027',
        startYear: 2025,
        endYear: 2027,
        policy: 'Politique.',
        publish: true,
        actor: null,
      });
      await addAction(tx, {
        planId,
        year: 2025,
        procedureId,
        kind: 'audit',
        title: 'Audit',
        owner: 'Mission',
        startsOn: '2025-01-01',
        dueOn: '2025-03-31',
        status: 'done',
        actor: null,
      });
      const fixes = await addAction(tx, {
        planId,
        year: 2026,
        procedureId,
        kind: 'fixes',
        title: 'Corrections',
        owner: 'Équipe',
        startsOn: null,
        dueOn: '2026-09-30',
        status: 'planned',
        actor: null,
      });
      await setRoadmap(tx, { procedureId, targetOn: '2027-06-30', notes: '', actor: null });
      await addMilestone(tx, {
        procedureId,
        kind: 'fixes',
        title: 'Corrections bloquantes',
        owner: '',
        dueOn: '2026-01-31',
        status: 'in_progress',
        actor: null,
      });
      const milestone = await addMilestone(tx, {
        procedureId,
        kind: 'reaudit',
        title: 'Contre-audit',
        owner: '',
        dueOn: '2027-03-31',
        status: 'planned',
        actor: null,
      });
      return { planId, fixes, milestone };
    });
    ids = {
      ministry: Number(m.rows[0].id),
      administration: Number(a.rows[0].id),
      procedure: procedureId,
      plan: plan.planId,
      action: plan.fixes,
      milestone: plan.milestone,
    };
  });
  after(() => t?.close());

  test('axe finds no violation on the public pages and the back-office pages, details opened', async () => {
    const adminId = await createTestUser(t.db, 'axe-decl@vigie.test', [{ role: 'admin' }]);
    const context = await t.newContext();
    try {
      await signInContext(t, context, adminId);
      const page = await context.newPage();
      const urls = [
        '/declarations-accessibilite/AXE-1',
        '/plans-accessibilite',
        `/plans-accessibilite/${ids.plan}`,
        `/plans-accessibilite/${ids.plan}/plan-annuel/2026`,
        '/rgaa',
        '/rgaa/regles',
        `/rgaa/ministeres/${ids.ministry}`,
        `/rgaa/administrations/${ids.administration}`,
        `/rgaa/demarches/${ids.procedure}/declaration`,
        `/rgaa/demarches/${ids.procedure}/feuille-de-route`,
        `/rgaa/ministeres/${ids.ministry}/plans/actions/modifier?action=${ids.action}`,
        `/rgaa/demarches/${ids.procedure}/feuille-de-route/jalons/modifier?jalon=${ids.milestone}`,
      ];
      for (const url of urls) {
        const res = await page.goto(url);
        assert.equal(res?.status(), 200, url);
        assert.equal(await page.locator('h1').count(), 1, url);
        await page.evaluate(() => {
          for (const d of document.querySelectorAll('details')) d.setAttribute('open', '');
        });
        const violations = await runAxe(page);
        assert.equal(violations.length, 0, formatViolations(url, violations));
      }
    } finally {
      await context.close();
    }
  });
});
