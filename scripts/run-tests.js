#!/usr/bin/env node
// Runs every *.test.ts file with Node's test runner (TypeScript through tsx).
// Usage: node scripts/run-tests.js [path-filter…]
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';

function find(dir, out = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) find(full, out);
    else if (entry.name.endsWith('.test.ts')) out.push(full);
  }
  return out;
}

const filters = process.argv.slice(2);
const files = [...find('src'), ...find('test')].filter((f) => filters.length === 0 || filters.some((p) => f.includes(p))).sort();
if (files.length === 0) {
  console.error('No test file found.');
  process.exit(1);
}

// Extensions are database-wide: create them once, before test files create their schemas in parallel.
if (process.env.TEST_DATABASE_URL) {
  const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await client.connect();
  await client.query('CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public');
  await client.query('CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public');
  await client.end();
}

const concurrency = process.env.TEST_CONCURRENCY ?? '2';
// Said once, before and after the run (the spec reporter's output is long): a green run on PGlite alone is not a full one.
const pgNotTested =
  'PostgreSQL non testé : TEST_DATABASE_URL n’est pas défini, seul PGlite a été testé (PostgreSQL not tested: set TEST_DATABASE_URL).';
if (!process.env.TEST_DATABASE_URL) console.log(pgNotTested);
// A test that hangs fails after 10 minutes instead of holding CI until its own limit.
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-timeout=600000', '--test-reporter=spec', ...files],
  { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } },
);
if (!process.env.TEST_DATABASE_URL) console.log(`\n${pgNotTested}`);
process.exit(result.status ?? 1);
