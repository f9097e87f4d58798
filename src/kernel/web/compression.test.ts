import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { TEST_TARGETS, openTestDb, type TestDb } from '../../../test/helpers/db.ts';
import { testConfig } from '../../../test/helpers/app.ts';
import { buildServer, type Module } from './server.ts';
import { PUBLIC } from './access.ts';
import { sendPage } from './render.ts';
import { html } from './html.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const csvLines = Array.from({ length: 2000 }, (_, i) => `${i};démarche ${i};${i % 7}\n`);

/** A page, and downloads like the app's exports: a streamed CSV and an XLSX (a zip already). */
const exportsModule: Module = {
  name: 'test-exports',
  routes: async (app) => {
    app.get('/test/export.csv', PUBLIC, async (_request, reply) =>
      reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="export.csv"')
        .send(Readable.from(csvLines)),
    );
    app.get('/test/page', PUBLIC, async (request, reply) =>
      sendPage(request, reply, { title: 'Essai', content: html`<h1>Une page ordinaire</h1>` }),
    );
    app.get('/test/export.xlsx', PUBLIC, async (_request, reply) => reply.type(XLSX).send(Buffer.alloc(50_000, 7)));
  },
};

for (const target of TEST_TARGETS) {
  describe(`HTTP compression (${target})`, () => {
    let app: FastifyInstance;
    let db: TestDb;
    before(async () => {
      db = await openTestDb(target);
      app = await buildServer({ config: testConfig(), db, mailer: { async send() {}, async close() {} }, jobs: null }, [exportsModule]);
      await app.ready();
    });
    after(async () => {
      await app.close();
      await db.destroy();
    });

    test('HTML pages are sent brotli-compressed when the browser accepts it, gzip otherwise, plain without either', async () => {
      const br = await app.inject({ url: '/test/page', headers: { 'accept-encoding': 'gzip, deflate, br' } });
      assert.equal(br.headers['content-encoding'], 'br');
      assert.match(brotliDecompressSync(br.rawPayload).toString(), /Une page ordinaire/);
      const gzip = await app.inject({ url: '/test/page', headers: { 'accept-encoding': 'gzip' } });
      assert.equal(gzip.headers['content-encoding'], 'gzip');
      assert.match(gunzipSync(gzip.rawPayload).toString(), /Une page ordinaire/);
      const plain = await app.inject({ url: '/test/page', headers: { 'accept-encoding': 'identity' } });
      assert.equal(plain.headers['content-encoding'], undefined);
      assert.match(plain.body, /Une page ordinaire/);
    });

    test('static DSFR files are compressed too, and come back identical', async () => {
      const plain = await app.inject({ url: '/assets/dsfr/dsfr.min.css' });
      const br = await app.inject({ url: '/assets/dsfr/dsfr.min.css', headers: { 'accept-encoding': 'br' } });
      assert.equal(br.statusCode, 200);
      assert.equal(br.headers['content-encoding'], 'br');
      assert.ok(br.rawPayload.length < plain.rawPayload.length / 5, `${br.rawPayload.length} bytes compressed`);
      assert.ok(brotliDecompressSync(br.rawPayload).equals(plain.rawPayload));
      const js = await app.inject({ url: '/assets/dsfr/dsfr.module.min.js', headers: { 'accept-encoding': 'gzip' } });
      assert.equal(js.headers['content-encoding'], 'gzip');
    });

    test('the light stylesheet of bare pages is served compressed, cacheable for good, the same in every encoding', async () => {
      const page = await app.inject('/test/page');
      assert.match(page.body, /dsfr\.min\.css/, 'ordinary pages keep the full DSFR');
      const { layout } = await import('./layout.ts');
      const bare = layout(
        { title: 'Avis', content: { value: '' } as any, bare: true },
        { user: null, csrfToken: 'x', path: '/avis', isDemo: false, logoutAction: '/deconnexion' },
      );
      const href = /<link rel="stylesheet" href="([^"]+)">/.exec(bare)![1];
      assert.doesNotMatch(bare, /icons\.min\.css|dsfr\.module/);
      const plain = await app.inject(href);
      assert.equal(plain.statusCode, 200);
      assert.match(String(plain.headers['content-type']), /text\/css/);
      assert.match(String(plain.headers['cache-control']), /immutable/);
      assert.match(plain.body, /\.fr-radio-group/);
      assert.match(plain.body, /Marianne-Regular\.woff2/);
      assert.doesNotMatch(plain.body, /Marianne-Bold|url\(\.\./, 'one font face, no relative URL left');
      const br = await app.inject({ url: href, headers: { 'accept-encoding': 'gzip, br' } });
      assert.equal(br.headers['content-encoding'], 'br');
      assert.ok(brotliDecompressSync(br.rawPayload).equals(plain.rawPayload));
      const gzip = await app.inject({ url: href, headers: { 'accept-encoding': 'gzip' } });
      assert.equal(gzip.headers['content-encoding'], 'gzip');
      assert.ok(gunzipSync(gzip.rawPayload).equals(plain.rawPayload));
      const unknown = await app.inject('/assets/light/0000000000000000.css');
      assert.equal(unknown.statusCode, 404);
      // A name that cannot be a stylesheet's (the route schema refuses it): the same 404 page as an unknown one.
      const errorPage = (body: string) => [
        /<h1>[^<]*<\/h1>/.exec(body)?.[0],
        /La page que vous cherchez est introuvable\.[^<]*/.exec(body)?.[0],
      ];
      assert.deepEqual(errorPage(unknown.body), [
        '<h1>Page non trouvée</h1>',
        'La page que vous cherchez est introuvable. Excusez-nous pour la gêne occasionnée.',
      ]);
      const hash = href.slice(-20, -4);
      for (const name of [
        'x',
        `${hash.toUpperCase()}.css`,
        `${hash}.CSS`,
        `${hash}.css.map`,
        `0${hash}.css`,
        `${hash.slice(1)}.css`,
        '..%2F..%2Fpackage.json',
        '%2e%2e',
        'constructor',
        `${'a'.repeat(16)}.css%00`,
      ]) {
        const res = await app.inject(`/assets/light/${name}`);
        assert.equal(res.statusCode, name.endsWith('%00') ? 400 : 404, name);
        if (res.statusCode === 404) assert.deepEqual(errorPage(res.body), errorPage(unknown.body), name);
      }
    });

    test('streamed CSV exports arrive whole through compression; XLSX (already a zip) is left alone', async () => {
      const csv = await app.inject({ url: '/test/export.csv', headers: { 'accept-encoding': 'br' } });
      assert.equal(csv.statusCode, 200);
      assert.equal(csv.headers['content-encoding'], 'br');
      assert.equal(brotliDecompressSync(csv.rawPayload).toString(), csvLines.join(''));
      const xlsx = await app.inject({ url: '/test/export.xlsx', headers: { 'accept-encoding': 'gzip, br' } });
      assert.equal(xlsx.headers['content-encoding'], undefined);
      assert.equal(xlsx.rawPayload.length, 50_000);
    });
  });
}
