import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HeldDeclaration } from '../accessibility/index.ts';
import { declarationMismatches, mismatchSentence } from './declaration-check.ts';

// A declaration published in Vigie: partially conforming, 75.43 % (shown 75 %), established 3 March 2026, updated 1 June 2026.
const held: HeldDeclaration = {
  procedureId: 1,
  label: 'partiellement_conforme',
  rate: 75,
  exactRate: 75.43,
  establishedOn: '2026-03-03',
  updatedOn: '2026-06-01',
  url: '/declarations-accessibilite/x',
};

test('a page that says what Vigie holds: no mismatch (rate as shown, or within a point of the exact rate; either date)', () => {
  assert.deepEqual(declarationMismatches({ mention: 'partiellement', rate: 75, date: '2026-03-03' }, held), []);
  assert.deepEqual(declarationMismatches({ mention: 'partiellement', rate: 75.4, date: '2026-06-01' }, held), []);
  assert.deepEqual(declarationMismatches({ mention: null, rate: null, date: null }, held), [], 'nothing said, nothing compared');
});

test('status, rate and date mismatches, each said with both values', () => {
  const m = declarationMismatches({ mention: 'totalement', rate: 80, date: '2025-01-15' }, held);
  assert.deepEqual(m, [
    { field: 'statut', page: 'totalement conforme', held: 'partiellement conforme' },
    { field: 'taux', page: '80 %', held: '75,43 %' },
    { field: 'date', page: '15/01/2025', held: '03/03/2026 (établie) ou 01/06/2026 (mise à jour)' },
  ]);
  assert.equal(mismatchSentence(m.slice(0, 1)), 'statut « totalement conforme » sur la page, « partiellement conforme » dans Vigie');
  // 74,4 % is more than a point from 75,43 % and is not the rate shown.
  assert.deepEqual(
    declarationMismatches({ mention: null, rate: 74.4, date: null }, held).map((x) => x.field),
    ['taux'],
  );
  // A declaration where nothing was applicable has no rate: any rate on the page differs.
  assert.deepEqual(
    declarationMismatches({ mention: 'non', rate: 0, date: null }, { ...held, label: 'non_conforme', rate: null, exactRate: null }),
    [{ field: 'taux', page: '0 %', held: 'aucun taux (rien d’applicable)' }],
  );
});
