import { after, before, describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LightMyRequestResponse } from 'fastify';
import { createTestApp, type TestApp } from './helpers/app.ts';
import { TestClient } from './helpers/client.ts';
import { clientWithGrants } from './helpers/users.ts';
import { READERS } from '../src/kernel/spreadsheet/limits.ts';
import { csvDelimiterFlood, odsRepeatedCells, xlsxFarRightColumn, xlsxInflationBomb } from '../src/kernel/spreadsheet/testing-hostile.ts';
import { createTestCatalog, type TestCatalog } from '../src/catalog/testing.ts';

/**
 * Issue 10, « one small file takes the service down »: each hostile file of the issue, generated here, is sent
 * through the real upload routes while another client keeps calling `/healthz` over a socket. Each must get its clear
 * French message, nothing written, the server answering all along (the file is read in a worker thread) and the
 * process memory staying far below the gigabytes the old reader took.
 *
 * Timing: the issue asks for /healthz within 100 ms during the upload. That holds on a calm machine (see the figures
 * this test prints); on a loaded one (CI, several agents on two cores) the bound asserted is generous, measured
 * against the same server's latency just before, and the load-independent proof is that /healthz answered many
 * times while the file was being read, instead of once at the end.
 */
const MB = 1024 * 1024;

function multipart(
  fields: Record<string, string>,
  fileField: string,
  fileName: string,
  content: Buffer,
): { payload: Buffer; contentType: string } {
  const boundary = '----vigie' + Math.random().toString(16).slice(2);
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields))
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${fileField}"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

async function valueImport(client: TestClient, fileName: string, content: Buffer): Promise<LightMyRequestResponse> {
  await client.get('/observatoire/admin/valeurs/import');
  const { payload, contentType } = multipart({ _csrf: client.lastCsrf!, simulation: 'oui' }, 'fichier', fileName, content);
  return client.request({ method: 'POST', url: '/observatoire/admin/valeurs/import', payload, headers: { 'content-type': contentType } });
}

async function catalogueImport(client: TestClient, fileName: string, content: Buffer): Promise<LightMyRequestResponse> {
  await client.get('/catalogue/import');
  const { payload, contentType } = multipart({}, 'fichier', fileName, content);
  return client.request({
    method: 'POST',
    url: `/catalogue/import?_csrf=${encodeURIComponent(client.lastCsrf!)}`,
    payload,
    headers: { 'content-type': contentType },
  });
}

/** Messages write numbers the French way, with narrow no-break spaces: compared here with plain spaces. */
const text = (body: string) => body.replace(/\u202f/g, ' ');

