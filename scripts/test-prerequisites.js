#!/usr/bin/env node
// What `npm test` needs beyond `npm install`, checked before anything runs: a Node.js version within `engines`, and
// the Chromium the browser tests drive (CHROMIUM_PATH, /usr/bin/chromium by default). A missing Chromium is installed
// from Debian's packages when this machine can (root and apt-get, as .ci/run does); otherwise the script stops at once
// with one line saying what to install, instead of every browser test failing one by one.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import path from 'node:path';

function fail(message) {
  console.error(message);
  process.exit(1);
}

function executable(file) {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(command) {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => dir && executable(path.join(dir, command)));
}

// Node.js: the lowest version `engines` accepts is the one written first (e.g. « ^20.19.0 || … »).
const engines = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).engines?.node ?? '';
const lowest = /(\d+)\.(\d+)/.exec(engines);
const [major, minor] = process.versions.node.split('.').map(Number);
if (lowest && (major < Number(lowest[1]) || (major === Number(lowest[1]) && minor < Number(lowest[2])))) {
  fail(`Tests impossibles : Node.js ${process.versions.node} est trop ancien, installez Node.js ${engines} (package.json, « engines »).`);
}

const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
if (!executable(chromium)) {
  const canInstall = process.env.CHROMIUM_PATH === undefined && process.getuid?.() === 0 && onPath('apt-get');
  if (!canInstall) {
    fail(
      `Tests impossibles : Chromium est introuvable (${chromium}) ; installez-le (Debian, Ubuntu : sudo apt-get install chromium) ` +
        'ou indiquez son chemin dans CHROMIUM_PATH.',
    );
  }
  console.error('Chromium est introuvable : installation du paquet Debian « chromium » (apt-get)…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update', '-qq'], { stdio: ['ignore', 'ignore', 'inherit'], env });
  const install =
    update.status === 0 && spawnSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: ['ignore', 'ignore', 'inherit'], env });
  if (!install || install.status !== 0 || !executable(chromium)) {
    fail('Tests impossibles : l’installation de Chromium a échoué (apt-get install chromium) ; installez-le puis relancez npm test.');
  }
}
