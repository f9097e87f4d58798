import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS } from '../../../test/helpers/db.ts';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { TestClient } from '../../../test/helpers/client.ts';
import { rulesForm, setLiveValues } from '../test-fixtures.ts';
import { clientWithGrants } from '../../../test/helpers/users.ts';
import { loadRuleSet } from '../rules/repository.ts';
import { indicatorField, levelField } from '../rules/form.ts';
import { createDraft } from '../editions/drafts.ts';
import { publishEdition } from '../editions/publish.ts';
import { createTestCatalog } from '../../catalog/testing.ts';

for (const target of TEST_TARGETS) {
  describe(`observatoire back-office: every field of the level rules (${target})`, () => {
    let t: TestApp;
    let admin: TestClient;
    let publishedId: number;
    const versions = async () => Number((await t.db.query('SELECT count(*) AS n FROM obs_rule_sets')).rows[0].n);
    const audits = async () =>
      Number((await t.db.query(`SELECT count(*) AS n FROM audit_log WHERE entity_type = 'obs_rule_set'`)).rows[0].n);
    const post = async (body: Record<string, string>) => {
      await admin.get('/observatoire/admin/regles');
      return admin.post('/observatoire/admin/regles', body);
    };
    before(async () => {
      t = await createTestApp(target);
      const f = await createTestCatalog(t.db, { varied: true, procedures: 4 });
      await setLiveValues(t.db, f.procedures, 'satisfaction', [8.5, 8, 7.5, 3]);
      await setLiveValues(t.db, f.procedures, 'online', ['oui', 'partiel', 'non', 'en_cours']);
      publishedId = await createDraft(t.db, { name: 'Hiver', period: 'T1', windowStart: '2026-01-01', windowEnd: '2026-03-31' }, null);
      await publishEdition(t.db, publishedId, null);
      admin = await clientWithGrants(t.app, t.db, [{ role: 'admin' }], 'pilote@exemple.gouv.fr');
    });
    after(async () => t.close());

    test('« Ajouter un niveau » brings the form back with an empty level and what was typed, and saves nothing', async () => {
      const body = rulesForm(await loadRuleSet(t.db));
      body[indicatorField('uptime', 'max')] = '99,99';
      const res = await post({ ...body, action: 'ajouter:satisfaction' });
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /id="champ-satisfaction-3-label"[^>]*value=""/);
      assert.doesNotMatch(res.body, /id="champ-satisfaction-4-label"/);
      assert.match(res.body, /id="champ-uptime-max"[^>]*value="99,99"/);
      assert.doesNotMatch(res.body, /resume-erreurs/);
      assert.equal(await versions(), 1);
      assert.equal(await audits(), 0);
    });

    test('a level is removed with its « Supprimer » box', async () => {
      const body = rulesForm(await loadRuleSet(t.db));
      body[levelField('online', 1, 'remove')] = 'oui';
      const preview = await post({ ...body, action: 'apercu' });
      assert.equal(preview.statusCode, 200);
      assert.doesNotMatch(preview.body, /id="champ-online-1-values"[^>]*value="en_cours"/);
      assert.match(preview.body, /id="champ-online-1-values"[^>]*value="partiel"/);
      assert.doesNotMatch(preview.body, /id="champ-online-4-values"/);
      // The procedure « en cours de déploiement » has no level any more: its cell would change.
      assert.match(preview.body, /<th scope="row">Réalisable en ligne<\/th><td>1 sur 4<\/td>/);
      assert.equal(await versions(), 1);
    });

    test('invalid rules: every error next to its field, typed values kept, nothing written', async () => {
      const body = rulesForm(await loadRuleSet(t.db));
      body[indicatorField('handicap', 'min')] = '100';
      body[indicatorField('handicap', 'max')] = '50';
      body[levelField('satisfaction', 2, 'from')] = '12';
      body[levelField('help_reachable', 1, 'from')] = '0';
      body[levelField('online', 2, 'values')] = 'partiel, non';
      for (let i = 0; i < 3; i++) body[levelField('uptime', i, 'remove')] = 'oui';
      const res = await post({ ...body, action: 'enregistrer' });
      assert.equal(res.statusCode, 400);
      assert.match(res.body, /Le formulaire contient 5 erreurs/);
      assert.match(
        res.body,
        /id="champ-handicap-max"[^>]*value="50"[^>]*>[\s\S]*?id="champ-handicap-max-erreur">Le maximum doit être supérieur au minimum \(100\)/,
      );
      assert.match(res.body, /id="champ-satisfaction-2-from"[^>]*aria-invalid="true"[^>]*value="12"/);
      assert.match(res.body, /id="champ-satisfaction-2-from-erreur">Le seuil doit être dans les bornes de l’indicateur \(de 0 à 10\)/);
      assert.match(res.body, /id="champ-help_reachable-1-from-erreur">Les seuils doivent être strictement croissants/);
      // The repeated value is flagged on the later level (« non » is level 4's own value).
      assert.match(
        res.body,
        /id="champ-online-3-values-erreur">« non » est déjà couverte par le niveau 3 : une valeur ne peut appartenir qu’à un niveau/,
      );
      assert.match(res.body, /id="champ-uptime-levels-erreur">Cet indicateur doit garder au moins un niveau, ou être déclaré informatif/);
      assert.match(res.body, /href="#champ-uptime-levels"/);
      // The preview refuses the same rules.
      assert.equal((await post({ ...body, action: 'apercu' })).statusCode, 400);
      assert.equal(await versions(), 1);
      assert.equal(await audits(), 0);
    });

    test('min, max and the informative flag are saved as a new version; the published edition is unchanged', async () => {
      const snapshot = async () =>
        (
          await t.db.query(
            'SELECT procedure_id, indicator, label, colour, goal, rule_version FROM obs_edition_values WHERE edition_id = $1 ORDER BY procedure_id, indicator',
            [publishedId],
          )
        ).rows;
      const published = await snapshot();
      const body = rulesForm(await loadRuleSet(t.db));
      body[indicatorField('satisfaction', 'max')] = '8';
      body[levelField('satisfaction', 2, 'from')] = '8';
      // Preview first: 8.5 is now out of bounds (gray), so one procedure changes level and one fewer reaches the goal.
      const preview = await post({ ...body, action: 'apercu' });
      assert.match(preview.body, /<th scope="row">Satisfaction usagers<\/th><td>1 sur 4<\/td><td>2<\/td><td>1<\/td>/);
      body[indicatorField('help_used', 'informative')] = '';
      delete body[indicatorField('help_used', 'informative')];
      body[levelField('help_used', 0, 'label')] = 'Autonome';
      body[levelField('help_used', 0, 'colour')] = 'green';
      body[levelField('help_used', 0, 'from')] = '0';
      body[levelField('help_used', 0, 'goal')] = 'oui';
      body[indicatorField('dlnuf', 'informative')] = 'oui';
      body[indicatorField('performance', 'max')] = '60000';
      const res = await post({ ...body, note: 'Bornes revues', action: 'enregistrer' });
      assert.equal(res.statusCode, 303);
      const rules = await loadRuleSet(t.db);
      assert.equal(rules.version, 2);
      assert.equal(rules.indicators.satisfaction.max, 8);
      assert.equal(rules.indicators.performance.max, 60000);
      assert.equal(rules.indicators.help_used.informative, undefined);
      assert.deepEqual(rules.indicators.help_used.levels, [{ label: 'Autonome', colour: 'green', goal: true, from: 0 }]);
      assert.equal(rules.indicators.dlnuf.informative, true);
      assert.equal(rules.indicators.dlnuf.levels.length, 3, 'an informative indicator keeps its levels for later');
      assert.deepEqual(await snapshot(), published);
      assert.equal((await t.db.query('SELECT rule_version FROM obs_editions WHERE id = $1', [publishedId])).rows[0].rule_version, 1);
      const { rows } = await t.db.query(`SELECT action, entity_id, before, after FROM audit_log WHERE entity_type = 'obs_rule_set'`);
      assert.equal(rows.length, 1);
      assert.equal(rows[0].entity_id, '2');
      assert.equal(rows[0].before.indicators.satisfaction.max, 10);
      assert.equal(rows[0].after.indicators.satisfaction.max, 8);
      // The page shows the new version's fields.
      const page = await admin.get('/observatoire/admin/regles');
      assert.match(page.body, /id="champ-satisfaction-max"[^>]*value="8"/);
      assert.match(page.body, /id="champ-dlnuf-informative" name="dlnuf.informative" value="oui" checked/);
      // A new draft uses the new version; the published edition's page still shows its own levels.
      const next = await createDraft(t.db, { name: 'Printemps', period: 'T2', windowStart: '2026-04-01', windowEnd: '2026-06-30' }, null);
      await publishEdition(t.db, next, null);
      const latest = (await t.app.inject('/api/v1/editions/latest/procedures?q=0001')).json();
      assert.equal(latest.items[0].indicators.satisfaction.label, 'Valeur hors bornes');
      const old = (await t.app.inject(`/api/v1/editions/${publishedId}/procedures?q=0001`)).json();
      assert.equal(old.items[0].indicators.satisfaction.label, 'Très bien');
    });
  });
}
