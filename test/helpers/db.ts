import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Db } from '../../src/kernel/db/db.ts';
import { listMigrations, migrate } from '../../src/kernel/db/migrate.ts';
import { openPglite } from '../../src/kernel/db/pglite.ts';
import { openPostgres } from '../../src/kernel/db/postgres.ts';

export type TestTarget = 'pglite' | 'postgres';

/** PGlite always; the real PostgreSQL server too when TEST_DATABASE_URL is set (CI sets it). */
export const TEST_TARGETS: TestTarget[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

const cacheDir = path.resolve('.test-cache');

function migrationsHash(): string {
  const hash = createHash('sha256');
  for (const m of listMigrations()) hash.update(m.name).update(readFileSync(m.file));
  return hash.digest('hex').slice(0, 16);
}

/** A migrated PGlite in memory, loaded from a dump made once per migration set (initdb and migrations are slow). */
async function freshPglite(): Promise<Db> {
  const file = path.join(cacheDir, `pglite-${migrationsHash()}.tar.gz`);
  if (existsSync(file)) {
    return openPglite(undefined, { loadDataDir: new Blob([readFileSync(file)]) });
  }
  const db = await openPglite();
  await migrate(db);
  const dump = await db.pglite.dumpDataDir('gzip');
  mkdirSync(cacheDir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
  renameSync(tmp, file);
  return db;
}

export interface TestDb extends Db {
  /** Drops what the test created (the schema on PostgreSQL). */
  destroy(): Promise<void>;
  schema?: string;
}

/** A database of its own for one test file: nothing shared, nothing left behind. */
export async function openTestDb(target: TestTarget): Promise<TestDb> {
  if (target === 'pglite') {
    const db = await freshPglite();
    return Object.assign(db, { destroy: () => db.close() });
  }
  const url = process.env.TEST_DATABASE_URL!;
  const schema = `test_${randomBytes(6).toString('hex')}`;
  const admin = await openPostgres(url, { max: 1 });
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.close();
  const db = await openPostgres(url, { schema, max: 5 });
  await migrate(db);
  return Object.assign(db, {
    schema,
    async destroy() {
      await db.close();
      const cleaner = await openPostgres(url, { max: 1 });
      await cleaner.query(`DROP SCHEMA ${schema} CASCADE`);
      await cleaner.close();
    },
  });
}
