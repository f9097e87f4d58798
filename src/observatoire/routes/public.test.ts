import { after, before, describe, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS } from '../../../test/helpers/db.ts';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { setLiveValues } from '../test-fixtures.ts';
import { createDraft } from '../editions/drafts.ts';
import { publishEdition } from '../editions/publish.ts';
import { createTestCatalog, type TestCatalog } from '../../catalog/testing.ts';

/** Procedure titles of the table rows, in order. */
function titles(body: string): string[] {
  return [...body.matchAll(/<th scope="row"><a href="[^"]+">([^<]+)<\/a><\/th>/g)].map((m) => m[1]);
}

for (const target of TEST_TARGETS) {
  describe(`observatoire public table (${target})`, () => {
    let t: TestApp;
    let f: TestCatalog;
    let editionId: number;
    before(async () => {
      t = await createTestApp(target);
      f = await createTestCatalog(t.db, { varied: true, procedures: 12 });
      // satisfaction: procedure i has a value, except 3 (not enough reviews) and 7 (none)
      await setLiveValues(
        t.db,
        f.procedures,
        'satisfaction',
        [9.5, 2, 'avis_insuffisants', 8, 5, 7, '', 10, 1, 3, 6, 4].map((v) => (v === '' ? 'a_venir' : v)),
      );
      editionId = await createDraft(
        t.db,
        { name: 'Printemps 2026', period: 'T1 2026', windowStart: '2026-01-01', windowEnd: '2026-03-31' },
        null,
      );
      await publishEdition(t.db, editionId, null);
    });
    after(async () => t.close());

    test('the current edition shows every procedure with accessible table markup', async () => {
      const res = await t.app.inject('/observatoire');
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /<caption>Démarches de l’édition « Printemps 2026 »/);
      assert.equal(titles(res.body).length, 12);
      assert.match(res.body, /<th scope="col" aria-sort="ascending">Démarche/);
      assert.match(
        res.body,
        /href="\/observatoire\/aide\/indicateurs\?regles=1#indicateur-satisfaction" data-obs-modal="aide-indicateur-satisfaction">Aide<span class="fr-sr-only"> : Satisfaction usagers/,
      );
      assert.match(res.body, /Tri croissant<span class="fr-sr-only"> par Satisfaction usagers/);
    });

    test('search ignores accents and case', async () => {
      const res = await t.app.inject('/observatoire?q=ECOLOGIQUE');
      assert.deepEqual(titles(res.body), [
        'Démarche n° 0003 écologique',
        'Démarche n° 0006 écologique',
        'Démarche n° 0009 écologique',
        'Démarche n° 0012 écologique',
      ]);
    });

    test('filters combine in the query string: administration, online status, level of an indicator', async () => {
      const byAdmin = titles((await t.app.inject(`/observatoire?administration=${f.administrations[0]}`)).body);
      assert.equal(byAdmin.length, 6);
      assert.ok(byAdmin.every((title) => Number(title.match(/(\d{4})/)![1]) % 2 === 0));
      const notOnline = titles((await t.app.inject('/observatoire?en_ligne=non')).body);
      assert.deepEqual(
        notOnline.map((x) => x.slice(0, 15)),
        ['Démarche n° 000', 'Démarche n° 000', 'Démarche n° 001'],
      );
      const green = titles((await t.app.inject('/observatoire?indicateur=satisfaction&niveau=green')).body);
      assert.deepEqual(
        green.map((x) => x.match(/\d{4}/)![0]),
        ['0001', '0004', '0008'],
      );
    });

    test('sorting by an indicator puts gray values last in both directions', async () => {
      const desc = titles((await t.app.inject('/observatoire?tri=satisfaction&ordre=desc')).body).map((x) => x.match(/\d{4}/)![0]);
      assert.deepEqual(desc.slice(0, 3), ['0008', '0001', '0004']);
      assert.deepEqual(desc.slice(-2).sort(), ['0003', '0007']);
      const asc = titles((await t.app.inject('/observatoire?tri=satisfaction&ordre=asc')).body).map((x) => x.match(/\d{4}/)![0]);
      assert.deepEqual(asc.slice(0, 2), ['0009', '0002']);
      assert.deepEqual(asc.slice(-2).sort(), ['0003', '0007']);
      assert.match(
        (await t.app.inject('/observatoire?tri=satisfaction&ordre=desc')).body,
        /<th scope="col" aria-sort="descending">Satisfaction/,
      );
    });

    test('pagination keeps the filters in every link', async () => {
      const res = await t.app.inject('/observatoire?par_page=5&en_ligne=oui&page=2');
      assert.equal(titles(res.body).length, 4);
      assert.match(res.body, /href="\/observatoire\?en_ligne=oui&amp;par_page=5"[^>]*>1</);
      assert.match(res.body, /aria-current="page" title="Page 2"/);
    });

    test('a bad filter value gets a French message and status 400', async () => {
      const res = await t.app.inject('/observatoire?tri=inconnu&page=abc');
      assert.equal(res.statusCode, 400);
      assert.match(res.body, /Numéro de page invalide/);
    });

    test('the number of queries of a page does not grow with the number of rows', async () => {
      // The clock stands still while counting: an in-memory entry (60 s life) expiring between the two requests would
      // add a query to the second one only — on a loaded machine this test file's earlier tests can take that long.
      mock.timers.enable({ apis: ['Date'], now: Date.now() });
      try {
        await t.app.inject('/observatoire?par_page=2');
        const before2 = t.db.queryCount;
        await t.app.inject('/observatoire?par_page=2&tri=satisfaction');
        const small = t.db.queryCount - before2;
        const before12 = t.db.queryCount;
        await t.app.inject('/observatoire?par_page=12&tri=satisfaction');
        const large = t.db.queryCount - before12;
        assert.equal(large, small);
      } finally {
        mock.timers.reset();
      }
    });

    test('a past edition has its own page and a draft is not public', async () => {
      assert.equal((await t.app.inject(`/observatoire/editions/${editionId}`)).statusCode, 200);
      const draft = await createDraft(t.db, { name: 'Brouillon', period: 'T2', windowStart: '2026-04-01', windowEnd: '2026-06-30' }, null);
      assert.equal((await t.app.inject(`/observatoire/editions/${draft}`)).statusCode, 404);
      const list = await t.app.inject('/observatoire/editions');
      assert.match(list.body, /Printemps 2026/);
      assert.doesNotMatch(list.body, /Brouillon/);
    });
  });
}
