import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ChallengeFileError, parseChallengeFile, writeChallengeFile, type ChallengeFile } from './challenge-file.ts';
import { renderMarkdown, sanitise } from './markdown.ts';
import { exportZip, readUpload } from './archive.ts';
import { strToU8, zipSync } from 'fflate';

const SAMPLE = `---
title: Immatriculer son véhicule
slug: immatriculation
description: Une phrase.
ministry: Intérieur
direction: ANTS
place: Paris
positions: [Designer, Développeuse]
start: 2026-01-01
end: 2026-12-31
launch: 2026-06-01
status: en_cours
procedures: [ants-immatriculation-autres-demandes]
indicators: [satisfaction, negative]
---

## Le problème

Texte **gras**.
`;

describe('défi files', () => {
  test('reads every field of the front matter and the body', () => {
    const c = parseChallengeFile(SAMPLE);
    assert.deepEqual(c, {
      slug: 'immatriculation',
      title: 'Immatriculer son véhicule',
      status: 'en_cours',
      description: 'Une phrase.',
      ministry: 'Intérieur',
      direction: 'ANTS',
      place: 'Paris',
      positions: ['Designer', 'Développeuse'],
      procedures: ['ants-immatriculation-autres-demandes'],
      indicators: ['satisfaction', 'negative'],
      start: '2026-01-01',
      end: '2026-12-31',
      launch: '2026-06-01',
      body: '## Le problème\n\nTexte **gras**.',
    });
  });

  test('round trip: write then read gives the same défi (property)', () => {
    const printable = (s: string) =>
      [...s].filter((ch) => ch.charCodeAt(0) >= 0x20 && ch.charCodeAt(0) !== 0x7f && !/[\ud800-\udfff]/.test(ch)).join('');
    const text = fc.string({ maxLength: 40 }).map((s) => printable(s).trim());
    const day = fc
      .date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
    const arb = fc.record({
      slug: fc.stringMatching(/^[a-z0-9]{1,10}(-[a-z0-9]{1,10}){0,3}$/),
      title: text.filter((s) => s.length > 0),
      description: text,
      ministry: text,
      direction: text,
      place: text,
      positions: fc.array(
        text.filter((s) => s.length > 0 && !s.includes(',')),
        { maxLength: 3 },
      ),
      start: fc.constant(null as string | null),
      end: fc.option(day, { nil: null }),
      launch: fc.option(day, { nil: null }),
      status: fc.constantFrom('brouillon', 'ouvert', 'en_cours', 'termine', 'abandonne' as const),
      procedures: fc.array(fc.stringMatching(/^[a-z0-9-]{1,20}$/), { maxLength: 3 }),
      indicators: fc.uniqueArray(fc.constantFrom('satisfaction', 'clarity', 'negative', 'helpNeeded' as const), {
        minLength: 1,
        maxLength: 3,
      }),
      body: fc.string({ maxLength: 200 }).map((s) => s.replace(/\r/g, '').replace(/^\n+/, '').replace(/\s+$/, '')),
    }) as fc.Arbitrary<ChallengeFile>;
    fc.assert(
      fc.property(arb, (c) => {
        assert.deepEqual(parseChallengeFile(writeChallengeFile(c)), { ...c });
      }),
      { numRuns: 200 },
    );
  });

  test('bad files: every problem named in French, at once', () => {
    assert.throws(
      () => parseChallengeFile('pas d’en-tête'),
      (e: unknown) => e instanceof ChallengeFileError && /en-tête/.test(e.message),
    );
    try {
      parseChallengeFile('---\nslug: Pas Bon\nstart: hier\nstatus: fini\nindicators: [bonheur]\nfoo: 1\n---\nx');
      assert.fail('should throw');
    } catch (e) {
      assert.ok(e instanceof ChallengeFileError);
      const all = e.errors.join('\n');
      for (const field of ['title', 'slug', 'start', 'status', 'indicators', 'foo']) assert.match(all, new RegExp(field), field);
    }
    assert.throws(() => parseChallengeFile('---\ntitle: [unclosed\n---\n'), /YAML/);
  });

  test('Markdown: rendered, every HTML tag of the source shown as text or removed, no dangerous link', () => {
    const out = renderMarkdown(
      '# Titre\n\n<script>alert(1)</script> <b onclick="x">b</b>\n\n[lien](javascript:alert(1)) [ok](https://exemple.gouv.fr) ![img](https://x/y.png)',
    ).toString();
    assert.match(out, /<h2>Titre<\/h2>/, 'headings start at level 2');
    assert.doesNotMatch(out, /<script|<b |onclick="|href="javascript:|<img/i);
    assert.match(out, /\[lien\]\(javascript:alert\(1\)\)/, 'the refused link stays as inert text');
    assert.match(out, /&lt;script&gt;/);
    assert.match(out, /<a href="https:\/\/exemple.gouv.fr">ok<\/a>/);
    assert.equal(
      sanitise('<p class="x" style="y">a</p><iframe src="x"></iframe><a href="//evil.example" onclick="y">z</a>'),
      '<p>a</p><a>z</a>',
    );
  });

  test('zip: export then import gives the same défis; bad entries are all reported, none read', () => {
    const c = parseChallengeFile(SAMPLE);
    const other = { ...c, slug: 'autre', title: 'Autre défi' };
    const back = readUpload(exportZip([c, other]), 'defis.zip');
    assert.deepEqual(back.problems, []);
    assert.deepEqual(
      back.files.map((f) => f.challenge).sort((a, b) => a.slug.localeCompare(b.slug)),
      [other, c],
    );
    const bad = zipSync({
      'a.md': strToU8(SAMPLE),
      'b.md': strToU8(SAMPLE),
      'c.md': strToU8('rien'),
      'd.md': new Uint8Array([0xff, 0xfe]),
      'e.txt': strToU8('ignoré'),
    });
    const read = readUpload(bad, 'x.zip');
    assert.deepEqual(read.problems.map((p) => p.file).sort(), ['b.md', 'c.md', 'd.md']);
    assert.equal(readUpload(strToU8('not a zip'), 'x.pdf').problems.length, 1);
  });
});
