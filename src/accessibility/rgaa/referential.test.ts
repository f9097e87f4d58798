import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AUDIT_TYPES, glossaryAnchor, referential } from './referential.ts';

// Expected figures from the spec (shared/spec/rgaa.md: « 13 themes, 106 criteria, 258 tests »; fast 25, complementary
// the 25 + 25 more = 50, full 106) and the official RGAA 4.1.2 table of contents (criteria per theme), never from the
// loader.
const THEMES: [number, string, number][] = [
  [1, 'Images', 9],
  [2, 'Cadres', 2],
  [3, 'Couleurs', 3],
  [4, 'Multimédia', 13],
  [5, 'Tableaux', 8],
  [6, 'Liens', 2],
  [7, 'Scripts', 5],
  [8, 'Éléments obligatoires', 10],
  [9, 'Structuration de l’information', 4],
  [10, 'Présentation de l’information', 14],
  [11, 'Formulaires', 13],
  [12, 'Navigation', 11],
  [13, 'Consultation', 12],
];

describe('RGAA 4.1.2 referential', () => {
  const rgaa = referential('4.1.2');

  test('13 themes, 106 criteria, 258 tests, as the spec counts them', () => {
    assert.equal(rgaa.themes.length, 13);
    assert.equal(rgaa.criteria.length, 106);
    assert.equal(
      rgaa.criteria.reduce((n, c) => n + c.tests.length, 0),
      258,
    );
    assert.deepEqual(
      rgaa.themes.map((t) => [t.number, t.title, t.criteria.length]),
      THEMES,
    );
  });

  test('criteria carry their theme, number, title and numbered tests', () => {
    const c = rgaa.criterion('1.1')!;
    assert.equal(c.themeNumber, 1);
    assert.equal(c.number, 1);
    assert.match(c.title, /^Chaque \[image porteuse d’information\]/);
    assert.deepEqual(
      c.tests.map((t) => t.id),
      ['1.1.1', '1.1.2', '1.1.3', '1.1.4', '1.1.5', '1.1.6', '1.1.7', '1.1.8'],
    );
    assert.equal(c.level, 'A');
    assert.equal(rgaa.criterion('3.2')!.level, 'AA'); // contrast: WCAG 1.4.3 (AA)
    assert.equal(rgaa.criterion('99.1'), undefined);
    // Ids are unique and in the referential's order.
    assert.equal(new Set(rgaa.criteria.map((x) => x.id)).size, 106);
    assert.equal(rgaa.criteria[0].id, '1.1');
    assert.equal(rgaa.criteria.at(-1)!.id, '13.12');
  });

  test('every test has its methodology', () => {
    const tests = rgaa.criteria.flatMap((c) => c.tests);
    for (const t of tests) assert.ok(t.methodology.length > 20, `methodology of ${t.id}`);
    assert.match(rgaa.criterion('1.1')!.tests[0].methodology, /Retrouver dans le document les images/);
  });

  test('the glossary: every anchor the criteria and tests link to is a term of the glossary', () => {
    assert.equal(rgaa.glossary.length, 119);
    const anchors = new Set(rgaa.glossary.map((g) => g.anchor));
    assert.equal(glossaryAnchor('Image porteuse d’information'), 'image-porteuse-d-information');
    const linked = new Set<string>();
    for (const c of rgaa.criteria) {
      for (const text of [c.title, ...c.tests.flatMap((t) => t.lines)]) {
        for (const m of text.matchAll(/\]\(#([a-z0-9-]+)\)/g)) linked.add(m[1]);
      }
    }
    assert.ok(linked.size > 50);
    const missing = [...linked].filter((a) => !anchors.has(a));
    assert.deepEqual(missing, []);
  });

  test('audit types: fast 25 criteria, complementary 50 including the 25, full 106', () => {
    const fast = rgaa.auditCriteria('fast');
    const complementary = rgaa.auditCriteria('complementary');
    const full = rgaa.auditCriteria('full');
    assert.equal(fast.length, 25);
    assert.equal(complementary.length, 50);
    assert.equal(full.length, 106);
    for (const id of fast) assert.ok(complementary.includes(id), id);
    for (const type of AUDIT_TYPES) {
      for (const id of rgaa.auditCriteria(type)) assert.ok(rgaa.criterion(id), `${type}: ${id}`);
    }
    // A few of the DINUM's « audit rapide » list (design.numerique.gouv.fr/outils/audit-rapide/).
    for (const id of ['1.1', '3.1', '8.5', '11.1', '12.9']) assert.ok(fast.includes(id), id);
    assert.equal(fast.includes('3.2'), false);
  });
});
