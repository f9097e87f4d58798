import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findThemes, themeCount, type ThemeText } from './themes.ts';
import { terms, words } from './french.ts';
import { speaksOfAccessibility } from './accessibility-lexicon.ts';

// Three topics written by hand, six texts each, that share no content word across topics.
const PAYMENT = [
  'Le paiement par carte bancaire a échoué trois fois.',
  'Impossible de payer, la carte bancaire est refusée.',
  'Paiement refusé alors que ma carte bancaire fonctionne.',
  'La page de paiement affiche une erreur de carte.',
  'Payer en ligne ? La banque refuse la carte à chaque paiement.',
  'Carte refusée au moment du paiement, très agaçant.',
];
const PHONE = [
  'Le téléphone sonne dans le vide, personne ne répond.',
  'Impossible de joindre un conseiller au téléphone.',
  'Attente téléphonique interminable, conseiller injoignable.',
  'J’ai appelé dix fois, aucun conseiller ne répond au téléphone.',
  'Le numéro de téléphone ne répond jamais.',
  'Conseiller injoignable par téléphone toute la semaine.',
];
const SCREEN_READER = [
  'Mon lecteur d’écran ne lit pas les boutons du formulaire.',
  'Avec NVDA, le formulaire est illisible.',
  'Le lecteur d’écran saute les champs du formulaire.',
  'Formulaire inutilisable avec un lecteur d’écran.',
  'Les boutons du formulaire ne sont pas lus par le lecteur d’écran.',
  'Je suis aveugle : le formulaire est inaccessible au lecteur.',
];

function corpus(): ThemeText[] {
  const all = [...PAYMENT, ...PHONE, ...SCREEN_READER];
  return all.map((text, i) => ({ id: i + 1, text, month: i % 2 ? '2026-10' : '2026-11' }));
}

test('words: accents, case, stop words, masked personal data and numbers removed', () => {
  assert.deepEqual(words('Je n’ai PAS réussi à payer mon amende [courriel masqué] le 12 !'), ['reussi', 'payer', 'amende']);
  const stems = (text: string) => terms(text).map((t) => t.stem);
  assert.deepEqual(stems('Démarches'), stems('démarche'));
  assert.deepEqual(stems('payer'), stems('paiement'));
  assert.deepEqual(stems('refusée refusé refuse'), ['refus', 'refus', 'refus']);
});

test('themeCount: √(n/2) themes, between 2 and the maximum', () => {
  assert.equal(themeCount(4, 8), 2); // √2 ≈ 1.4
  assert.equal(themeCount(18, 8), 3);
  assert.equal(themeCount(100, 8), 7); // √50 ≈ 7.07
  assert.equal(themeCount(10_000, 8), 8);
});

test('three hand-written topics come out as three themes, each text in its own topic, labelled by its words', () => {
  const { themes, unthemed, texts } = findThemes(corpus(), { maxThemes: 3 });
  assert.equal(texts, 18);
  assert.equal(unthemed, 0);
  assert.equal(themes.length, 3);
  const groups = themes.map((t) => [...t.ids].sort((a, b) => a - b));
  const expected = [
    [1, 2, 3, 4, 5, 6],
    [7, 8, 9, 10, 11, 12],
    [13, 14, 15, 16, 17, 18],
  ];
  assert.deepEqual(
    [...groups].sort((a, b) => a[0] - b[0]),
    expected,
  );
  const labelOf = (firstId: number) => themes.find((t) => t.ids.includes(firstId))!.terms;
  assert.ok(labelOf(1).includes('carte'), String(labelOf(1)));
  assert.ok(labelOf(7).includes('telephone') || labelOf(7).includes('conseiller'), String(labelOf(7)));
  assert.ok(labelOf(13).includes('formulaire') || labelOf(13).includes('lecteur'), String(labelOf(13)));
  const payment = themes.find((t) => t.ids.includes(1))!;
  assert.ok(payment.phrases.includes('carte bancaire'), String(payment.phrases));
  assert.deepEqual(payment.byMonth, [
    { month: '2026-10', count: 3 },
    { month: '2026-11', count: 3 },
  ]);
});

test('the same texts in another order give the same themes', () => {
  const a = findThemes(corpus(), { maxThemes: 3 });
  const b = findThemes([...corpus()].reverse(), { maxThemes: 3 });
  assert.deepEqual(a, b);
});

test('texts with no shared term are counted as without theme; too few texts give no theme', () => {
  const texts = [...corpus(), { id: 99, text: 'Merci !', month: '2026-11' }, { id: 100, text: 'Zygomatique.', month: '2026-11' }];
  const { unthemed, themes } = findThemes(texts, { maxThemes: 3 });
  assert.equal(unthemed, 2);
  assert.equal(
    themes.reduce((n, t) => n + t.size, 0),
    18,
  );
  assert.deepEqual(findThemes(corpus().slice(0, 3)).themes, []);
});

test('speaksOfAccessibility: words and phrases of the lexicon, whatever the case and accents', () => {
  assert.equal(speaksOfAccessibility('Mon LECTEUR D’ÉCRAN ne lit rien'), true);
  assert.equal(speaksOfAccessibility('Je suis malvoyante'), true);
  assert.equal(speaksOfAccessibility('Impossible de valider au clavier'), true);
  assert.equal(speaksOfAccessibility('Le lecteur de carte ne marche pas'), false);
  assert.equal(speaksOfAccessibility('Paiement refusé'), false);
});
