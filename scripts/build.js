#!/usr/bin/env node
// Compiles src/ to JavaScript in dist/ (same tree, migrations and assets copied beside the code) so that the server
// runs without transpiling TypeScript at start: about 30 MB less memory (no tsx loader thread) and a faster start.
// Does nothing when dist/ is already up to date. Usage: node scripts/build.js [--out-dir DIR] [--force]
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { STAMP, isDistFresh } from './dist-state.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const outIndex = args.indexOf('--out-dir');
const outDir = outIndex >= 0 ? path.resolve(args[outIndex + 1]) : path.join(root, 'dist');

if (!args.includes('--force') && isDistFresh(root, outDir)) process.exit(0);

let tsc;
try {
  tsc = path.join(path.dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
} catch {
  // Installed without dev dependencies: bin/vigie.js runs the TypeScript sources through tsx instead.
  console.log('TypeScript absent (dépendances de développement non installées) : Vigie s’exécutera depuis les sources.');
  process.exit(0);
}

const started = Date.now();
rmSync(outDir, { recursive: true, force: true });
// tsc still writes the JavaScript when it finds type errors (they are `npm test`'s business): warn and go on.
const compiled = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json'), '--outDir', outDir], { stdio: 'inherit' });
if (compiled.status !== 0) console.error('Avertissement : erreurs de typage (détail : `npm run typecheck`).');

// SQL migrations, stylesheets and browser scripts are read from disk next to the modules that own them.
function copyNonTypeScript(from, to) {
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) copyNonTypeScript(source, target);
    else if (!entry.name.endsWith('.ts')) cpSync(source, target);
  }
}
copyNonTypeScript(path.join(root, 'src'), path.join(outDir, 'src'));
if (!existsSync(path.join(outDir, 'src', 'cli', 'main.js'))) {
  rmSync(outDir, { recursive: true, force: true });
  console.error('Compilation incomplète (src/cli/main.js absent) : Vigie s’exécutera depuis les sources.');
  process.exit(0);
}
writeFileSync(path.join(outDir, STAMP), new Date().toISOString() + '\n');
console.log(`Sources compilées dans ${path.relative(root, outDir) || '.'}/ en ${((Date.now() - started) / 1000).toFixed(1)} s.`);
