import { test } from 'node:test';
import assert from 'node:assert/strict';
import { labels, languageLink, otherLang, parseLang } from './i18n.ts';

test('the language asked for: English only when said, French otherwise', () => {
  assert.equal(parseLang('en'), 'en');
  for (const value of ['fr', 'EN', 'de', '', undefined, null, ['en'], 1]) assert.equal(parseLang(value), 'fr');
  assert.equal(otherLang('fr'), 'en');
  assert.equal(otherLang('en'), 'fr');
});

test('a module dictionary gets the shared labels, keeps its own wording first, and its functions', () => {
  const T = labels({
    title: { fr: 'Mon formulaire', en: 'My form' },
    left: { fr: (n: number) => `${n} restants`, en: (n: number) => `${n} left` },
    honeypot: { fr: 'Laissez vide', en: 'Leave empty' },
  });
  assert.equal(T.title.en, 'My form');
  assert.equal(T.left.fr(3), '3 restants');
  assert.equal(T.honeypot.fr, 'Laissez vide');
  assert.equal(T.rejectedTitle.fr, 'Envoi refusé');
  assert.equal(T.rejectedTitle.en, 'Submission refused');
});

test('the other-language link is worded and marked in the language it leads to', () => {
  assert.equal(
    languageLink('/avis/12?lang=en', 'fr').value,
    '<a class="fr-link" href="/avis/12?lang=en" lang="en" hreflang="en">English version</a>',
  );
  assert.equal(
    languageLink('/avis/12?a=1&lang=fr', 'en').value,
    '<a class="fr-link" href="/avis/12?a=1&amp;lang=fr" lang="fr" hreflang="fr">Version française</a>',
  );
});
