import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Db } from './db.ts';
import { openPglite } from './pglite.ts';
import { initPgliteDataDir } from './pglite-init.ts';
import { openPostgres } from './postgres.ts';

/** Opens the database named by the configuration: a PostgreSQL server when a URL is given, else PGlite in the data folder. */
export async function openDatabase(config: { databaseUrl?: string; dataDir: string }): Promise<Db> {
  if (config.databaseUrl) return openPostgres(config.databaseUrl);
  const dir = path.join(config.dataDir, 'pglite');
  mkdirSync(dir, { recursive: true });
  initPgliteDataDir(dir);
  return openPglite(dir);
}
