import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS } from '../../../test/helpers/db.ts';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { TestClient } from '../../../test/helpers/client.ts';
import { rulesForm, setLiveValues } from '../test-fixtures.ts';
import { clientWithGrants } from '../../../test/helpers/users.ts';
import { loadRuleSet } from '../rules/repository.ts';
import { levelField } from '../rules/form.ts';
import { createDraft } from '../editions/drafts.ts';
import { publishEdition } from '../editions/publish.ts';
import { createTestCatalog } from '../../catalog/testing.ts';

for (const target of TEST_TARGETS) {
  describe(`observatoire back-office: level rules (${target})`, () => {
    let t: TestApp;
    let admin: TestClient;
    before(async () => {
      t = await createTestApp(target);
      const f = await createTestCatalog(t.db, { varied: true, procedures: 4 });
      await setLiveValues(t.db, f.procedures, 'satisfaction', [8.5, 8, 7.5, 3]);
      await publishEdition(
        t.db,
        await createDraft(t.db, { name: 'Hiver', period: 'T1', windowStart: '2026-01-01', windowEnd: '2026-03-31' }, null),
        null,
      );
      admin = await clientWithGrants(t.app, t.db, [{ role: 'admin' }], 'pilote@exemple.gouv.fr');
    });
    after(async () => t.close());

    test('the page shows every level as an editable field', async () => {
      const res = await admin.get('/observatoire/admin/regles');
      assert.equal(res.statusCode, 200);
      // Numeric levels are listed by increasing threshold.
      assert.match(res.body, /id="champ-satisfaction-0-from"[^>]*value="0"/);
      assert.match(res.body, /id="champ-satisfaction-2-from"[^>]*value="8"/);
      assert.match(res.body, /id="champ-satisfaction-min"[^>]*value="0"/);
      assert.match(res.body, /id="champ-satisfaction-max"[^>]*value="10"/);
      assert.match(res.body, /id="champ-usage-informative" name="usage.informative" value="oui" checked/);
      assert.doesNotMatch(res.body, /id="champ-satisfaction-informative"[^>]* checked/);
      assert.match(res.body, /id="champ-satisfaction-1-remove" name="satisfaction.1.remove" value="oui"/);
      assert.match(
        res.body,
        /<button type="submit"[^>]*name="action" value="ajouter:satisfaction"[^>]*>Ajouter un niveau<span class="fr-sr-only"> à Satisfaction usagers/,
      );
      // Enter in a field submits the form's first submit button: the preview, which saves nothing.
      const form = res.body.slice(res.body.indexOf('<form method="post" action="/observatoire/admin/regles"'));
      assert.match(form.match(/<button type="submit"[^>]*>/)![0], /value="apercu"/);
      assert.match(res.body, /id="champ-online-0-values"[^>]*value="oui"/);
    });

    test('the preview says what the change would do to the current table, and saves nothing', async () => {
      await admin.get('/observatoire/admin/regles');
      const body = rulesForm(await loadRuleSet(t.db));
      body[levelField('satisfaction', 2, 'from')] = '7,5';
      const res = await admin.post('/observatoire/admin/regles', { ...body, action: 'apercu' });
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /<th scope="row">Satisfaction usagers<\/th><td>1 sur 4<\/td><td>2<\/td><td>3<\/td>/);
      assert.match(res.body, /<th scope="row">Réalisable en ligne<\/th><td>0 sur 4<\/td>/);
      assert.equal((await loadRuleSet(t.db)).version, 1);
    });

    test('a bad threshold is refused next to its field, nothing saved', async () => {
      await admin.get('/observatoire/admin/regles');
      const body = rulesForm(await loadRuleSet(t.db));
      body[levelField('uptime', 1, 'from')] = 'beaucoup';
      body[levelField('auth', 0, 'label')] = '';
      const res = await admin.post('/observatoire/admin/regles', { ...body, action: 'enregistrer' });
      assert.equal(res.statusCode, 400);
      assert.match(res.body, /id="champ-uptime-1-from-erreur">Un seuil numérique est attendu/);
      assert.match(res.body, /id="champ-auth-0-label-erreur">Donnez un libellé/);
      assert.equal((await loadRuleSet(t.db)).version, 1);
    });

    test('saving creates a new version, audited; published editions keep their levels', async () => {
      await admin.get('/observatoire/admin/regles');
      const before = await loadRuleSet(t.db);
      const snapshot = async () =>
        (
          await t.db.query(
            'SELECT procedure_id, indicator, label, colour, goal, rule_version FROM obs_edition_values ORDER BY procedure_id, indicator',
          )
        ).rows;
      const published = await snapshot();
      const body = rulesForm(before);
      // satisfaction (0, 5, 8 shown in that order): a new lowest level, the others moved up, the top one lowered.
      body[levelField('satisfaction', 0, 'from')] = '1';
      body[levelField('satisfaction', 2, 'from')] = '7,5';
      body[levelField('satisfaction', 3, 'label')] = 'Catastrophique';
      body[levelField('satisfaction', 3, 'colour')] = 'red';
      body[levelField('satisfaction', 3, 'from')] = '-0';
      const bad = await admin.post('/observatoire/admin/regles', { ...body, action: 'enregistrer' });
      assert.equal(bad.statusCode, 400, 'a level added last with the lowest threshold breaks the increasing order');
      assert.match(
        bad.body,
        /id="champ-satisfaction-3-from-erreur">Les seuils doivent être strictement croissants : celui-ci doit être supérieur à 7,5/,
      );
      // The same levels in increasing order are accepted.
      const ordered = rulesForm(before);
      const levels = [
        ['Catastrophique', 'red', '0', false],
        ['Pas bien', 'red', '1', false],
        ['Moyen', 'yellow', '5', false],
        ['Très bien', 'green', '7,5', true],
      ] as const;
      levels.forEach(([label, colour, from, goal], i) => {
        ordered[levelField('satisfaction', i, 'label')] = label;
        ordered[levelField('satisfaction', i, 'colour')] = colour;
        ordered[levelField('satisfaction', i, 'from')] = from;
        if (goal) ordered[levelField('satisfaction', i, 'goal')] = 'oui';
        else delete ordered[levelField('satisfaction', i, 'goal')];
      });
      await admin.get('/observatoire/admin/regles');
      const res = await admin.post('/observatoire/admin/regles', { ...ordered, note: 'Seuil abaissé', action: 'enregistrer' });
      assert.equal(res.statusCode, 303);
      const rules = await loadRuleSet(t.db);
      assert.equal(rules.version, before.version + 1);
      assert.deepEqual(
        rules.indicators.satisfaction.levels.map((l) => [l.label, l.from, l.goal]),
        [
          ['Catastrophique', 0, false],
          ['Pas bien', 1, false],
          ['Moyen', 5, false],
          ['Très bien', 7.5, true],
        ],
      );
      assert.deepEqual(rules.indicators.online, before.indicators.online, 'untouched indicators are copied as they were');
      const api = (await t.app.inject('/api/v1/editions/latest/procedures?q=0003')).json();
      assert.equal(api.items[0].indicators.satisfaction.label, 'Moyen', 'the published edition keeps its level');
      assert.deepEqual(await snapshot(), published, 'no published cell changed');
      const { rows } = await t.db.query(
        `SELECT action, entity_id, before, after FROM audit_log WHERE entity_type = 'obs_rule_set' ORDER BY id`,
      );
      assert.equal(rows.length, 1);
      assert.equal(rows[0].action, 'observatoire.rules.save');
      assert.equal(rows[0].entity_id, String(rules.version));
      assert.equal(rows[0].before.indicators.satisfaction.levels.length, 3);
      assert.equal(rows[0].after.indicators.satisfaction.levels.length, 4);
    });

    test('an indicator’s texts and national goal are edited by the steering team and shown at once everywhere', async () => {
      const url = '/observatoire/admin/indicateurs/uptime';
      const page = await admin.get(url);
      assert.match(page.body, /id="champ-goal"[^>]*value="80"/);
      const fields = {
        label: 'Disponibilité',
        shortLabel: 'Dispo.',
        description: 'Part du temps.',
        method: 'Sondes.',
        help: 'Objectif : 99,9 %.',
      };
      const bad = await admin.post(url, { ...fields, goal: '120' });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /id="champ-goal-erreur">Un pourcentage entre 0 et 100/);
      await admin.get(url);
      assert.equal((await admin.post(url, { ...fields, goal: '95' })).statusCode, 303);
      const api = (await t.app.inject('/api/v1/indicators')).json().items.find((i: any) => i.slug === 'uptime');
      assert.equal(api.label, 'Disponibilité');
      assert.equal(api.nationalGoalPercent, 95);
      assert.match((await t.app.inject('/observatoire')).body, /<th scope="col">Dispo\./);
      const { rows } = await t.db.query(`SELECT count(*) AS n FROM audit_log WHERE action = 'observatoire.indicator.update'`);
      assert.equal(rows[0].n, 1);
    });

    test('only the steering team may change the rules', async () => {
      const reader = await clientWithGrants(t.app, t.db, [{ role: 'procedure_reader', procedureId: 1 }], 'lecteur@exemple.gouv.fr');
      assert.equal((await reader.get('/observatoire/admin/regles')).statusCode, 403);
      assert.equal((await reader.get('/observatoire/admin/indicateurs/uptime')).statusCode, 403);
    });
  });
}
