import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { maskPersonalData } from './mask.ts';

describe('masking of personal data in free text', () => {
  const cases: [string, string][] = [
    ['e-mail', 'écrivez-moi à jean.dupont+avis@exemple.fr svp'],
    ['phone', 'appelez le 06 12 34 56 78 demain'],
    ['phone (international)', 'mon numéro +33 6 12 34 56 78'],
    ['phone (dots)', 'mon numéro 01.23.45.67.89'],
    ['NIR', 'mon numéro de sécu 1 85 05 78 006 084 36'],
    ['NIR (Corsica, compact)', 'NIR 285052A00608436'],
    ['IBAN', 'virement sur FR76 3000 6000 0112 3456 7890 189 svp'],
    ['bank card', 'ma carte 4970 1012 3456 7890 a été débitée'],
    ['plate (SIV)', 'ma voiture AB-123-CD est immatriculée'],
    ['plate (FNI)', 'ancienne plaque 123 ABC 45 du véhicule'],
    ['tax number', 'mon numéro fiscal 1234567890123 est faux'],
  ];
  for (const [kind, text] of cases) {
    test(`masks a ${kind} and counts it`, () => {
      const result = maskPersonalData(text);
      assert.equal(result.count, 1, result.text);
      assert.match(result.text, /\[[^\]]+ masqué(e)?\]/);
      assert.doesNotMatch(result.text, /\d{2}.?\d{2}.?\d{2}.?\d{2}/);
      assert.doesNotMatch(result.text, /@|AB-123-CD|ABC 45/);
    });
  }

  test('counts several items and keeps the rest of the text', () => {
    const result = maskPersonalData('Contact : a@b.fr ou 0612345678. Merci pour votre aide !');
    assert.equal(result.count, 2);
    assert.match(result.text, /^Contact : \[adresse e-mail masquée\] ou \[numéro de téléphone masqué\]\. Merci pour votre aide !$/);
  });

  test('leaves ordinary text, dates, amounts and years alone', () => {
    const text = 'Le 12/03/2025 j’ai payé 150 € pour 3 enfants, dossier déposé en 2024, délai de 15 jours.';
    assert.deepEqual(maskPersonalData(text), { text, count: 0 });
  });
});
