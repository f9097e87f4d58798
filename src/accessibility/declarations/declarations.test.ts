import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { TEST_TARGETS } from '../../../test/helpers/db.ts';
import { clientWithGrants, createTestUser } from '../../../test/helpers/users.ts';
import { publishedFullAudit } from '../testing.ts';
import { liveValues } from '../../observatoire/index.ts';
import { todayInParis } from '../../kernel/web/format.ts';
import { runExpiryWarnings } from './expiry.ts';
import { addMonths } from './validity.ts';

for (const target of TEST_TARGETS) {
  describe(`accessibility declarations (${target})`, () => {
    let t: TestApp;
    let procedureId: number;
    let otherProcedureId: number;
    let auditId: number;
    const today = todayInParis();

    before(async () => {
      t = await createTestApp(target);
      const db = t.db;
      const m = await db.query(`INSERT INTO ministries (code, name) VALUES ('DECLM', 'Ministère des essais') RETURNING id`);
      const a = await db.query(
        `INSERT INTO administrations (ministry_id, code, name) VALUES ($1, 'DECLA', 'Agence des essais') RETURNING id`,
        [m.rows[0].id],
      );
      const p = await db.query(
        `INSERT INTO procedures (stable_id, slug, title, administration_id, url, in_scope) VALUES ('DECL-1', 'decl-1', 'Demande de titre', $1, 'https://titres.exemple.gouv.fr', true) RETURNING id`,
        [a.rows[0].id],
      );
      const o = await db.query(
        `INSERT INTO procedures (stable_id, slug, title, administration_id) VALUES ('DECL-2', 'decl-2', 'Autre démarche', $1) RETURNING id`,
        [a.rows[0].id],
      );
      procedureId = Number(p.rows[0].id);
      otherProcedureId = Number(o.rows[0].id);
      // The figures of this audit are computed by hand in src/accessibility/testing.ts: 75 %, average 83 %.
      auditId = await publishedFullAudit(db, procedureId, today);
    });
    after(() => t?.close());

    test('an editor generates the declaration from the published full audit, completes it and publishes it; readers cannot', async () => {
      const editor = await clientWithGrants(t.app, t.db, [{ role: 'procedure_editor', procedureId }]);
      const reader = await clientWithGrants(t.app, t.db, [{ role: 'procedure_reader', procedureId }]);
      assert.equal((await reader.get(`/rgaa/demarches/${procedureId}/declaration`)).statusCode, 403);
      assert.equal((await editor.get(`/rgaa/demarches/${otherProcedureId}/declaration`)).statusCode, 403);
      const page = await editor.get(`/rgaa/demarches/${procedureId}/declaration`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Dernier audit complet publié : Audit complet 2026/);
      assert.equal((await editor.post(`/rgaa/demarches/${procedureId}/declaration/generer`)).statusCode, 303);
      // Publishing without a contact is refused, nothing written.
      const refused = await editor.post(`/rgaa/demarches/${procedureId}/declaration/publier`);
      assert.equal(refused.statusCode, 400);
      assert.match(refused.body, /Indiquez une adresse électronique ou un formulaire de contact/);
      const form = await editor.get(`/rgaa/demarches/${procedureId}/declaration`);
      const version = /name="version" value="(\d+)"/.exec(form.body)![1];
      assert.equal(version, '1');
      const bad = await editor.post(`/rgaa/demarches/${procedureId}/declaration`, {
        version,
        contact_email: 'pas-une-adresse',
        organisation_name: 'Agence des essais',
      });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /Saisissez une adresse électronique valide/);
      const ok = await editor.post(`/rgaa/demarches/${procedureId}/declaration`, {
        version,
        organisation_name: 'Agence des essais',
        service_name: 'Demande de titre',
        contact_email: 'accessibilite@essais.gouv.fr',
        technologies: 'HTML5\nCSS',
        derogations: 'Carte interactive : charge disproportionnée, adresse donnée en texte',
        exempted_contents: '',
      });
      assert.equal(ok.statusCode, 303);
      // A stale form (the version seen before that save) is refused and the saved value kept.
      const stale = await editor.post(`/rgaa/demarches/${procedureId}/declaration`, {
        version,
        organisation_name: 'Autre nom',
        contact_email: 'x@y.fr',
      });
      assert.equal(stale.statusCode, 409);
      assert.equal(
        (await t.db.query('SELECT organisation_name FROM accessibility_declarations WHERE procedure_id = $1', [procedureId])).rows[0]
          .organisation_name,
        'Agence des essais',
      );
      assert.equal((await editor.post(`/rgaa/demarches/${procedureId}/declaration/publier`)).statusCode, 303);
      const journal = await t.db.query(
        `SELECT action FROM audit_log WHERE action LIKE 'accessibility.declaration.%' AND entity_id = $1 ORDER BY id`,
        [String(procedureId)],
      );
      assert.deepEqual(
        journal.rows.map((r) => r.action),
        ['accessibility.declaration.generate', 'accessibility.declaration.update', 'accessibility.declaration.publish'],
      );
    });

    test('the public page holds every legal section in order, the figures computed by hand, and the footer mention', async () => {
      const res = await t.app.inject('/declarations-accessibilite/DECL-1');
      assert.equal(res.statusCode, 200);
      const b = res.body;
      const order = [
        's’engage à rendre',
        'Cette déclaration d’accessibilité s’applique à',
        'id="etat-de-conformite"',
        'id="resultats-des-tests"',
        'id="contenus-non-accessibles"',
        'Dérogations pour charge disproportionnée',
        'Contenus non soumis',
        'id="etablissement"',
        'Environnement de test',
        'Outils utilisés',
        'Pages du site',
        'id="contact"',
        'id="voies-de-recours"',
      ];
      const positions = order.map((s) => b.indexOf(s));
      assert.ok(
        positions.every((p) => p > 0),
        `every section present: ${order.filter((_, i) => positions[i] < 0)}`,
      );
      assert.deepEqual(
        [...positions].sort((x, y) => x - y),
        positions,
        'sections in the legal order',
      );
      assert.match(b, /est <strong>partiellement conforme<\/strong>/);
      assert.match(b, /<strong>75 %<\/strong> des critères RGAA sont respectés \(3 sur 4 critères applicables\)/);
      assert.match(b, /le taux moyen de conformité du service en ligne s’élève à 83 %/);
      assert.match(b, /Critère 8\.5 : Chaque page web a-t-elle un titre de page\u00a0\? \(Accueil\)/);
      assert.match(b, /Accueil : La page n’a pas de titre/);
      assert.match(b, /NVDA 2024\.4 · Firefox 133 · Windows 11/);
      assert.match(b, /Carte interactive : charge disproportionnée/);
      assert.match(b, /Défenseur des droits/);
      assert.match(b, /par la société Access42/);
      // Valid three years from today.
      assert.match(b, />Valide<\/span>/);
      const json = await t.app.inject('/api/v1/accessibility/declarations/DECL-1');
      const body = json.json();
      assert.equal(body.declaration.results.rate, 75);
      assert.equal(body.declaration.results.averageRate, 83);
      assert.equal(body.validity.expiresOn, addMonths(today, 36));
      assert.equal(body.validity.valid, true);
      const list = (await t.app.inject('/api/v1/accessibility/declarations')).json();
      assert.deepEqual(
        list.items.map((i: { procedure: string; rate: number; valid: boolean }) => [i.procedure, i.rate, i.valid]),
        [['DECL-1', 75, true]],
      );
      const summary = (await t.app.inject(`/api/v1/accessibility/audits/${auditId}`)).json();
      assert.deepEqual(
        [summary.rate, summary.label, summary.applicable, summary.respected, summary.criteria],
        [75, 'partiellement_conforme', 4, 3, 106],
      );
      assert.equal((await t.app.inject('/declarations-accessibilite/DECL-2')).statusCode, 404);
      const editor = await clientWithGrants(t.app, t.db, [{ role: 'procedure_editor', procedureId }]);
      const page = await editor.get(`/rgaa/demarches/${procedureId}/declaration`);
      assert.match(
        page.body,
        /&lt;a href=&quot;\/declarations-accessibilite\/DECL-1&quot;&gt;Accessibilité : partiellement conforme&lt;\/a&gt;/,
      );
    });

    test('the observatoire’s « handicap » comes from the valid declaration, manual values where there is none; a redesign ends it', async () => {
      await t.db.query(
        `INSERT INTO obs_live_values (procedure_id, indicator, value) VALUES ($1, 'handicap', '40'), ($2, 'handicap', '90')`,
        [procedureId, otherProcedureId],
      );
      const window = { start: addMonths(today, -12), end: today };
      let values = await liveValues(t.db, [procedureId, otherProcedureId], window);
      assert.equal(values.get(procedureId)!.handicap, 75, 'the declaration wins over the typed 40');
      assert.equal(values.get(otherProcedureId)!.handicap, '90', 'no declaration: the manual value stays');
      await t.db.query(`DELETE FROM obs_live_values WHERE procedure_id = $1`, [otherProcedureId]);
      values = await liveValues(t.db, [otherProcedureId], window);
      assert.equal(values.get(otherProcedureId)!.handicap, 0, 'neither: « Non »');
      const editor = await clientWithGrants(t.app, t.db, [{ role: 'procedure_editor', procedureId }]);
      assert.equal((await editor.post(`/rgaa/demarches/${procedureId}/declaration/refonte`, { redesigned_on: 'hier' })).statusCode, 400);
      assert.equal((await editor.post(`/rgaa/demarches/${procedureId}/declaration/refonte`, { redesigned_on: today })).statusCode, 303);
      values = await liveValues(t.db, [procedureId], window);
      assert.equal(values.get(procedureId)!.handicap, 0, 'a declaration ended by a redesign counts « Non »');
      const json = (await t.app.inject('/api/v1/accessibility/declarations/DECL-1')).json();
      assert.deepEqual([json.validity.valid, json.validity.reason], [false, 'redesign']);
      await editor.post(`/rgaa/demarches/${procedureId}/declaration/refonte`, { redesigned_on: '' });
      values = await liveValues(t.db, [procedureId], window);
      assert.equal(values.get(procedureId)!.handicap, 75);
    });

    test('the validity rules are data: the steering team changes them, others cannot, bad values are refused', async () => {
      const admin = await clientWithGrants(t.app, t.db, [{ role: 'admin' }]);
      const editor = await clientWithGrants(t.app, t.db, [{ role: 'procedure_editor', procedureId }]);
      assert.equal((await editor.get('/rgaa/regles')).statusCode, 403);
      const form = {
        validity_months: '48',
        new_version_months: '18',
        warning_days: '90',
        audit_max_age_months: '36',
        goal_first_percent: '80',
        goal_final_percent: '100',
        goal_first_date: '2027-12-31',
        goal_final_date: '2029-12-31',
      };
      const bad = await admin.post('/rgaa/regles', { ...form, validity_months: 'trois ans' });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /Saisissez un nombre entier entre 1 et 120/);
      assert.equal((await admin.post('/rgaa/regles', form)).statusCode, 303);
      const json = (await t.app.inject('/api/v1/accessibility/declarations/DECL-1')).json();
      assert.equal(json.validity.expiresOn, addMonths(json.publishedOn, 48));
      assert.equal((await t.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'accessibility.rules.update'`)).rows[0].n, 1);
      assert.equal((await admin.post('/rgaa/regles', { ...form, validity_months: '36' })).statusCode, 303);
      // A new RGAA version published next month ends the declaration 18 months later (earlier than 36 months).
      const next = addMonths(todayInParis(), 1);
      assert.equal((await admin.post('/rgaa/regles/versions', { version: '4.1.2', published_on: next })).statusCode, 400);
      assert.equal((await admin.post('/rgaa/regles/versions', { version: '5', published_on: next })).statusCode, 303);
      const after = (await t.app.inject('/api/v1/accessibility/declarations/DECL-1')).json();
      assert.deepEqual([after.validity.expiresOn, after.validity.reason], [addMonths(next, 18), 'new_version']);
      await t.db.query(`DELETE FROM accessibility_rgaa_versions WHERE version = '5'`);
    });

    test('90 days before it expires, the team is e-mailed once; the dashboard warns', async () => {
      const member = await createTestUser(t.db, 'membre-decl@exemple.gouv.fr', [
        { role: 'administration_member', administration: 'DECLA' },
      ]);
      assert.ok(member);
      // Published 35 months ago: expires in about a month.
      await t.db.query(`UPDATE accessibility_declarations SET published_at = now() - interval '35 months' WHERE procedure_id = $1`, [
        procedureId,
      ]);
      t.mails.length = 0;
      assert.equal(await runExpiryWarnings(t.deps), 1);
      assert.equal(await runExpiryWarnings(t.deps), 0, 'debounced: one warning per expiry date');
      assert.ok(
        t.mails.some(
          (m) => m.to === 'membre-decl@exemple.gouv.fr' && /Déclaration d’accessibilité à renouveler : Demande de titre/.test(m.subject),
        ),
      );
      const referent = await clientWithGrants(t.app, t.db, [{ role: 'administration_member', administration: 'DECLA' }]);
      const { rows } = await t.db.query(`SELECT id FROM administrations WHERE code = 'DECLA'`);
      const dash = await referent.get(`/rgaa/administrations/${rows[0].id}`);
      assert.equal(dash.statusCode, 200);
      assert.match(dash.body, /Déclarations à renouveler[\s\S]*Demande de titre : expire le/);
    });
  });
}
