/**
 * Module boundaries (docs/architecture.md « Imports between modules »): dependency-cruiser with the project's rules
 * (.dependency-cruiser.cjs) finds no violation in src/, and scripts/module-entry-imports.js --check finds no import
 * (type-only ones included) that reaches into another module. Both are first shown to catch a violation in a small tree.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const CRUISER = join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

function cruise(cwd: string): Violation[] {
  const out = execFileSync(process.execPath, [CRUISER, 'src', '--config', join(ROOT, '.dependency-cruiser.cjs'), '--output-type', 'json'], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return (JSON.parse(out) as { summary: { violations: Violation[] } }).summary.violations;
}

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'vigie-boundaries-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

test('the rules catch a module reaching into another, the kernel importing a module, and allow entry files and fixtures', () => {
  const dir = tree({
    'src/kernel/db.ts': "import { helper } from '../alpha/internal.ts';\nexport const db = helper;\n",
    'src/kernel/db.test.ts': "import { fixture } from '../alpha/testing.ts';\nexport const t = fixture;\n",
    'src/alpha/internal.ts': 'export const helper = 1;\n',
    'src/alpha/index.ts': "export { helper } from './internal.ts';\n",
    'src/alpha/testing.ts': 'export const fixture = 2;\n',
    'src/beta/bad.ts': "import { helper } from '../alpha/internal.ts';\nexport const bad = helper;\n",
    'src/beta/good.ts':
      "import { helper } from '../alpha/index.ts';\nimport { db } from '../kernel/db.ts';\nexport const good = helper + db;\n",
    'src/beta/good.test.ts': "import { fixture } from '../alpha/testing.ts';\nexport const t = fixture;\n",
    'src/beta/bad.test.ts': "import { helper } from '../alpha/internal.ts';\nexport const t = helper;\n",
  });
  try {
    const found = cruise(dir)
      .map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`)
      .sort();
    assert.deepEqual(found, [
      'kernel-independent: src/kernel/db.ts -> src/alpha/internal.ts',
      'module-entry-file-in-tests: src/beta/bad.test.ts -> src/alpha/internal.ts',
      'module-entry-file: src/beta/bad.ts -> src/alpha/internal.ts',
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('src/ keeps the module boundaries (runtime imports, dependency-cruiser)', () => {
  const found = cruise(ROOT).map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`);
  assert.deepEqual(found, [], 'fix with: node scripts/module-entry-imports.js (adds the export to the entry file)');
});

test('src/ keeps the module boundaries (type-only imports too, scripts/module-entry-imports.js --check)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigie-boundaries-'));
  try {
    cpSync(join(ROOT, 'scripts/module-entry-imports.js'), join(dir, 'scripts/module-entry-imports.js'));
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
    mkdirSync(join(dir, 'src/alpha'), { recursive: true });
    mkdirSync(join(dir, 'src/beta'), { recursive: true });
    writeFileSync(join(dir, 'src/alpha/model.ts'), 'export type Thing = { id: number };\n');
    writeFileSync(join(dir, 'src/beta/use.ts'), "import type { Thing } from '../alpha/model.ts';\nexport const x: Thing = { id: 1 };\n");
    const bad = spawnSync(process.execPath, [join(dir, 'scripts/module-entry-imports.js'), '--check'], { encoding: 'utf8' });
    assert.equal(bad.status, 1, 'a type-only import into another module is caught');
    assert.match(bad.stdout, /src\/beta\/use\.ts: \.\.\/alpha\/model\.ts → \.\.\/alpha\/index\.ts/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const real = spawnSync(process.execPath, [join(ROOT, 'scripts/module-entry-imports.js'), '--check'], { encoding: 'utf8' });
  assert.equal(real.status, 0, real.stdout + real.stderr);
});
