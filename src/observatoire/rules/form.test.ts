import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_RULES } from './default-rules.ts';
import { addLevel, draftFromRules, indicatorField, levelField, rulesFromDraft, type RulesDraft } from './form.ts';
import { evaluate } from './evaluate.ts';

const fresh = (): RulesDraft => draftFromRules(structuredClone(DEFAULT_RULES));

describe('rules editor: draft and validation', () => {
  test('the stored default rules go through the editor unchanged (numeric levels by increasing threshold)', () => {
    const { rules, errors } = rulesFromDraft(fresh());
    assert.deepEqual(errors, {});
    for (const [slug, r] of Object.entries(DEFAULT_RULES.indicators)) {
      const got = rules.indicators[slug];
      assert.equal(got.kind, r.kind);
      assert.equal(got.min, r.min);
      assert.equal(got.max, r.max);
      assert.equal(got.informative === true, r.informative === true);
      const order = (l: { from?: number }) => l.from ?? 0;
      const expected = r.kind === 'number' ? [...r.levels].sort((a, b) => order(a) - order(b)) : r.levels;
      assert.deepEqual(got.levels, expected, slug);
    }
    assert.deepEqual(rules.grayLabels, DEFAULT_RULES.grayLabels);
  });

  test('min and max: numbers with a French comma, min strictly below max, empty means unbounded', () => {
    const d = fresh();
    d.indicators.uptime.min = '0';
    d.indicators.uptime.max = '99,5';
    d.indicators.uptime.levels[2].from = '99,5';
    d.indicators.performance.max = '';
    let out = rulesFromDraft(d);
    assert.deepEqual(out.errors, {});
    assert.equal(out.rules.indicators.uptime.max, 99.5);
    assert.equal(out.rules.indicators.performance.max, undefined);
    d.indicators.uptime.min = '99,5';
    out = rulesFromDraft(d);
    assert.match(out.errors[indicatorField('uptime', 'max')], /Le maximum doit être supérieur au minimum \(99,5\)/);
    d.indicators.uptime.min = 'zéro';
    out = rulesFromDraft(d);
    assert.match(out.errors[indicatorField('uptime', 'min')], /Un nombre est attendu/);
  });

  test('thresholds must lie in the range and increase strictly', () => {
    const d = fresh();
    d.indicators.satisfaction.levels[2].from = '11';
    let errors = rulesFromDraft(d).errors;
    assert.match(errors[levelField('satisfaction', 2, 'from')], /dans les bornes de l’indicateur \(de 0 à 10\)/);
    d.indicators.satisfaction.levels[2].from = '5';
    errors = rulesFromDraft(d).errors;
    assert.match(errors[levelField('satisfaction', 2, 'from')], /strictement croissants : celui-ci doit être supérieur à 5/);
    d.indicators.satisfaction.levels[2].from = '';
    errors = rulesFromDraft(d).errors;
    assert.match(errors[levelField('satisfaction', 2, 'from')], /Indiquez le seuil/);
    d.indicators.dlnuf.levels[0].from = '-1';
    errors = rulesFromDraft(d).errors;
    assert.match(errors[levelField('dlnuf', 0, 'from')], /de 0 sans maximum/);
  });

  test('at least one level unless informative; an informative indicator evaluates gray', () => {
    const d = fresh();
    d.indicators.satisfaction.levels = [];
    assert.match(rulesFromDraft(d).errors[indicatorField('satisfaction', 'levels')], /au moins un niveau, ou être déclaré informatif/);
    d.indicators.satisfaction.informative = true;
    const { rules, errors } = rulesFromDraft(d);
    assert.deepEqual(errors, {});
    assert.equal(rules.indicators.satisfaction.informative, true);
    assert.deepEqual(evaluate({ version: 2, ...rules }, 'satisfaction', 9), {
      label: 'Informatif',
      colour: 'gray',
      goal: null,
      sortValue: 9,
    });
    d.indicators.online.levels = [];
    assert.match(rulesFromDraft(d).errors[indicatorField('online', 'levels')], /au moins un niveau\.$/);
  });

  test('category levels: each raw value in one level only', () => {
    const d = fresh();
    d.indicators.online.levels[2].values = 'partiel, oui';
    let errors = rulesFromDraft(d).errors;
    assert.equal(
      errors[levelField('online', 2, 'values')],
      '« oui » est déjà couverte par le niveau 1 : une valeur ne peut appartenir qu’à un niveau.',
    );
    d.indicators.online.levels[2].values = 'partiel, partiel , hybride';
    const out = rulesFromDraft(d);
    assert.deepEqual(out.errors, {});
    assert.deepEqual(out.rules.indicators.online.levels[2].values, ['partiel', 'hybride']);
    assert.equal(evaluate({ version: 2, ...out.rules }, 'online', 'hybride').label, 'Partiel');
    d.indicators.online.levels[3].values = ' , ';
    errors = rulesFromDraft(d).errors;
    assert.match(errors[levelField('online', 3, 'values')], /au moins une valeur/);
  });

  test('labels, colours and gray labels are required', () => {
    const d = fresh();
    d.indicators.handicap.levels[0].label = '';
    d.indicators.handicap.levels[1].colour = 'violet';
    d.grayLabels.a_venir = '';
    const errors = rulesFromDraft(d).errors;
    assert.match(errors[levelField('handicap', 0, 'label')], /Donnez un libellé/);
    assert.match(errors[levelField('handicap', 1, 'colour')], /Choisissez une couleur/);
    assert.match(errors['gray.a_venir'], /obligatoire/);
  });

  test('adding a level stops at the maximum', () => {
    const d = fresh();
    let added = 0;
    while (addLevel(d, 'satisfaction')) added++;
    assert.equal(d.indicators.satisfaction.levels.length, 8);
    assert.equal(added, 5);
    assert.equal(addLevel(d, 'inconnu'), false);
  });
});
