import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { evaluate, toNumber } from './evaluate.ts';
import { DEFAULT_RULES } from './default-rules.ts';
import { GRAY_STATES, type IndicatorRules, type RuleSet } from './model.ts';

const rules: RuleSet = { version: 1, ...DEFAULT_RULES };
const numeric = Object.entries(rules.indicators).filter(([, r]) => r.kind === 'number' && !r.informative) as [string, IndicatorRules][];

describe('evaluate: raw value → level', () => {
  test('a value exactly on a threshold takes that level (« from » is inclusive)', () => {
    for (const [slug, r] of numeric) {
      for (const level of r.levels) {
        const e = evaluate(rules, slug, level.from!);
        assert.equal(e.label, level.label, `${slug} at ${level.from}`);
        assert.equal(e.colour, level.colour);
        assert.equal(e.goal, level.goal);
      }
    }
  });

  test('any value in range takes the level with the highest threshold not above it', () => {
    fc.assert(
      fc.property(fc.constantFrom(...numeric), fc.double({ min: 0, max: 1000, noNaN: true }), ([slug, r], v) => {
        fc.pre(r.max === undefined || v <= r.max);
        const expected = r.levels.filter((l) => l.from! <= v).sort((a, b) => b.from! - a.from!)[0];
        const e = evaluate(rules, slug, v);
        assert.equal(e.label, expected.label);
        assert.equal(e.goal, expected.goal);
        assert.equal(e.sortValue, v);
      }),
    );
  });

  test('values above the maximum or below the minimum are gray, out of bounds, never counted', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...numeric.filter(([, r]) => r.max !== undefined)),
        fc.double({ min: 1e-6, max: 1e6, noNaN: true }),
        ([slug, r], over) => {
          const e = evaluate(rules, slug, r.max! + over);
          assert.deepEqual(e, { label: 'Valeur hors bornes', colour: 'gray', goal: null, sortValue: null });
          assert.equal(evaluate(rules, slug, -over).colour, 'gray');
        },
      ),
    );
  });

  test('no value and every gray state give a gray level with its own label and no goal', () => {
    for (const slug of Object.keys(rules.indicators)) {
      assert.deepEqual(evaluate(rules, slug, null), { label: '-', colour: 'gray', goal: null, sortValue: null });
      for (const state of GRAY_STATES) {
        const e = evaluate(rules, slug, state);
        assert.equal(e.label, rules.grayLabels[state]);
        assert.equal(e.colour, 'gray');
        assert.equal(e.goal, null);
      }
    }
  });

  test('informative indicators are gray with their number kept for sorting', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 100, noNaN: true }), (v) => {
        const e = evaluate(rules, 'usage', v);
        assert.equal(e.colour, 'gray');
        assert.equal(e.goal, null);
        assert.equal(e.sortValue, v);
      }),
    );
  });

  test('categories map to their level; an unknown category is gray', () => {
    assert.equal(evaluate(rules, 'online', 'oui').goal, true);
    assert.equal(evaluate(rules, 'online', 'proactive').colour, 'blue');
    assert.equal(evaluate(rules, 'online', 'non').colour, 'red');
    assert.equal(evaluate(rules, 'auth', 'non_applicable').colour, 'gray');
    assert.equal(evaluate(rules, 'auth', 'non_applicable').goal, null);
    assert.equal(evaluate(rules, 'online', 'peut-être').label, 'Valeur inconnue');
  });

  test('numbers written the French way are read; text that is not a number is gray', () => {
    assert.equal(toNumber('8,5'), 8.5);
    assert.equal(toNumber(' 99.9 '), 99.9);
    assert.equal(toNumber('8,5 %'), null);
    assert.equal(evaluate(rules, 'satisfaction', '8,0').label, 'Très bien');
    assert.equal(evaluate(rules, 'satisfaction', 'beaucoup').colour, 'gray');
  });

  test('lower-is-better indicators: 399 ms is optimal, 400 ms is not', () => {
    assert.equal(evaluate(rules, 'performance', 399.99).goal, true);
    assert.equal(evaluate(rules, 'performance', 400).goal, false);
    assert.equal(evaluate(rules, 'dlnuf', 1).goal, true);
    assert.equal(evaluate(rules, 'dlnuf', 2).goal, false);
  });
});
