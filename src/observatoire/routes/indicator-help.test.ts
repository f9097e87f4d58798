import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS } from '../../../test/helpers/db.ts';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { setLiveValues } from '../test-fixtures.ts';
import { createDraft } from '../editions/drafts.ts';
import { publishEdition } from '../editions/publish.ts';
import { loadIndicators, loadRuleSet, saveRuleSet } from '../rules/repository.ts';
import { escapeHtml } from '../../kernel/web/html.ts';
import { goalSentence } from '../views/indicator-help.ts';
import { DEFAULT_RULES } from '../rules/default-rules.ts';
import { createTestCatalog } from '../../catalog/testing.ts';

test('the goal sentence of each indicator is written from its levels', () => {
  const def = (slug: string, unit: 'category' | 'score10' | 'percent' | 'count' | 'ms') => ({
    slug,
    unit,
    position: 0,
    label: slug,
    shortLabel: slug,
    source: 'manual' as const,
    description: '',
    method: '',
    help: '',
  });
  const r = DEFAULT_RULES.indicators;
  assert.equal(goalSentence(def('satisfaction', 'score10'), r.satisfaction), 'Objectif : 8 sur 10 ou plus.');
  assert.equal(goalSentence(def('help_reachable', 'percent'), r.help_reachable), 'Objectif : 85 % ou plus.');
  assert.equal(goalSentence(def('handicap', 'percent'), r.handicap), 'Objectif : 100 %.');
  assert.equal(goalSentence(def('dlnuf', 'count'), r.dlnuf), 'Objectif : moins de 2.');
  assert.equal(goalSentence(def('performance', 'ms'), r.performance), 'Objectif : moins de 0,4 s.');
  assert.equal(goalSentence(def('uptime', 'percent'), r.uptime), 'Objectif : 99,9 % ou plus.');
  assert.equal(goalSentence(def('online', 'category'), r.online), 'Objectif : « Oui » ou « Démarche proactive ».');
  assert.equal(goalSentence(def('auth', 'category'), r.auth), 'Objectif : « FranceConnect+ » ou « FranceConnect ».');
  assert.equal(goalSentence(def('usage', 'percent'), r.usage), 'Indicateur informatif : pas d’objectif.');
});

/** The HTML of one indicator's modal, or null. */
function modal(body: string, slug: string): string | null {
  const m = body.match(new RegExp(`<dialog id="aide-indicateur-${slug}"[\\s\\S]*?</dialog>`));
  return m ? m[0] : null;
}

