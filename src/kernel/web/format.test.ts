import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countOf, editionPhrase, formatDate, formatLongDateTime } from './format.ts';

test('dates: the first of the month is « 1er », other days are plain numbers', () => {
  assert.equal(formatDate('2026-10-01'), '1er octobre 2026');
  assert.equal(formatDate('2026-10-02'), '2 octobre 2026');
  assert.equal(formatDate('2026-10-11'), '11 octobre 2026');
  assert.equal(formatDate('2026-10-21'), '21 octobre 2026');
  assert.equal(formatDate(new Date('2026-12-31T23:30:00Z')), '1er janvier 2027'); // Paris time
  assert.equal(formatDate(null), '–');
  assert.equal(formatLongDateTime(new Date('2026-10-01T08:05:00Z')), '1er octobre 2026 à 10:05');
  assert.equal(formatLongDateTime(new Date('2026-10-12T08:05:00Z')), '12 octobre 2026 à 10:05');
});

test('counts agree with their noun: singular below 2', () => {
  assert.equal(countOf(0, 'démarche'), '0\u00a0démarche');
  assert.equal(countOf(1, 'démarche'), '1\u00a0démarche');
  assert.equal(countOf(2, 'démarche'), '2\u00a0démarches');
  assert.equal(countOf(1250, 'réponse'), '1\u202f250\u00a0réponses');
  assert.equal(countOf(3, 'avis', 'avis'), '3\u00a0avis');
});

test('an edition in a sentence never reads « édition Édition »', () => {
  assert.equal(editionPhrase('Édition d’octobre 2026'), 'édition d’octobre 2026');
  assert.equal(editionPhrase('édition de janvier 2027'), 'édition de janvier 2027');
  assert.equal(editionPhrase('Bilan 2026'), 'édition « Bilan 2026 »');
});
