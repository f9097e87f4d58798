import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

/** Settings for an embedded database that serves one app: small buffers keep the idle memory low. */
export const PGLITE_CONF = ['shared_buffers=16MB', 'work_mem=4MB', 'maintenance_work_mem=32MB', 'wal_buffers=1MB', 'temp_buffers=4MB'];

/** Whether `dir` already holds a PGlite database (initdb has run). */
export function pgliteDataDirExists(dir: string): boolean {
  return existsSync(path.join(dir, 'PG_VERSION'));
}

/**
 * Creates a new PGlite data folder (initdb) in a short-lived child process. WebAssembly memory never shrinks, so running
 * initdb in the server process would leave it holding several hundred megabytes it no longer needs.
 */
export function initPgliteDataDir(dir: string): void {
  if (pgliteDataDirExists(dir)) return;
  const pgliteUrl = import.meta.resolve('@electric-sql/pglite');
  const script = `const { PGlite } = await import(${JSON.stringify(pgliteUrl)});
const db = new PGlite({ dataDir: ${JSON.stringify(dir)}, postgresqlconf: ${JSON.stringify(PGLITE_CONF)} });
await db.waitReady;
await db.close();`;
  execFileSync(process.execPath, ['--input-type=module', '-e', script], { stdio: 'inherit' });
}