describe('issue 10: hostile uploads', () => {
  let t: TestApp;
  let f: TestCatalog;
  let member: TestClient;
  let admin: TestClient;
  let origin = '';
  const written = async () => {
    const values = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM obs_live_values');
    const procedures = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM procedures');
    return { values: values.rows[0].n, procedures: procedures.rows[0].n };
  };

  before(async () => {
    t = await createTestApp('pglite');
    f = await createTestCatalog(t.db, { varied: true, procedures: 4 });
    member = await clientWithGrants(t.app, t.db, [{ role: 'administration_member', administrationId: f.administrations[0] }]);
    admin = await clientWithGrants(t.app, t.db, [{ role: 'admin' }]);
    origin = await t.app.listen({ host: '127.0.0.1', port: 0 });
  });
  after(async () => t.close());

  /** Sends the upload and, until it is answered, calls /healthz over the socket and samples the process memory. */
  async function duringUpload(context: TestContext, send: () => Promise<LightMyRequestResponse>) {
    const ping = async () => {
      const started = performance.now();
      const response = await fetch(`${origin}/healthz`);
      await response.arrayBuffer();
      assert.equal(response.status, 200);
      return performance.now() - started;
    };
    const calm: number[] = [];
    for (let i = 0; i < 5; i++) calm.push(await ping());
    const rssBefore = process.memoryUsage().rss;
    let peakRss = rssBefore;
    let answered = false;
    const upload = send().finally(() => {
      answered = true;
    });
    const latencies: number[] = [];
    while (!answered) {
      latencies.push(await ping());
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      await sleep(10);
    }
    const response = await upload;
    const worst = Math.max(0, ...latencies);
    const growth = (peakRss - rssBefore) / MB;
    context.diagnostic(
      `/healthz: ${latencies.length} answers during the upload, worst ${worst.toFixed(0)} ms (before: worst ${Math.max(...calm).toFixed(0)} ms); RSS +${growth.toFixed(0)} MB`,
    );
    // Generous: a stalled event loop held /healthz 4 to 18 s; a loaded machine alone may take a few hundred ms.
    assert.ok(worst < 3000 + 5 * Math.max(...calm), `/healthz took ${worst.toFixed(0)} ms during the upload`);
    // The old reader took 1 to 3 GB; a reading thread has a 256 MB heap, plus the buffers of the upload.
    assert.ok(growth < READERS.heapMb + 256, `RSS grew by ${growth.toFixed(0)} MB`);
    return { response, latencies };
  }

  test('a 50 KB ODS with one row of 140 000 cells repeated 1 000 times: clear message, nothing written', async (context) => {
    const before = await written();
    const ods = odsRepeatedCells();
    assert.ok(ods.length < 100 * 1024);
    const { response } = await duringUpload(context, () => valueImport(member, 'valeurs.ods', ods));
    assert.equal(response.statusCode, 400);
    assert.match(text(response.body), /Le fichier dépasse 200 colonnes : la ligne 1 a une valeur en colonne GS/);
    assert.match(response.body, /Rien n’a été enregistré/);
    const catalogue = await duringUpload(context, () => catalogueImport(admin, 'demarches.ods', ods));
    assert.equal(catalogue.response.statusCode, 400);
    assert.match(text(catalogue.response.body), /Le fichier dépasse 200 colonnes/);
    assert.deepEqual(await written(), before);
  });

  test('a 20 KB XLSX of 4 000 rows whose only cell is in column XFD: clear message, nothing written', async (context) => {
    const before = await written();
    const { response } = await duringUpload(context, () => valueImport(member, 'valeurs.xlsx', xlsxFarRightColumn()));
    assert.equal(response.statusCode, 400);
    assert.match(text(response.body), /la ligne 1 a une valeur en colonne XFD \(la 16 384ᵉ\)/);
    assert.deepEqual(await written(), before);
  });

  test('5 MB of « ; » (and 19 MB to the catalogue): clear message, nothing written', async (context) => {
    const before = await written();
    const { response } = await duringUpload(context, () => valueImport(member, 'valeurs.csv', csvDelimiterFlood(5_000_000)));
    assert.equal(response.statusCode, 400);
    assert.match(text(response.body), /La ligne 1 du fichier a plus de 16 384 cellules/);
    const catalogue = await duringUpload(context, () => catalogueImport(admin, 'demarches.csv', csvDelimiterFlood(19 * MB)));
    assert.equal(catalogue.response.statusCode, 400);
    assert.match(text(catalogue.response.body), /La ligne 1 du fichier a plus de 16 384 cellules/);
    assert.deepEqual(await written(), before);
  });

  test('an XLSX whose sheet declares 1 000 bytes and inflates to 1.5 GB: stopped at 50 MB, the server answering all along', async (context) => {
    const before = await written();
    const bomb = xlsxInflationBomb();
    assert.ok(bomb.length < 5_000_000, `${bomb.length} bytes`);
    const started = performance.now();
    const { response, latencies } = await duringUpload(context, () => valueImport(member, 'valeurs.xlsx', bomb));
    const elapsed = performance.now() - started;
    assert.equal(response.statusCode, 400);
    // Inflating and parsing 50 MB takes 2 to 4 s on a calm machine: the cap is what stops it. On a machine so loaded
    // that it takes more than the reading thread's time limit, the limit stops it first, just as clearly (the cap
    // itself is proven in-thread by src/kernel/spreadsheet/limits.test.ts).
    if (elapsed < READERS.timeoutMs) assert.match(response.body, /Le classeur est trop volumineux une fois décompressé \(plus de 50 Mo\)/);
    else assert.match(response.body, /Le classeur est trop volumineux une fois décompressé|La lecture du fichier a dépassé 30 secondes/);
    // Reading 50 MB of XML takes a while: the server answered /healthz again and again meanwhile, not once at the end.
    assert.ok(latencies.length >= 3, `${latencies.length} answers`);
    assert.deepEqual(await written(), before);
  });
});
