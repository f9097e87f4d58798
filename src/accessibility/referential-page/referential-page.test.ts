import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { inlineMarkdown } from './view.ts';

// The page reads no table: one engine is enough.
describe('the public RGAA referential page', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp('pglite');
  });
  after(() => t?.close());

  test('anyone can read every theme, criterion and test, from the site map', async () => {
    const res = await t.app.inject('/referentiel-rgaa');
    assert.equal(res.statusCode, 200);
    const body = res.body;
    assert.match(body, /<title>Référentiel RGAA 4\.1\.2 – Vigie<\/title>/);
    // 13 themes, 106 criteria, 258 tests (shared/spec/rgaa.md).
    assert.equal(body.match(/<h2 id="thematique-\d+">/g)?.length, 13);
    assert.equal(body.match(/<li class="fr-mb-3w" id="critere-\d+\.\d+">/g)?.length, 106);
    assert.equal(body.match(/<strong>Test \d+\.\d+\.\d+<\/strong>/g)?.length, 258);
    assert.match(body, /<h2 id="thematique-11">11\. Formulaires<\/h2>/);
    assert.match(body, /Chaque image porteuse d’information a-t-elle une alternative textuelle\s\?/);
    // Markdown turned into text and <code>, the markup of the examples escaped.
    assert.equal(body.includes('](#'), false);
    assert.match(body, /<code>&lt;img&gt;<\/code>/);
    const sitemap = await t.app.inject('/plan-du-site');
    assert.match(sitemap.body, /<a href="\/referentiel-rgaa">Référentiel RGAA : critères et tests d’accessibilité<\/a>/);
  });

  test('inline Markdown: glossary links keep their text, code spans are escaped', () => {
    assert.equal(
      inlineMarkdown('Chaque [image](#image-porteuse-d-information) (balise `<img onerror="x">`) & co').toString(),
      'Chaque image (balise <code>&lt;img onerror=&quot;x&quot;&gt;</code>) &amp; co',
    );
  });
});
