import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { frequentTerms, highlight } from './text.ts';

describe('verbatim text tools', () => {
  test('highlights matches without regard to accents or case, keeping the original text', () => {
    assert.deepEqual(highlight('Le délai était très long, DELAI trop long.', 'delai'), [
      { text: 'Le ', match: false },
      { text: 'délai', match: true },
      { text: ' était très long, ', match: false },
      { text: 'DELAI', match: true },
      { text: ' trop long.', match: false },
    ]);
    assert.deepEqual(highlight('rien', ''), [{ text: 'rien', match: false }]);
  });

  test('counts words and phrases once per verbatim, French stop words and masked items removed', () => {
    const terms = frequentTerms([
      'Le délai de traitement est trop long.',
      'Délai de traitement interminable, appelez le [numéro de téléphone masqué]',
      'Site clair et rapide',
    ]);
    assert.deepEqual(terms.words.slice(0, 2), [
      ['delai', 2],
      ['traitement', 2],
    ]);
    assert.deepEqual(terms.phrases, [['delai traitement', 2]]);
    assert.ok(!terms.words.some(([w]) => ['le', 'de', 'est', 'et', 'telephone', 'masque'].includes(w)));
  });
});
