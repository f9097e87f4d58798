import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { freePort } from '../bench/lib/server-process.ts';
import { MODULES } from '../src/app.ts';

// `npm start` runs the JavaScript that scripts/build.js compiles into dist/: prove that this compiled tree is complete
// (code, SQL migrations, stylesheets and scripts beside it) by serving pages from it on an empty data folder.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, `.build-test-${process.pid}`);
const dataDir = mkdtempSync(path.join(tmpdir(), 'vigie-build-'));
let server: ChildProcess | undefined;
let origin = '';

before(async () => {
  const build = spawnSync(process.execPath, ['scripts/build.js', '--out-dir', outDir], { cwd: root, encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr);
  assert.match(build.stdout, /Sources compilées/);
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  const entry = path.join(outDir, 'src/cli/main.js');
  server = spawn(
    process.execPath,
    ['--input-type=module', '-e', `const { main } = await import(${JSON.stringify(entry)}); await main(['serve']);`],
    {
      cwd: root,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        VIGIE_DATA_DIR: dataDir,
        HOST: '127.0.0.1',
        PORT: String(port),
        VIGIE_JOBS: 'false',
        LOG_LEVEL: 'warn',
      },
      stdio: 'ignore',
    },
  );
  for (let i = 0; i < 600; i++) {
    if (server.exitCode !== null) break;
    const ok = await fetch(`${origin}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await sleep(200);
  }
  assert.fail('the compiled server did not become ready');
});

after(() => {
  server?.kill('SIGKILL');
  rmSync(outDir, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
});

test('the build leaves no test code in the compiled tree and copies every migration', () => {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else files.push(path.relative(outDir, full));
    }
  };
  walk(outDir);
  assert.equal(files.filter((f) => /\.test\.js$|testing\.js$/.test(f)).length, 0);
  assert.equal(existsSync(path.join(outDir, 'test')), false);
  // The kernel's migrations, then every module's (a module without migrations has no folder).
  const folders = ['kernel/db/migrations', ...MODULES.map((module) => `${module.name}/migrations`)];
  assert.ok(existsSync(path.join(root, 'src', folders[0])), 'the kernel has migrations');
  for (const folder of folders) {
    const source = path.join(root, 'src', folder);
    if (!existsSync(source)) continue;
    assert.deepEqual(readdirSync(path.join(outDir, 'src', folder)).sort(), readdirSync(source).sort(), folder);
  }
});

test('the compiled server migrates an empty database, loads the demo and serves pages with their assets', async () => {
  // /referentiel-rgaa reads the RGAA JSON files copied beside the compiled code, /temoignages/delais the experiences'
  // data files (lexicons, default delays).
  for (const page of ['/', '/plan-du-site', '/observatoire', '/connexion', '/referentiel-rgaa', '/temoignages/delais']) {
    const response = await fetch(origin + page);
    assert.equal(response.status, 200, page);
  }
  const observatoire = await (await fetch(`${origin}/observatoire`)).text();
  assert.match(observatoire, /<table/);
  const assets = [...observatoire.matchAll(/(?:href|src)="(\/assets\/[^"]+\.(?:css|js))"/g)].map((m) => m[1]);
  assert.ok(assets.length >= 2, 'the page links stylesheets and scripts');
  for (const asset of new Set(assets)) {
    const response = await fetch(origin + asset);
    assert.equal(response.status, 200, asset);
  }
  const widget = await fetch(`${origin}/avis/widget.js`);
  assert.equal(widget.status, 200);
});

test('the compiled tree reads uploaded spreadsheets in its worker threads (worker.js, without tsx)', async () => {
  const code = `const { SpreadsheetReaders } = await import(${JSON.stringify(path.join(outDir, 'src/kernel/spreadsheet/pool.js'))});
const readers = new SpreadsheetReaders({ concurrency: 1, queue: 0, heapMb: 64, timeoutMs: 30000, idleMs: 1000 });
const { table } = await readers.read(new TextEncoder().encode('Identifiant;Intitulé\\nants-x;Carte grise\\n'), 'a.csv');
await readers.close();
console.log(JSON.stringify(table));`;
  // A plain node process (no tsx loader): the thread must load the compiled worker.js.
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', code], {
    cwd: root,
    encoding: 'utf8',
    env: { PATH: process.env.PATH },
  });
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(JSON.parse(run.stdout), { headers: ['Identifiant', 'Intitulé'], rows: [{ line: 2, cells: ['ants-x', 'Carte grise'] }] });
});
