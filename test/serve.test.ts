import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { freePort } from '../bench/lib/server-process.ts';

// `vigie serve` on the embedded database, as a newcomer starts it: what it prints, what it logs, and the CLI commands
// that would open the same database folder behind its back.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = mkdtempSync(path.join(tmpdir(), 'vigie-serve-'));
const env = {
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  VIGIE_DATA_DIR: dataDir,
  VIGIE_FROM_SOURCES: 'true',
  VIGIE_DEMO: 'false',
  VIGIE_JOBS: 'false',
  HOST: '127.0.0.1',
  LOG_LEVEL: 'info',
};
let server: ChildProcess | undefined;
let output = '';
let origin = '';

function vigie(...args: string[]) {
  return spawnSync(process.execPath, ['bin/vigie.js', ...args], { cwd: root, env, encoding: 'utf8', timeout: 120_000 });
}

before(async () => {
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  server = spawn(process.execPath, ['bin/vigie.js', 'serve'], {
    cwd: root,
    env: { ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout!.on('data', (chunk) => (output += chunk));
  server.stderr!.on('data', (chunk) => (output += chunk));
  for (let i = 0; i < 1200 && server.exitCode === null; i++) {
    if (output.includes('Vigie est prête')) return;
    await sleep(100);
  }
  assert.fail(`the server did not start:\n${output}`);
});

after(() => {
  server?.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

test('the server says in clear, on a line of its own, where Vigie is ready', () => {
  assert.ok(output.split('\n').includes(`Vigie est prête sur ${origin}`), output);
});

test('one log line per request', async () => {
  const response = await fetch(`${origin}/mentions-legales?x=1`);
  assert.equal(response.status, 200);
  await sleep(300);
  const lines = output.split('\n').filter((line) => line.includes('"/mentions-legales"'));
  assert.equal(lines.length, 1, lines.join('\n'));
  const entry = JSON.parse(lines[0]!);
  assert.equal(entry.req.method, 'GET');
  assert.equal(entry.res.statusCode, 200);
  assert.equal(typeof entry.responseTime, 'number');
  assert.ok(!lines[0]!.includes('x=1'), 'the query string stays out of the logs');
});

test('a CLI command refuses to open the embedded database while the server uses it, and says why', () => {
  const run = vigie('migrate');
  assert.equal(run.status, 1, run.stdout + run.stderr);
  assert.match(run.stderr, /La base de données embarquée .* est utilisée par un autre processus Vigie \(pid \d+/);
  assert.match(run.stderr, /arrêtez-le/);
  assert.equal(run.stdout, '');
});

test('once the server has stopped, or died without cleaning up, the CLI opens the database', async () => {
  server!.kill('SIGTERM');
  for (let i = 0; i < 300 && server!.exitCode === null; i++) await sleep(100);
  assert.equal(server!.exitCode, 0, output);
  const lock = path.join(dataDir, 'pglite.lock');
  assert.equal(existsSync(lock), false, 'a clean stop removes the lock');
  assert.match(vigie('migrate').stdout, /Base de données à jour/);

  // A lock left by a process that was killed (its pid no longer runs) does not block anyone.
  const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
  writeFileSync(lock, `${dead.stdout.trim()}\n`);
  const run = vigie('migrate');
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /Base de données à jour/);
  assert.equal(existsSync(lock), false);
});
