import { mkdirSync } from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import type { Db } from './db.ts';
import { openPglite } from './pglite.ts';
import { lockPgliteDir } from './pglite-lock.ts';
import { initPgliteDataDir } from './pglite-init.ts';
import { openPostgres } from './postgres.ts';

/** Where PGlite keeps its files inside the data folder. */
export function pgliteDir(dataDir: string): string {
  return path.join(dataDir, 'pglite');
}

/** Opens the database named by the configuration: a PostgreSQL server when a URL is given, else PGlite in the data folder. */
export async function openDatabase(config: { databaseUrl?: string; dataDir: string; pgliteOptimize: boolean }): Promise<Db> {
  if (config.databaseUrl) return openPostgres(config.databaseUrl);
  const dir = pgliteDir(config.dataDir);
  mkdirSync(dir, { recursive: true });
  const release = lockPgliteDir(dir); // refuses while another process (the server) has it open
  try {
    initPgliteDataDir(dir);
  } catch (error) {
    release();
    throw error;
  }
  // V8 compiles PGlite's 9 MB WebAssembly module with Liftoff, then recompiles hot functions with TurboFan and keeps
  // both: about 55 MB more at rest for about 8 % more throughput (docs/performance.md). An embedded database serves a
  // small instance, where memory matters more; the flag must be set before the module is compiled.
  if (!config.pgliteOptimize) v8.setFlagsFromString('--liftoff-only');
  let db: Db;
  try {
    db = await openPglite(dir);
  } catch (error) {
    release();
    throw error;
  }
  const close = db.close.bind(db);
  db.close = async () => {
    try {
      await close();
    } finally {
      release();
    }
  };
  return db;
}
