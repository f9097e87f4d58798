import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { brotliDecompressSync } from 'node:zlib';
import { TEST_TARGETS } from '../../../test/helpers/db.ts';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createTestUser, sessionClient } from '../../../test/helpers/users.ts';
import { setLiveValues } from '../test-fixtures.ts';
import { createDraft } from '../editions/drafts.ts';
import { publishEdition } from '../editions/publish.ts';
import { correctEdition } from '../editions/correct.ts';
import { PAGE_CACHE_LIMITS, pageCacheSize } from './page-cache.ts';
import { syncPublicVersion } from './public-cache.ts';
import { createTestCatalog, type TestCatalog } from '../../catalog/testing.ts';

async function publicVersion(t: TestApp): Promise<number> {
  return Number((await t.db.query('SELECT version FROM obs_public_version')).rows[0].version);
}

for (const target of TEST_TARGETS) {
  describe(`observatoire page cache (${target})`, () => {
    let t: TestApp;
    let f: TestCatalog;
    let editionId: number;
    let pilotId: number;
    before(async () => {
      t = await createTestApp(target);
      f = await createTestCatalog(t.db, { varied: true, procedures: 6 });
      await setLiveValues(t.db, f.procedures, 'satisfaction', [9.5, 2, 8, 5, 7, 1]);
      editionId = await createDraft(
        t.db,
        { name: 'Printemps 2026', period: 'T1 2026', windowStart: '2026-01-01', windowEnd: '2026-03-31' },
        null,
      );
      await publishEdition(t.db, editionId, null);
      pilotId = await createTestUser(t.db, 'pilote-cache@exemple.gouv.fr', [{ role: 'admin' }], { displayName: 'Camille Pilote' });
    });
    after(async () => t?.close());

    test('an anonymous page is rendered once: the same view again costs no query, with its ETag and a 304', async () => {
      const first = await t.app.inject('/observatoire?tri=satisfaction&ordre=desc');
      assert.equal(first.statusCode, 200);
      assert.match(String(first.headers.etag), /^W\/"/);
      const count = t.db.queryCount;
      // The same view written differently (order of parameters, default values spelled out) is the same entry.
      const again = await t.app.inject('/observatoire?ordre=desc&tri=satisfaction&page=1&par_page=50');
      assert.equal(t.db.queryCount, count, 'no query for a cached page');
      assert.equal(again.body, first.body);
      assert.equal(again.headers.etag, first.headers.etag);
      assert.equal(again.headers['cache-control'], 'no-cache');
      const notModified = await t.app.inject({
        url: '/observatoire?tri=satisfaction&ordre=desc',
        headers: { 'if-none-match': String(first.headers.etag) },
      });
      assert.equal(notModified.statusCode, 304);
      assert.equal(notModified.body, '');
      // Compressed once, decoded to the same page.
      const br = await t.app.inject({ url: '/observatoire?tri=satisfaction&ordre=desc', headers: { 'accept-encoding': 'br' } });
      assert.equal(br.headers['content-encoding'], 'br');
      assert.equal(brotliDecompressSync(br.rawPayload).toString('utf8'), first.body);
      // Kept compressed only: the entry weighs less than the page's HTML.
      assert.ok(
        pageCacheSize(t.db).bytes < Buffer.byteLength(first.body),
        `${pageCacheSize(t.db).bytes} bytes kept for a ${Buffer.byteLength(first.body)}-byte page`,
      );
    });

    test('the first view is one light page; the whole table is one click away', async () => {
      const res = await t.app.inject('/observatoire?par_page=2&tri=satisfaction');
      assert.match(
        res.body,
        /<a class="fr-link" href="\/observatoire\?tri=satisfaction&amp;par_page=200#resultats">Afficher les 6 démarches sur une seule page<\/a>/,
      );
      assert.doesNotMatch((await t.app.inject('/observatoire')).body, /sur une seule page/, 'all 6 already shown');
    });

    test('a signed-in visitor gets their own page, never a cached one nor one that is kept', async () => {
      await t.app.inject(`/observatoire/editions/${editionId}`);
      const client = await sessionClient(t.app, t.db, pilotId);
      const res = await client.get(`/observatoire/editions/${editionId}`);
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /Camille Pilote/);
      assert.equal(res.headers['cache-control'], 'no-store');
      const anonymous = await t.app.inject(`/observatoire/editions/${editionId}`);
      assert.doesNotMatch(anonymous.body, /Camille Pilote|Se déconnecter/);
      assert.match(anonymous.body, /Se connecter/);
    });

    test('an invalid view is answered 400 and not cached; an unknown edition is a 404', async () => {
      const bad = await t.app.inject('/observatoire?tri=inconnu');
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.headers.etag, undefined);
      assert.equal((await t.app.inject('/observatoire/editions/999999')).statusCode, 404);
      assert.equal((await t.app.inject('/observatoire/editions/abc')).statusCode, 404);
    });

    test('a correction made on this server shows at once', async () => {
      const before = await t.app.inject('/observatoire?q=0001');
      assert.match(before.body, /9,5/);
      await correctEdition(
        t.db,
        editionId,
        [{ procedureId: f.procedures[0], indicator: 'satisfaction', value: '3.5' }],
        'Erreur de saisie',
        { id: pilotId, email: 'pilote-cache@exemple.gouv.fr' },
      );
      const after = await t.app.inject('/observatoire?q=0001');
      assert.match(after.body, /3,5/);
      assert.notEqual(after.headers.etag, before.headers.etag);
    });

    test('a change written by another server (straight to the database) is seen after the next version check', async () => {
      const version = await publicVersion(t);
      const before = await t.app.inject(`/observatoire/editions/${editionId}`);
      assert.match(before.body, /Printemps 2026/);
      // What another server's publication or correction does: a statement on a table public pages read.
      await t.db.query(`UPDATE obs_editions SET name = 'Printemps 2026 (révisé)' WHERE id = $1`, [editionId]);
      assert.ok((await publicVersion(t)) > version, 'the trigger bumped the public version');
      // Until this server checks the version, its cache answers (at most a second in production)…
      assert.doesNotMatch((await t.app.inject(`/observatoire/editions/${editionId}`)).body, /révisé/);
      // …and once it has, the page is rendered again.
      await syncPublicVersion(t.db, 0);
      assert.match((await t.app.inject(`/observatoire/editions/${editionId}`)).body, /Printemps 2026 \(révisé\)/);
    });

    test('the cache is bounded in entries and in bytes, the least recently used going first', async () => {
      const saved = { ...PAGE_CACHE_LIMITS };
      try {
        PAGE_CACHE_LIMITS.maxEntries = 2;
        for (const q of ['q=1', 'q=2', 'q=3']) assert.equal((await t.app.inject(`/observatoire?${q}`)).statusCode, 200);
        assert.equal(pageCacheSize(t.db).entries, 2);
        const count = t.db.queryCount;
        await t.app.inject('/observatoire?q=3');
        assert.equal(t.db.queryCount, count, 'the most recent view is still cached');
        await t.app.inject('/observatoire?q=1');
        assert.ok(t.db.queryCount > count, 'the oldest view was dropped');
        PAGE_CACHE_LIMITS.maxEntries = 100;
        PAGE_CACHE_LIMITS.maxBytes = 1;
        await t.app.inject('/observatoire?q=4');
        assert.ok(pageCacheSize(t.db).entries <= 1);
      } finally {
        Object.assign(PAGE_CACHE_LIMITS, saved);
      }
    });
  });
}
