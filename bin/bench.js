#!/usr/bin/env node
// Runs the benchmarks (TypeScript through tsx): every bench/*.ts file, or the ones named on the command line.
// Usage: npm run bench [-- bench/foundation.ts …]
import { register } from 'tsx/esm/api';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

register();
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const benchDir = path.join(root, 'bench');
const named = process.argv.slice(2);
const files = named.length
  ? named.map((f) => path.resolve(f))
  : readdirSync(benchDir)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
      .sort()
      .map((f) => path.join(benchDir, f));

for (const file of files) {
  console.log(`\n=== ${path.relative(root, file)} ===`);
  const { run } = await import(pathToFileURL(file).href);
  await run();
}
process.exit(0);
