import { readFileSync, readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from './db.ts';

const srcDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface Migration {
  name: string;
  file: string;
  /** Earlier migrations this one stands for on a new database (its `-- replaces: …` first line). */
  replaces?: string[];
}

/** The names in a migration's first line `-- replaces: 0200_a 0201_b`, if it has one. */
export function replacedNames(sql: string): string[] {
  const match = /^--\s*replaces:\s*(.+)$/m.exec(sql.split('\n', 1)[0] ?? '');
  return match ? match[1].split(/[\s,]+/).filter(Boolean) : [];
}

/**
 * Every module keeps its SQL in `src/<module>/migrations/NNNN_name.sql` (the kernel in src/kernel/db/migrations).
 * They are applied in the order of their numbers, across modules (one global order, recorded by name in
 * schema_migrations); each number range belongs to one module, the kernel's (0001–0099) coming first.
 *
 * A landed migration is never edited. When objects move (the identity tables moved from the accounts module to the
 * kernel), a new migration may start with `-- replaces: NNNN_x NNNN_y`: on a database where none of those has run,
 * they are skipped and recorded when the replacing one runs; on a database where any of them has run, they all run as
 * before and the replacing one must then find its work done (IF NOT EXISTS…). Both paths end in the same schema.
 * On such a database the replaced migrations not yet run run first: they come from its older version, before any
 * migration added with the move (whose lower number would otherwise put it ahead of them).
 */
export function listMigrations(root = srcDir): Migration[] {
  const dirs: string[] = [path.join(root, 'kernel/db/migrations')];
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    if (entry.isDirectory()) dirs.push(path.join(root, entry.name, 'migrations'));
  }
  const migrations: Migration[] = [];
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir)) {
      if (!file.endsWith('.sql')) continue;
      const full = path.join(dir, file);
      const replaces = replacedNames(readFileSync(full, 'utf8'));
      migrations.push({ name: file.replace(/\.sql$/, ''), file: full, ...(replaces.length > 0 ? { replaces } : {}) });
    }
  }
  migrations.sort((a, b) => a.name.localeCompare(b.name));
  const seen = new Set<string>();
  for (const m of migrations) {
    const number = m.name.split('_')[0];
    if (seen.has(number)) throw new Error(`Two migrations share the number ${number}`);
    seen.add(number);
  }
  const names = new Set(migrations.map((m) => m.name));
  const replacedBy = new Set<string>();
  for (const m of migrations) {
    for (const name of m.replaces ?? []) {
      if (!names.has(name) || name.localeCompare(m.name) >= 0)
        throw new Error(`${m.name} replaces ${name}, which is not an earlier migration`);
      if (replacedBy.has(name)) throw new Error(`${name} is replaced twice`);
      replacedBy.add(name);
    }
  }
  return migrations;
}

/** Applies the migrations not yet recorded, each once and in its own transaction. Returns the names applied. */
export async function migrate(db: Db, migrations = listMigrations()): Promise<string[]> {
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    name text PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
  const applied: string[] = [];
  const replacer = new Map<string, Migration>();
  for (const m of migrations) for (const name of m.replaces ?? []) replacer.set(name, m);
  // On a database of an older version, the replaced migrations it has not run yet complete its history: they run
  // first, before newer migrations with lower numbers (the kernel's 0003 after the accounts module's 0202–0204).
  const { rows: recorded } = await db.query<{ name: string }>('SELECT name FROM schema_migrations');
  const done = new Set(recorded.map((r) => r.name));
  const history = migrations.filter((m) => {
    const by = replacer.get(m.name);
    return by !== undefined && !done.has(m.name) && (by.replaces ?? []).some((name) => done.has(name));
  });
  for (const migration of [...history, ...migrations.filter((m) => !history.includes(m))]) {
    const sql = readFileSync(migration.file, 'utf8');
    const done = await db.transaction(async (tx) => {
      // Several servers starting at once: the advisory lock makes the others wait, then skip.
      await tx.query('SELECT pg_advisory_xact_lock(727274)');
      const { rows } = await tx.query('SELECT 1 FROM schema_migrations WHERE name = $1', [migration.name]);
      if (rows.length > 0) return false;
      const by = replacer.get(migration.name);
      if (by) {
        // Skipped on a database where neither the replacing migration nor any it replaces has run (a new one).
        const { rows: ran } = await tx.query('SELECT 1 FROM schema_migrations WHERE name = ANY($1::text[])', [
          [by.name, ...(by.replaces ?? [])],
        ]);
        if (ran.length === 0) return false;
      }
      for (const statement of splitStatements(sql)) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (name) VALUES ($1)', [migration.name]);
      for (const name of migration.replaces ?? []) {
        await tx.query('INSERT INTO schema_migrations (name) VALUES ($1) ON CONFLICT (name) DO NOTHING', [name]);
      }
      return true;
    });
    if (done) applied.push(migration.name);
  }
  return applied;
}

/**
 * Splits a migration file into statements, so that both engines run them through the same extended protocol
 * inside one transaction. Statements are separated by a line holding only `;` or by `;` at a line end;
 * dollar-quoted bodies ($$ … $$) are kept whole.
 */
export function splitStatements(sql: string): string[] {
  const statements: string[] = [];
  let current = '';
  let inDollar = false;
  for (const line of sql.split('\n')) {
    const trimmed = line.trim();
    if (!inDollar && (trimmed.startsWith('--') || trimmed === '')) {
      if (current) current += '\n';
      continue;
    }
    const dollarCount = (line.match(/\$\$/g) ?? []).length;
    if (dollarCount % 2 === 1) inDollar = !inDollar;
    current += line + '\n';
    if (!inDollar && trimmed.endsWith(';')) {
      statements.push(current.trim());
      current = '';
    }
  }
  if (current.trim()) statements.push(current.trim());
  return statements;
}
