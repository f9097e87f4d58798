import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Without TEST_DATABASE_URL the run says, in one clear line before and after the test output, that PostgreSQL was not
// tested (scripts/run-tests.js prints it: a test file's own stdout belongs to Node's test runner protocol).
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const LINE =
  'PostgreSQL non testé : TEST_DATABASE_URL n’est pas défini, seul PGlite a été testé (PostgreSQL not tested: set TEST_DATABASE_URL).';

function run(env: NodeJS.ProcessEnv) {
  return spawnSync(process.execPath, ['scripts/run-tests.js', 'src/kernel/web/i18n.test.ts'], { cwd: root, env, encoding: 'utf8' });
}

test('without TEST_DATABASE_URL: the line comes first and last, and the run still passes', () => {
  const { TEST_DATABASE_URL: _, ...env } = process.env;
  const result = run(env);
  assert.equal(result.status, 0, result.stderr);
  const lines = result.stdout.trim().split('\n');
  assert.equal(lines[0], LINE);
  assert.equal(lines.at(-1), LINE);
  assert.equal(lines.filter((l) => l === LINE).length, 2);
});

test('with TEST_DATABASE_URL: no such line', { skip: process.env.TEST_DATABASE_URL ? false : 'needs TEST_DATABASE_URL' }, () => {
  const result = run(process.env);
  assert.equal(result.status, 0, result.stderr);
  assert.doesNotMatch(result.stdout, /PostgreSQL non testé/);
});