for (const target of TEST_TARGETS) {
  describe(`observatoire: indicator help from the column headers (${target})`, () => {
    let t: TestApp;
    let firstEdition: number;
    before(async () => {
      t = await createTestApp(target);
      const f = await createTestCatalog(t.db, { varied: true, procedures: 6 });
      await setLiveValues(t.db, f.procedures, 'satisfaction', [9, 8, 7, 6, 5, 2]);
      firstEdition = await createDraft(t.db, { name: 'Hiver', period: 'T1', windowStart: '2026-01-01', windowEnd: '2026-03-31' }, null);
      await publishEdition(t.db, firstEdition, null);
    });
    after(async () => t.close());

    test('each indicator header has a help control naming the indicator, and its modal is in the page once', async () => {
      const res = await t.app.inject('/observatoire?par_page=5');
      assert.equal(res.statusCode, 200);
      const defs = await loadIndicators(t.db);
      assert.equal(defs.length, 13); // with « Contacts pour 1 000 démarches » (support, migration 0800)
      const table = res.body.slice(res.body.indexOf('<table'), res.body.indexOf('</table>'));
      const cards = res.body.slice(res.body.indexOf('<ul class="obs-cards">'), res.body.indexOf('<div class="obs-help-modals">'));
      assert.equal(cards.split('<li class="fr-card').length - 1, 5);
      for (const d of defs) {
        const label = escapeHtml(d.label);
        const control = `<a class="obs-help-link" href="/observatoire/aide/indicateurs?regles=1#indicateur-${d.slug}" data-obs-modal="aide-indicateur-${d.slug}">Aide<span class="fr-sr-only"> : ${label}</span></a>`;
        assert.equal(table.split(control).length - 1, 1, `help control of ${d.slug} in its column header`);
        // The cards (small screens) name each indicator with the same control, leading to the same modal.
        assert.equal(cards.split(`<dt>${label}${control}</dt>`).length - 1, 5, `help control of ${d.slug} in each card`);
        assert.equal(res.body.split(`<dialog id="aide-indicateur-${d.slug}"`).length - 1, 1, `one modal for ${d.slug}`);
        const m = modal(res.body, d.slug)!;
        assert.match(m, new RegExp(`aria-labelledby="aide-indicateur-${d.slug}-titre"`));
        assert.ok(m.includes(`<h2 id="aide-indicateur-${d.slug}-titre" class="fr-modal__title">${label}</h2>`));
        assert.ok(m.includes(`<p>${escapeHtml(d.description)}</p>`), `description of ${d.slug}`);
        assert.ok(m.includes(`<p>${escapeHtml(d.method)}</p>`), `method of ${d.slug}`);
        // An indicator whose measuring module is not running gives its method as planned, and says it is entered by hand.
        // « uptime » and « performance » are measured by monitoring, with the value entered by hand where nothing is measured.
        if (d.slug === 'uptime' || d.slug === 'performance')
          assert.match(
            m,
            /Mesuré par la supervision\. Pour une démarche dont Vigie n’a encore rien mesuré sur la période[\s\S]*<strong>saisie manuelle<\/strong>/,
          );
        else assert.match(m, /<h3 class="fr-h6">Méthode<\/h3>/);
        assert.match(m, /aria-controls="aide-indicateur-[a-z_]+" title="Fermer">Fermer<\/button>/);
      }
      // Levels: label, colour in words, threshold and goal, from the rule set.
      const satisfaction = modal(res.body, 'satisfaction')!;
      assert.match(satisfaction, /Niveaux \(règles version 1\)/);
      assert.match(satisfaction, />Très bien<\/span> \(vert\) à partir de 8 \/ 10 – objectif atteint<\/li>/);
      assert.match(satisfaction, />Moyen<\/span> \(jaune\) à partir de 5 \/ 10<\/li>/);
      assert.match(modal(res.body, 'usage')!, /Indicateur informatif/);
      // The page loads the enhancement script, an external file.
      assert.match(res.body, /<script type="module" src="\/assets\/observatoire\/help-modal\.js"><\/script>/);
      const script = await t.app.inject('/assets/observatoire/help-modal.js');
      assert.equal(script.statusCode, 200);
      assert.match(script.body, /data-fr-opened/);
    });

    test('the rows do not repeat the help: the page grows by the 13 modals only, whatever the number of rows', async () => {
      const small = (await t.app.inject('/observatoire?par_page=1')).body;
      const large = (await t.app.inject('/observatoire?par_page=6')).body;
      for (const body of [small, large]) assert.equal(body.split('<dialog ').length - 1, 13);
      const modals = (body: string) => body.slice(body.indexOf('<div class="obs-help-modals">'), body.lastIndexOf('</dialog>'));
      assert.equal(modals(small).length, modals(large).length);
      assert.ok(modals(small).length < 30_000, `modals weigh ${modals(small).length} characters`);
    });

    test('a published edition shows the levels it was published with; the help page shows any version', async () => {
      const current = await loadRuleSet(t.db);
      const changed = structuredClone(current);
      changed.indicators.satisfaction.levels[0] = { ...changed.indicators.satisfaction.levels[0], label: 'Excellent', from: 9 };
      const version = await saveRuleSet(t.db, changed, 'test', null);
      assert.equal(version, 2);
      const second = await createDraft(t.db, { name: 'Printemps', period: 'T2', windowStart: '2026-04-01', windowEnd: '2026-06-30' }, null);
      await publishEdition(t.db, second, null);

      const latest = (await t.app.inject('/observatoire')).body;
      assert.match(modal(latest, 'satisfaction')!, />Excellent<\/span> \(vert\) à partir de 9 \/ 10/);
      assert.match(latest, /href="\/observatoire\/aide\/indicateurs\?regles=2#indicateur-satisfaction"/);

      const old = (await t.app.inject(`/observatoire/editions/${firstEdition}`)).body;
      const frozen = modal(old, 'satisfaction')!;
      assert.match(frozen, /Niveaux \(règles version 1\)/);
      assert.match(frozen, />Très bien<\/span> \(vert\) à partir de 8 \/ 10/);
      assert.doesNotMatch(frozen, /Excellent/);
      assert.match(old, /href="\/observatoire\/aide\/indicateurs\?regles=1#indicateur-satisfaction"/);

      // Without JavaScript the link leads to the help page, with the same levels.
      const helpV1 = await t.app.inject('/observatoire/aide/indicateurs?regles=1');
      assert.equal(helpV1.statusCode, 200);
      assert.match(helpV1.body, /Niveaux de la version 1 des règles/);
      assert.match(helpV1.body, /id="indicateur-satisfaction"/);
      assert.match(helpV1.body, />Très bien<\/span> \(vert\) à partir de 8 \/ 10/);
      assert.doesNotMatch(helpV1.body, /Excellent/);
      const helpCurrent = (await t.app.inject('/observatoire/aide/indicateurs')).body;
      assert.match(helpCurrent, /Règles de niveaux en vigueur : version 2/);
      assert.match(helpCurrent, />Excellent<\/span>/);
      assert.equal((await t.app.inject('/observatoire/aide/indicateurs?regles=99')).statusCode, 404);
      assert.equal((await t.app.inject('/observatoire/aide/indicateurs?regles=abc')).statusCode, 404);
    });

    test('after a threshold change (« Très bien » from 7,5), every help page says « Objectif : 7,5 sur 10 »', async () => {
      const before = (await t.app.inject('/observatoire/aide/indicateurs')).body;
      const rules = await loadRuleSet(t.db);
      rules.indicators.satisfaction.levels[0] = { label: 'Très bien', colour: 'green', goal: true, from: 7.5 };
      const version = await saveRuleSet(t.db, rules, 'Très bien dès 7,5', null);
      const section = (body: string) =>
        /<section class="fr-mt-6w" aria-labelledby="indicateur-satisfaction">[\s\S]*?<\/section>/.exec(body)![0];
      assert.doesNotMatch(section(before), /7,5 sur 10/);
      const help = (await t.app.inject('/observatoire/aide/indicateurs')).body;
      assert.match(section(help), /<strong>Objectif : 7,5 sur 10 ou plus\.<\/strong>/);
      assert.doesNotMatch(section(help), /8 sur 10/);
      // The version an edition was published with keeps its own goal.
      assert.match(
        section((await t.app.inject('/observatoire/aide/indicateurs?regles=1')).body),
        /<strong>Objectif : 8 sur 10 ou plus\.<\/strong>/,
      );
      assert.match(
        (await t.app.inject('/observatoire/aide')).body,
        /<th scope="row">Satisfaction usagers<\/th><td>7,5 sur 10 ou plus<\/td>/,
      );
      const api = (await t.app.inject('/api/v1/indicators')).json();
      assert.equal(api.ruleSetVersion, version);
      assert.equal(api.items.find((i: { slug: string }) => i.slug === 'satisfaction').help, 'Objectif : 7,5 sur 10 ou plus.');
    });

    test('sorting keeps working next to the help control', async () => {
      const res = await t.app.inject('/observatoire?tri=satisfaction&ordre=desc');
      assert.match(
        res.body,
        /<th scope="col" aria-sort="descending">Satisfaction[\s\S]*?data-obs-modal="aide-indicateur-satisfaction"[\s\S]*?Tri croissant<span class="fr-sr-only"> par Satisfaction usagers/,
      );
    });
  });
}
