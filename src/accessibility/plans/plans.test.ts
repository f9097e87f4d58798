import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { TEST_TARGETS } from '../../../test/helpers/db.ts';
import { clientWithGrants } from '../../../test/helpers/users.ts';
import { todayInParis } from '../../kernel/web/format.ts';
import { addMonths } from '../declarations/validity.ts';
import {
  addAction,
  addMilestone,
  createPlan,
  orgDashboard,
  overdueDigestText,
  updateAction,
  updateActionStatus,
  updateMilestone,
  updateMilestoneStatus,
} from './queries.ts';

for (const target of TEST_TARGETS) {
  describe(`accessibility plans, roadmaps and dashboards (${target})`, () => {
    let t: TestApp;
    let ministryId: number;
    let procedures: number[];
    const today = todayInParis();

    before(async () => {
      t = await createTestApp(target);
      const m = await t.db.query(`INSERT INTO ministries (code, name) VALUES ('PLANM', 'Ministère des plans') RETURNING id`);
      ministryId = Number(m.rows[0].id);
      const a = await t.db.query(
        `INSERT INTO administrations (ministry_id, code, name) VALUES ($1, 'PLANA', 'Direction des plans') RETURNING id`,
        [ministryId],
      );
      procedures = [];
      for (let i = 1; i <= 4; i++) {
        const p = await t.db.query(
          `INSERT INTO procedures (stable_id, slug, title, administration_id, in_scope) VALUES ($1, $2, $3, $4, true) RETURNING id`,
          [`PLAN-${i}`, `plan-${i}`, `Démarche ${i}`, a.rows[0].id],
        );
        procedures.push(Number(p.rows[0].id));
      }
    });
    after(() => t?.close());

    test('a referent creates a plan of at most 3 years, adds actions; the public pages show each year with the previous year’s results', async () => {
      const referent = await clientWithGrants(t.app, t.db, [{ role: 'ministry_referent', ministryId }]);
      const editor = await clientWithGrants(t.app, t.db, [{ role: 'procedure_editor', procedureId: procedures[0] }]);
      assert.equal((await editor.get(`/rgaa/ministeres/${ministryId}`)).statusCode, 403);
      const tooLong = await referent.post(`/rgaa/ministeres/${ministryId}/plans`, {
        title: 'Schéma',
        start_year: '2025',
        end_year: '2028',
      });
      assert.equal(tooLong.statusCode, 400);
      assert.match(tooLong.body, /Le schéma dure trois ans au plus/);
      assert.equal((await t.db.query('SELECT count(*)::int AS n FROM accessibility_plans')).rows[0].n, 0);
      assert.equal(
        (
          await referent.post(`/rgaa/ministeres/${ministryId}/plans`, {
            title: 'Schéma 2025–2027',
            start_year: '2025',
            end_year: '2027',
            policy: 'Une référente.',
            publish: 'oui',
          })
        ).statusCode,
        303,
      );
      const planId = Number((await t.db.query('SELECT id FROM accessibility_plans')).rows[0].id);
      const add = (fields: Record<string, string>) =>
        referent.post(`/rgaa/ministeres/${ministryId}/plans/actions`, { plan_id: String(planId), ...fields });
      assert.equal(
        (
          await add({
            year: '2025',
            title: 'Audit de la démarche 1',
            kind: 'audit',
            procedure_id: String(procedures[0]),
            status: 'done',
            due_on: '2025-04-30',
          })
        ).statusCode,
        303,
      );
      assert.equal((await add({ year: '2025', title: 'Formation', kind: 'training', status: 'planned' })).statusCode, 303);
      assert.equal(
        (
          await add({
            year: '2026',
            title: 'Corrections de la démarche 1',
            kind: 'fixes',
            procedure_id: String(procedures[0]),
            status: 'planned',
          })
        ).statusCode,
        303,
      );
      const bad = await add({ year: '2030', title: '', kind: 'voyage' });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /L’année doit être comprise entre 2025 et 2027/);
      const actionId = (await t.db.query(`SELECT id FROM accessibility_plan_actions WHERE title = 'Audit de la démarche 1'`)).rows[0].id;
      assert.equal(
        (
          await referent.post(`/rgaa/ministeres/${ministryId}/plans/actions/statut`, {
            plan_id: String(planId),
            action_id: String(actionId),
            status: 'done',
            result: 'Taux mesuré : 62 %',
          })
        ).statusCode,
        303,
      );
      const year = await t.app.inject(`/plans-accessibilite/${planId}/plan-annuel/2026`);
      assert.equal(year.statusCode, 200);
      assert.match(year.body, /Corrections de la démarche 1/);
      assert.match(year.body, /Bilan des actions de 2025/);
      assert.match(year.body, /1 action réalisée sur 2/);
      assert.match(year.body, /Taux mesuré : 62 %/);
      assert.equal((await t.app.inject(`/plans-accessibilite/${planId}/plan-annuel/2031`)).statusCode, 404);
      const plan = await t.app.inject(`/plans-accessibilite/${planId}`);
      assert.match(plan.body, /Plan d’action 2027/);
      const api = (await t.app.inject(`/api/v1/accessibility/plans/${planId}`)).json();
      assert.equal(api.actions.length, 3);
      const journal = await t.db.query(`SELECT action FROM audit_log WHERE entity_type = 'accessibility_plan' ORDER BY id`);
      assert.deepEqual(
        journal.rows.map((r) => r.action),
        [
          'accessibility.plan.create',
          'accessibility.plan_action.create',
          'accessibility.plan_action.create',
          'accessibility.plan_action.create',
          'accessibility.plan_action.update',
        ],
      );
    });

    test('a plan’s action and a roadmap’s milestone are edited after creation; bad input refused, nothing written; journal', async () => {
      const referent = await clientWithGrants(t.app, t.db, [{ role: 'ministry_referent', ministryId }]);
      const planId = Number((await t.db.query('SELECT id FROM accessibility_plans ORDER BY id LIMIT 1')).rows[0].id);
      const action = (await t.db.query(`SELECT id FROM accessibility_plan_actions WHERE title = 'Formation'`)).rows[0];
      const url = `/rgaa/ministeres/${ministryId}/plans/actions/modifier`;
      const form = await referent.get(`${url}?action=${action.id}`);
      assert.equal(form.statusCode, 200);
      assert.match(form.body, /value="Formation"/);
      const bad = await referent.post(url, {
        plan_id: String(planId),
        action_id: String(action.id),
        year: '2031',
        title: '',
        kind: 'training',
        status: 'planned',
      });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /L’année doit être comprise entre 2025 et 2027/);
      assert.match(bad.body, /Donnez un intitulé à l’action/);
      const row = async () =>
        (
          await t.db.query('SELECT year, title, kind, procedure_id, owner, due_on, status FROM accessibility_plan_actions WHERE id = $1', [
            action.id,
          ])
        ).rows[0];
      assert.deepEqual(await row(), {
        year: 2025,
        title: 'Formation',
        kind: 'training',
        procedure_id: null,
        owner: '',
        due_on: null,
        status: 'planned',
      });
      const ok = await referent.post(url, {
        plan_id: String(planId),
        action_id: String(action.id),
        year: '2026',
        title: 'Formation des équipes de la démarche 2',
        kind: 'training',
        procedure_id: String(procedures[1]),
        owner: 'Mission accessibilité',
        due_on: '2026-06-30',
        status: 'in_progress',
      });
      assert.equal(ok.statusCode, 303);
      assert.deepEqual(await row(), {
        year: 2026,
        title: 'Formation des équipes de la démarche 2',
        kind: 'training',
        procedure_id: procedures[1],
        owner: 'Mission accessibilité',
        due_on: '2026-06-30',
        status: 'in_progress',
      });
      const entry = (
        await t.db.query(`SELECT before, after FROM audit_log WHERE action = 'accessibility.plan_action.update' ORDER BY id DESC LIMIT 1`)
      ).rows[0];
      const after = typeof entry.after === 'string' ? JSON.parse(entry.after) : entry.after;
      assert.equal(after.title, 'Formation des équipes de la démarche 2');
      // Another organisation's referent cannot reach it.
      const m2 = await t.db.query(`INSERT INTO ministries (code, name) VALUES ('PLANM2', 'Autre ministère') RETURNING id`);
      const stranger = await clientWithGrants(t.app, t.db, [{ role: 'ministry_referent', ministryId: Number(m2.rows[0].id) }]);
      assert.equal((await stranger.get(`/rgaa/ministeres/${m2.rows[0].id}/plans/actions/modifier?action=${action.id}`)).statusCode, 404);

      // A milestone.
      const editor = await clientWithGrants(t.app, t.db, [{ role: 'procedure_editor', procedureId: procedures[3] }]);
      const base = `/rgaa/demarches/${procedures[3]}/feuille-de-route`;
      assert.equal(
        (await editor.post(`${base}/jalons`, { title: 'Audit initial', kind: 'audit', due_on: '2027-01-31', status: 'planned' }))
          .statusCode,
        303,
      );
      const milestoneId = (await t.db.query('SELECT id FROM accessibility_milestones WHERE procedure_id = $1', [procedures[3]])).rows[0].id;
      assert.equal((await editor.get(`${base}/jalons/modifier?jalon=${milestoneId}`)).statusCode, 200);
      const badM = await editor.post(`${base}/jalons/modifier`, {
        milestone_id: String(milestoneId),
        title: 'Audit',
        kind: 'audit',
        due_on: '31/01/2027',
        status: 'planned',
      });
      assert.equal(badM.statusCode, 400);
      assert.match(badM.body, /Saisissez la date prévue au format AAAA-MM-JJ/);
      const okM = await editor.post(`${base}/jalons/modifier`, {
        milestone_id: String(milestoneId),
        title: 'Audit complet initial',
        kind: 'audit',
        owner: 'Cabinet',
        due_on: '2027-02-28',
        status: 'done',
      });
      assert.equal(okM.statusCode, 303);
      const m = (
        await t.db.query('SELECT title, owner, due_on, status, done_on FROM accessibility_milestones WHERE id = $1', [milestoneId])
      ).rows[0];
      assert.deepEqual(
        [m.title, m.owner, m.due_on, m.status, m.done_on],
        ['Audit complet initial', 'Cabinet', '2027-02-28', 'done', today],
      );
      assert.equal(
        (
          await t.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'accessibility.milestone.update' AND entity_id = $1`, [
            String(procedures[3]),
          ])
        ).rows[0].n,
        1,
      );
      // Another procedure's milestone is not found through this one.
      const other = await clientWithGrants(t.app, t.db, [{ role: 'procedure_editor', procedureId: procedures[2] }]);
      assert.equal(
        (await other.get(`/rgaa/demarches/${procedures[2]}/feuille-de-route/jalons/modifier?jalon=${milestoneId}`)).statusCode,
        404,
      );
    });

    test('a roadmap: target date, milestones, overdue flagged; the ministry’s dashboard counts by hand', async () => {
      const editor = await clientWithGrants(t.app, t.db, [{ role: 'procedure_editor', procedureId: procedures[0] }]);
      const base = `/rgaa/demarches/${procedures[0]}/feuille-de-route`;
      assert.equal((await editor.post(base, { target_on: '2027-06-30', notes: '' })).statusCode, 303);
      const past = addMonths(today, -1);
      assert.equal(
        (await editor.post(`${base}/jalons`, { title: 'Corrections bloquantes', kind: 'fixes', due_on: past, status: 'in_progress' }))
          .statusCode,
        303,
      );
      assert.equal(
        (await editor.post(`${base}/jalons`, { title: 'Contre-audit', kind: 'reaudit', due_on: addMonths(today, 3), status: 'planned' }))
          .statusCode,
        303,
      );
      assert.equal((await editor.post(`${base}/jalons`, { title: '', kind: 'fixes', due_on: '31/12/2026' })).statusCode, 400);
      const page = await editor.get(base);
      assert.match(page.body, /Jalons en retard[\s\S]*Corrections bloquantes/);
      assert.match(page.body, /<svg role="img"/);
      assert.match(page.body, /Corrections bloquantes \(En cours, <strong>en retard<\/strong>\)/);
      // Declarations by hand: procedure 1 valid at 100 %, procedure 2 valid at 60 %, procedure 3 expired, procedure 4 none.
      const content = (rate: number, label: string) =>
        JSON.stringify({
          procedure: {},
          conformity: { label },
          results: { rate },
          contact: { email: 'a@b.fr' },
          establishment: { pages: [{ name: 'Accueil' }] },
          audit: { rgaaVersion: '4.1.2', publishedOn: today, finishedOn: today },
        });
      const insert = (p: number, rate: number, label: string, publishedAgo: string) =>
        t.db.query(`INSERT INTO accessibility_declarations (procedure_id, published, published_at) VALUES ($1, $2, now() - $3::interval)`, [
          p,
          content(rate, label),
          publishedAgo,
        ]);
      await insert(procedures[0], 100, 'totalement_conforme', '1 day');
      await insert(procedures[1], 60, 'partiellement_conforme', '10 days');
      await insert(procedures[2], 80, 'partiellement_conforme', '37 months');
      const d = await orgDashboard(t.db, { kind: 'ministry', id: ministryId }, today);
      assert.equal(d.counted, 4);
      assert.equal(d.withValidDeclaration, 2);
      assert.equal(d.totallyConforming, 1);
      assert.equal(d.averageRate, 80); // (100 + 60) / 2
      assert.deepEqual(d.labels, { totalement_conforme: 1, partiellement_conforme: 1, non_conforme: 0, none: 2 });
      assert.deepEqual(
        d.overdue.map((o) => o.milestone.title),
        ['Corrections bloquantes'],
      );
      assert.deepEqual([d.goals.first, d.goals.final], [80, 100]);
      const referent = await clientWithGrants(t.app, t.db, [{ role: 'ministry_referent', ministryId }]);
      const dash = await referent.get(`/rgaa/ministeres/${ministryId}`);
      assert.match(dash.body, /Avec une déclaration d’accessibilité valide : 2 \(50 %\)/);
      assert.match(dash.body, /Totalement conformes : 1 \(25 %\) ; objectif 80 %/);
      assert.match(dash.body, /Taux moyen de conformité des déclarations valides : 80 %/);
      assert.match(dash.body, /Feuilles de route \(alternative textuelle de la frise\)/);
      const roadmap = (await t.app.inject('/api/v1/accessibility/roadmaps/PLAN-1')).json();
      assert.equal(roadmap.targetOn, '2027-06-30');
      assert.equal(roadmap.milestones.filter((m: { overdue: boolean }) => m.overdue).length, 1);
    });

    test('each edit of an action or a milestone writes one journal entry with the fields before and after; another owner’s row is refused, nothing written', async () => {
      const last = async () => {
        const r = (
          await t.db.query('SELECT action, entity_type, entity_id, actor_label, before, after FROM audit_log ORDER BY id DESC LIMIT 1')
        ).rows[0];
        const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);
        return { ...r, before: json(r.before), after: json(r.after) };
      };
      const count = async () => (await t.db.query('SELECT count(*)::int AS n FROM audit_log')).rows[0].n;
      const org = { kind: 'ministry' as const, id: ministryId };
      const planId = await createPlan(t.db, {
        org,
        title: 'Journal',
        startYear: 2025,
        endYear: 2027,
        policy: '',
        publish: false,
        actor: null,
      });
      const actionId = await addAction(t.db, {
        planId,
        year: 2025,
        procedureId: null,
        kind: 'audit',
        title: 'Audit global',
        owner: 'Mission',
        startsOn: '2025-01-01',
        dueOn: '2025-03-31',
        status: 'planned',
        actor: null,
      });
      const edit = {
        year: 2026,
        procedureId: procedures[2],
        kind: 'fixes' as const,
        title: 'Corrections',
        owner: 'Cabinet',
        startsOn: null,
        dueOn: '2026-06-30',
        status: 'in_progress' as const,
        actor: null,
      };
      assert.equal(await updateAction(t.db, { planId, actionId, ...edit }), true);
      assert.deepEqual(await last(), {
        action: 'accessibility.plan_action.update',
        entity_type: 'accessibility_plan',
        entity_id: String(planId),
        actor_label: 'système',
        before: {
          actionId,
          year: 2025,
          procedureId: null,
          kind: 'audit',
          title: 'Audit global',
          owner: 'Mission',
          startsOn: '2025-01-01',
          dueOn: '2025-03-31',
          status: 'planned',
        },
        after: {
          actionId,
          year: 2026,
          procedureId: procedures[2],
          kind: 'fixes',
          title: 'Corrections',
          owner: 'Cabinet',
          startsOn: null,
          dueOn: '2026-06-30',
          status: 'in_progress',
        },
      });
      // Edited again from there, the journal's « before » is the previous edit (the procedure read back as a number).
      assert.equal(await updateAction(t.db, { planId, actionId, ...edit, procedureId: null }), true);
      assert.equal((await last()).before.procedureId, procedures[2]);
      assert.equal(await updateActionStatus(t.db, { planId, actionId, status: 'done', result: 'Fait à 80 %', actor: null }), true);
      assert.deepEqual(await last(), {
        action: 'accessibility.plan_action.update',
        entity_type: 'accessibility_plan',
        entity_id: String(planId),
        actor_label: 'système',
        before: { actionId, status: 'in_progress', result: '' },
        after: { actionId, status: 'done', result: 'Fait à 80 %' },
      });
      const entries = await count();
      const otherPlan = await createPlan(t.db, {
        org,
        title: 'Autre',
        startYear: 2025,
        endYear: 2025,
        policy: '',
        publish: false,
        actor: null,
      });
      assert.equal(await updateAction(t.db, { planId: otherPlan, actionId, ...edit, title: 'Détourné' }), false);
      assert.equal(await updateActionStatus(t.db, { planId: otherPlan, actionId, status: 'cancelled', result: '', actor: null }), false);
      assert.equal(await count(), entries + 1, 'only the other plan’s creation is journaled');
      assert.deepEqual(
        (await t.db.query('SELECT title, status, result FROM accessibility_plan_actions WHERE id = $1', [actionId])).rows[0],
        { title: 'Corrections', status: 'done', result: 'Fait à 80 %' },
      );

      const procedureId = procedures[2];
      const milestoneId = await addMilestone(t.db, {
        procedureId,
        kind: 'audit',
        title: 'Audit',
        owner: '',
        dueOn: '2027-01-31',
        status: 'planned',
        actor: null,
      });
      const milestone = async () =>
        (await t.db.query('SELECT title, status, done_on FROM accessibility_milestones WHERE id = $1', [milestoneId])).rows[0];
      const change = { kind: 'reaudit' as const, title: 'Contre-audit', owner: 'Prestataire', dueOn: '2027-02-28', actor: null };
      assert.equal(await updateMilestone(t.db, { procedureId, milestoneId, ...change, status: 'done', today: '2027-02-01' }), true);
      assert.deepEqual(await last(), {
        action: 'accessibility.milestone.update',
        entity_type: 'procedure',
        entity_id: String(procedureId),
        actor_label: 'système',
        before: { milestoneId, kind: 'audit', title: 'Audit', owner: '', dueOn: '2027-01-31', status: 'planned' },
        after: { milestoneId, kind: 'reaudit', title: 'Contre-audit', owner: 'Prestataire', dueOn: '2027-02-28', status: 'done' },
      });
      assert.deepEqual(await milestone(), { title: 'Contre-audit', status: 'done', done_on: '2027-02-01' });
      // Still done when edited later: it keeps its done date.
      assert.equal(await updateMilestone(t.db, { procedureId, milestoneId, ...change, status: 'done', today: '2027-05-01' }), true);
      assert.equal((await milestone()).done_on, '2027-02-01');
      assert.equal(
        await updateMilestoneStatus(t.db, { procedureId, milestoneId, status: 'in_progress', today: '2027-05-02', actor: null }),
        true,
      );
      assert.deepEqual(await last(), {
        action: 'accessibility.milestone.update',
        entity_type: 'procedure',
        entity_id: String(procedureId),
        actor_label: 'système',
        before: { milestoneId, status: 'done' },
        after: { milestoneId, status: 'in_progress' },
      });
      assert.deepEqual(await milestone(), { title: 'Contre-audit', status: 'in_progress', done_on: null });
      assert.equal(await updateMilestoneStatus(t.db, { procedureId, milestoneId, status: 'done', today: '2027-05-03', actor: null }), true);
      assert.equal((await milestone()).done_on, '2027-05-03');
      const before = await count();
      const elsewhere = { procedureId: procedures[3], milestoneId, today: '2027-06-01', actor: null };
      assert.equal(await updateMilestone(t.db, { ...elsewhere, ...change, title: 'Détourné', status: 'planned' }), false);
      assert.equal(await updateMilestoneStatus(t.db, { ...elsewhere, status: 'cancelled' }), false);
      assert.equal(await count(), before);
      assert.deepEqual(await milestone(), { title: 'Contre-audit', status: 'done', done_on: '2027-05-03' });
    });
  });
}

describe('a large organisation’s dashboard (pglite)', () => {
  test('counts every procedure but lists 50 a page, with the milestones of the listed ones; the page shows its pagination', async () => {
    const t = await createTestApp('pglite');
    try {
      const m = await t.db.query(`INSERT INTO ministries (code, name) VALUES ('GRANDM', 'Grand ministère') RETURNING id`);
      const ministryId = Number(m.rows[0].id);
      const a = await t.db.query(
        `INSERT INTO administrations (ministry_id, code, name) VALUES ($1, 'GRANDA', 'Grande direction') RETURNING id`,
        [ministryId],
      );
      // 60 procedures « Démarche 01 » … « Démarche 60 », each with a roadmap and one planned milestone.
      await t.db.query(
        `INSERT INTO procedures (stable_id, slug, title, administration_id, in_scope)
         SELECT 'GRAND-' || i, 'grand-' || i, 'Démarche ' || lpad(i::text, 2, '0'), $1, true FROM generate_series(1, 60) AS i`,
        [a.rows[0].id],
      );
      await t.db.query(
        `INSERT INTO accessibility_roadmaps (procedure_id, target_on) SELECT id, DATE '2027-06-30' FROM procedures WHERE stable_id LIKE 'GRAND-%'`,
      );
      await t.db.query(
        `INSERT INTO accessibility_milestones (procedure_id, kind, title, due_on) SELECT id, 'audit', 'Audit de ' || title, DATE '2027-01-31' FROM procedures WHERE stable_id LIKE 'GRAND-%'`,
      );
      const first = await orgDashboard(t.db, { kind: 'ministry', id: ministryId }, '2026-12-03');
      assert.equal(first.counted, 60);
      assert.deepEqual([first.listed.page, first.listed.pages, first.listed.procedures.length], [1, 2, 50]);
      const second = await orgDashboard(t.db, { kind: 'ministry', id: ministryId }, '2026-12-03', 2);
      assert.deepEqual(
        second.listed.procedures.map((p) => p.title),
        Array.from({ length: 10 }, (_, i) => `Démarche ${51 + i}`),
      );
      assert.deepEqual(
        second.listed.procedures[0].roadmap!.milestones.map((x) => x.title),
        ['Audit de Démarche 51'],
      );
      assert.equal(second.procedures.filter((p) => p.roadmap).length, 10, 'milestones read for the listed page only');
      const referent = await clientWithGrants(t.app, t.db, [{ role: 'ministry_referent', ministryId }]);
      const page = await referent.get(`/rgaa/ministeres/${ministryId}?page=2`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /démarches 51 à 60 sur 60/);
      assert.match(page.body, /<nav role="navigation" class="fr-pagination[ "]/);
    } finally {
      await t.close();
    }
  });
});

describe('the accessibility section of the feedback digest (registered in module.ts)', () => {
  test('a procedure with an overdue milestone gets a paragraph, one without gets none', async () => {
    const t = await createTestApp('pglite');
    try {
      const m = await t.db.query(`INSERT INTO ministries (code, name) VALUES ('DIGM', 'M') RETURNING id`);
      const a = await t.db.query(`INSERT INTO administrations (ministry_id, code, name) VALUES ($1, 'DIGA', 'A') RETURNING id`, [
        m.rows[0].id,
      ]);
      const p = await t.db.query(
        `INSERT INTO procedures (stable_id, slug, title, administration_id) VALUES ('DIG-1', 'dig-1', 'Démarche', $1) RETURNING id`,
        [a.rows[0].id],
      );
      const id = Number(p.rows[0].id);
      assert.equal(await overdueDigestText(t.db, id, '2026-12-03', 'https://vigie.test'), null);
      await t.db.query(`INSERT INTO accessibility_roadmaps (procedure_id) VALUES ($1)`, [id]);
      // Overdue: planned or in progress, due before today. « Audit » is due today (not late), « Formation » is done.
      await t.db.query(
        `INSERT INTO accessibility_milestones (procedure_id, kind, title, due_on, status, done_on) VALUES
           ($1, 'fixes', 'Corrections', '2026-12-02', 'in_progress', NULL), ($1, 'audit', 'Audit', '2026-12-03', 'planned', NULL),
           ($1, 'training', 'Formation', '2026-01-01', 'done', '2026-01-01')`,
        [id],
      );
      assert.equal(
        await overdueDigestText(t.db, id, '2026-12-03', 'https://vigie.test'),
        `Accessibilité : 1 jalon en retard dans la feuille de route :\n- Corrections (corrections), prévu le 2026-12-02\nhttps://vigie.test/rgaa/demarches/${id}/feuille-de-route`,
      );
    } finally {
      await t.close();
    }
  });
});
