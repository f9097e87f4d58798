import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accessibilityWords, nearestDuplicate, normalize, offensiveWords, similarity, trigrams } from './moderation.ts';

test('normalisation: lower case, no accents, one space between words', () => {
  assert.equal(normalize('  L’ÉCRAN, très   «lent» ! Œuvre '), 'l ecran tres lent oeuvre');
});

test('the lexicon holds insults and threats, whole words or prefixes, accents and case ignored', () => {
  assert.deepEqual(offensiveWords('Bande d’ESCROCS, vous êtes des Connards.'), { insults: ['connard', 'escroc'], threats: [] });
  assert.deepEqual(offensiveWords('Je sais où vous habitez, vous allez le regretter'), {
    insults: [],
    threats: ['vous allez le regretter', 'je sais ou vous habitez'],
  });
  // « tuer » alone is a threat, « tuerie » is not the word « tuer »; « connaissance » does not start with « connard ».
  assert.deepEqual(offensiveWords('Une tuerie administrative, à ma connaissance'), { insults: [], threats: [] });
  assert.deepEqual(offensiveWords('Le site est lent mais la réponse du centre était claire.'), { insults: [], threats: [] });
});

test('the accessibility lexicon: a screen reader, a blocked keyboard, a disability', () => {
  assert.deepEqual(accessibilityWords('Avec mon lecteur d’écran NVDA, impossible de valider'), ['lecteur d ecran', 'nvda']);
  assert.deepEqual(accessibilityWords('Je suis en situation de handicap moteur et je navigue au clavier'), ['handicap', 'au clavier']);
  assert.deepEqual(accessibilityWords('Le paiement a échoué deux fois'), []);
});

test('trigram similarity computed by hand', () => {
  // « abc » → { " ab", "abc", "bc " }; « abd » → { " ab", "abd", "bd " }: 1 in common, 5 in the union.
  assert.deepEqual([...trigrams('abc')].sort(), [' ab', 'abc', 'bc ']);
  assert.equal(similarity(trigrams('abc'), trigrams('abd')), 1 / 5);
  assert.equal(similarity(trigrams('Même texte'), trigrams('meme TEXTE !')), 1);
  // « ab » → { " ab", "ab " }, « abc »: 1 in common (« ab»), union 4.
  assert.equal(similarity(trigrams('ab'), trigrams('abc')), 1 / 4);
});

test('near duplicates: the most similar earlier story from 0.8 on', () => {
  const earlier = [
    { id: 1, body: 'Paiement de mon amende en ligne en cinq minutes avec le numéro de l’avis. Rien à dire, c’est efficace.' },
    { id: 2, body: 'Le site plante au moment du paiement de la taxe.' },
  ];
  const dup = nearestDuplicate(
    'Paiement de mon amende en ligne en cinq minutes avec le numéro de l’avis. Rien à dire, c’est efficace !',
    earlier,
  );
  assert.equal(dup?.id, 1);
  assert.equal(dup?.similarity, 1); // punctuation does not count
  assert.equal(nearestDuplicate('Impossible de joindre le centre de contact par téléphone.', earlier), null);
});
