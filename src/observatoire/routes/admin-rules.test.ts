import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS } from '../../../test/helpers/db.ts';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { TestClient } from '../../../test/helpers/client.ts';
import { SESSION_COOKIE } from '../../kernel/auth/session.ts';
import { makeCatalog, setLiveValues, signIn } from '../test-fixtures.ts';
import { loadRuleSet } from '../rules/repository.ts';
import { levelField } from '../rules/form.ts';
import type { RuleSet } from '../rules/model.ts';
import { createDraft } from '../editions/drafts.ts';
import { publishEdition } from '../editions/publish.ts';

/** The form a browser would send for these rules (what the page shows, unchanged). */
function formOf(rules: RuleSet): Record<string, string> {
  const body: Record<string, string> = {};
  for (const [slug, r] of Object.entries(rules.indicators)) {
    r.levels.forEach((l, i) => {
      body[levelField(slug, i, 'label')] = l.label;
      body[levelField(slug, i, 'colour')] = l.colour;
      if (l.goal) body[levelField(slug, i, 'goal')] = 'oui';
      if (l.from !== undefined) body[levelField(slug, i, 'from')] = String(l.from).replace('.', ',');
      if (l.values) body[levelField(slug, i, 'values')] = l.values.join(', ');
    });
  }
  for (const [k, v] of Object.entries(rules.grayLabels)) body[`gray.${k}`] = v;
  return body;
}

for (const target of TEST_TARGETS) {
  describe(`observatoire back-office: level rules (${target})`, () => {
    let t: TestApp;
    let admin: TestClient;
    before(async () => {
      t = await createTestApp(target);
      const f = await makeCatalog(t.db, 4);
      await setLiveValues(t.db, f.procedures, 'satisfaction', [8.5, 8, 7.5, 3]);
      await publishEdition(t.db, await createDraft(t.db, { name: 'Hiver', period: 'T1', windowStart: '2026-01-01', windowEnd: '2026-03-31' }, null), null);
      admin = new TestClient(t.app);
      admin.setCookie(SESSION_COOKIE, (await signIn(t.db, 'pilote@exemple.gouv.fr', [{ role: 'admin' }])).token);
    });
    after(async () => t.close());

    test('the page shows every level as an editable field', async () => {
      const res = await admin.get('/observatoire/admin/regles');
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /id="champ-satisfaction-0-from"[^>]*value="8"/);
      assert.match(res.body, /id="champ-online-0-values"[^>]*value="oui"/);
    });

    test('the preview says what the change would do to the current table, and saves nothing', async () => {
      await admin.get('/observatoire/admin/regles');
      const body = formOf(await loadRuleSet(t.db));
      body[levelField('satisfaction', 0, 'from')] = '7,5';
      const res = await admin.post('/observatoire/admin/regles', { ...body, action: 'apercu' });
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /<th scope="row">Satisfaction usagers<\/th><td>1 sur 4<\/td><td>2<\/td><td>3<\/td>/);
      assert.match(res.body, /<th scope="row">Réalisable en ligne<\/th><td>0 sur 4<\/td>/);
      assert.equal((await loadRuleSet(t.db)).version, 1);
    });

    test('a bad threshold is refused next to its field, nothing saved', async () => {
      await admin.get('/observatoire/admin/regles');
      const body = formOf(await loadRuleSet(t.db));
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
      const body = formOf(await loadRuleSet(t.db));
      body[levelField('satisfaction', 0, 'from')] = '7,5';
      body[levelField('satisfaction', 3, 'label')] = 'Catastrophique';
      body[levelField('satisfaction', 3, 'colour')] = 'red';
      body[levelField('satisfaction', 3, 'from')] = '-0';
      body[levelField('satisfaction', 2, 'from')] = '1';
      const res = await admin.post('/observatoire/admin/regles', { ...body, note: 'Seuil abaissé', action: 'enregistrer' });
      assert.equal(res.statusCode, 303);
      const rules = await loadRuleSet(t.db);
      assert.equal(rules.version, 2);
      assert.equal(rules.indicators.satisfaction.levels[0].from, 7.5);
      assert.equal(rules.indicators.satisfaction.levels.length, 4);
      const api = (await t.app.inject('/api/v1/editions/latest/procedures?q=0003')).json();
      assert.equal(api.items[0].indicators.satisfaction.label, 'Moyen', 'the published edition keeps its level');
      const { rows } = await t.db.query(`SELECT action, entity_id FROM audit_log WHERE entity_type = 'obs_rule_set'`);
      assert.deepEqual(rows, [{ action: 'observatoire.rules.save', entity_id: '2' }]);
    });

    test('an indicator’s texts and national goal are edited by the steering team and shown at once everywhere', async () => {
      const url = '/observatoire/admin/indicateurs/uptime';
      const page = await admin.get(url);
      assert.match(page.body, /id="champ-goal"[^>]*value="80"/);
      const fields = { label: 'Disponibilité', shortLabel: 'Dispo.', description: 'Part du temps.', method: 'Sondes.', help: 'Objectif : 99,9 %.' };
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
      const reader = new TestClient(t.app);
      reader.setCookie(SESSION_COOKIE, (await signIn(t.db, 'lecteur@exemple.gouv.fr', [{ role: 'procedure_reader', procedureId: 1 }])).token);
      assert.equal((await reader.get('/observatoire/admin/regles')).statusCode, 403);
      assert.equal((await reader.get('/observatoire/admin/indicateurs/uptime')).statusCode, 403);
    });
  });
}
