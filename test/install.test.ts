import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import semver from 'semver';

// From a fresh clone: `npm install` must not warn, so the Node.js versions Vigie declares (package.json « engines »)
// must be versions every installed package accepts, and the test command must say what is missing in one line.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8'));

test('every package of the lockfile accepts every Node.js version that package.json declares', () => {
  const declared: string = manifest.engines.node;
  assert.ok(semver.validRange(declared), declared);
  // The machines Vigie runs on have Node.js 20: the declared range includes it.
  assert.ok(semver.satisfies('20.20.0', declared), declared);
  const refused: string[] = [];
  for (const [location, entry] of Object.entries<any>(lock.packages)) {
    const wanted: string | undefined = entry.engines?.node;
    if (!location || !wanted) continue;
    if (!semver.subset(declared, wanted)) refused.push(`${location.replace(/^node_modules\//, '')}@${entry.version} wants node ${wanted}`);
  }
  assert.deepEqual(refused, [], `package.json declares node ${declared}, but:\n${refused.join('\n')}`);
});

test('every dependency with an install script is reviewed in allowScripts (npm install warns otherwise)', () => {
  const allowed = new Set(Object.keys(manifest.allowScripts ?? {}).map((spec) => spec.replace(/(.)@.*$/, '$1')));
  const unreviewed = Object.entries<any>(lock.packages)
    .filter(([location, entry]) => location && entry.hasInstallScript)
    .map(([location]) => location.replace(/^.*node_modules\//, ''))
    .filter((name) => !allowed.has(name));
  assert.deepEqual(unreviewed, []);
});

test('without Chromium, the test command stops at once with one line saying what to install', () => {
  // CHROMIUM_PATH given and wrong: nothing to install automatically, whoever runs it.
  const run = spawnSync(process.execPath, ['scripts/test-prerequisites.js'], {
    cwd: root,
    encoding: 'utf8',
    env: { PATH: path.dirname(process.execPath), CHROMIUM_PATH: '/nonexistent/chromium' },
  });
  assert.equal(run.status, 1);
  const lines = run.stderr.trim().split('\n');
  assert.equal(lines.length, 1, run.stderr);
  assert.match(lines[0]!, /Chromium est introuvable \(\/nonexistent\/chromium\)/);
  assert.match(lines[0]!, /apt-get install chromium/);
  assert.match(lines[0]!, /CHROMIUM_PATH/);
  assert.equal(run.stdout, '');
});

test('with Chromium present, the test command goes on silently', () => {
  const run = spawnSync(process.execPath, ['scripts/test-prerequisites.js'], {
    cwd: root,
    encoding: 'utf8',
    env: { PATH: path.dirname(process.execPath), CHROMIUM_PATH: process.execPath }, // any executable file
  });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout + run.stderr, '');
});

test('npm test checks the prerequisites before anything else', () => {
  assert.match(manifest.scripts.test, /^node scripts\/test-prerequisites\.js && /);
});
