#!/usr/bin/env node
// Rewrites imports that reach into another module's files so that they go through that module's entry file
// src/<module>/index.ts, adding the named re-exports the entry file needs. Run it after moving code between modules;
// `npm test` (test/boundaries.test.ts, dependency-cruiser) fails on any import it would have rewritten.
// Usage: node scripts/module-entry-imports.js [--check]
import { readFileSync, writeFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '..');
const SRC = join(ROOT, 'src');
const APP_LEVEL = new Set(['kernel', 'cli', 'demo']); // not modules: the kernel, and the app's wiring
const check = process.argv.includes('--check');

function* tsFiles(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* tsFiles(path);
    else if (name.endsWith('.ts')) yield path;
  }
}

const moduleOf = (file) => relative(SRC, file).split(sep)[0];
const allowedTarget = (from, to) => {
  if (!to.startsWith(SRC + sep)) return true; // packages, node:, test/
  if (!relative(SRC, to).includes(sep) || !relative(SRC, from).includes(sep)) return true; // src/app.ts, src/start.ts: the wiring
  const [fromModule, toModule] = [moduleOf(from), moduleOf(to)];
  if (toModule === fromModule || toModule === 'kernel' || APP_LEVEL.has(fromModule)) return true;
  const rest = relative(join(SRC, toModule), to);
  if (rest === 'index.ts') return true;
  const inTests = /([.]test[.]ts|[/]testing[.]ts|[/]test-fixtures[.]ts)$/.test(from) || from.includes(`${sep}bench${sep}`);
  return inTests && (rest === 'testing.ts' || rest === 'test-fixtures.ts' || toModule === 'demo');
};

const IMPORT = /import\s+(type\s+)?\{([^}]*)\}\s+from\s+'(\.[^']+)';/g;
const exportsToAdd = new Map(); // entry file -> Map(target relative path -> {values:Set, types:Set})
const rewrites = [];

for (const file of tsFiles(SRC)) {
  const source = readFileSync(file, 'utf8');
  let changed = source.replace(IMPORT, (whole, typeOnly, names, specifier) => {
    const target = resolve(dirname(file), specifier);
    if (allowedTarget(file, target)) return whole;
    const module = moduleOf(target);
    const entry = join(SRC, module, 'index.ts');
    const byTarget = exportsToAdd.get(entry) ?? new Map();
    exportsToAdd.set(entry, byTarget);
    const key = './' + relative(join(SRC, module), target).split(sep).join('/');
    const bucket = byTarget.get(key) ?? { values: new Set(), types: new Set() };
    byTarget.set(key, bucket);
    for (const raw of names
      .split(',')
      .map((n) => n.trim())
      .filter(Boolean)) {
      const isType = !!typeOnly || raw.startsWith('type ');
      const name = raw.replace(/^type\s+/, '').split(/\s+as\s+/)[0];
      (isType ? bucket.types : bucket.values).add(name);
    }
    let entrySpecifier = relative(dirname(file), entry).split(sep).join('/');
    if (!entrySpecifier.startsWith('.')) entrySpecifier = './' + entrySpecifier;
    rewrites.push(`${relative(ROOT, file)}: ${specifier} → ${entrySpecifier}`);
    return `import ${typeOnly ?? ''}{${names}} from '${entrySpecifier}';`;
  });
  if (changed !== source && !check) writeFileSync(file, changed);
}

for (const [entry, byTarget] of exportsToAdd) {
  let text = existsSync(entry)
    ? readFileSync(entry, 'utf8')
    : `// What the ${moduleOf(entry)} module offers the other modules (docs/architecture.md « Imports between modules »).\n`;
  for (const [target, { values, types }] of byTarget) {
    const present = (name) => new RegExp(`export (type )?\\{[^}]*\\b${name}\\b[^}]*\\} from '${target.replace(/[.]/g, '[.]')}'`).test(text);
    const newValues = [...values].filter((n) => !present(n)).sort();
    const newTypes = [...types].filter((n) => !values.has(n) && !present(n)).sort();
    if (newValues.length) text += `export { ${newValues.join(', ')} } from '${target}';\n`;
    if (newTypes.length) text += `export type { ${newTypes.join(', ')} } from '${target}';\n`;
  }
  if (!check) writeFileSync(entry, text);
}

for (const line of rewrites) console.log(line);
if (check && rewrites.length) {
  console.error(`${rewrites.length} imports reach into another module; run: node scripts/module-entry-imports.js`);
  process.exit(1);
}
