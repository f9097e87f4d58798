import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';

/**
 * PGlite is a database inside one process: two processes opening the same folder would each write it as if alone and
 * corrupt it. The process that opens it (the server, or a CLI command) writes its pid in a lock file beside it; another
 * process refuses to open it while that pid is alive. A lock left by a process that died (kill -9, crash) is taken over.
 */
export class DatabaseBusyError extends Error {}

/** Beside the PGlite folder (data/pglite.lock), not inside it: initdb wants an empty folder. */
export function lockFile(pgliteDir: string): string {
  return `${pgliteDir}.lock`;
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, owned by another user
  }
}

/** Takes the lock of this PGlite folder or throws DatabaseBusyError; returns the function that releases it. */
export function lockPgliteDir(pgliteDir: string): () => void {
  const file = lockFile(pgliteDir);
  let taken = false;
  for (let attempt = 0; attempt < 3 && !taken; attempt++) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
      taken = true;
      continue;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let holder = NaN;
    try {
      holder = Number(readFileSync(file, 'utf8').trim());
    } catch {
      continue; // released meanwhile: try again
    }
    if (holder !== process.pid && isAlive(holder)) {
      throw new DatabaseBusyError(
        `La base de données embarquée (${pgliteDir}) est utilisée par un autre processus Vigie (pid ${holder}, sans doute « vigie serve ») : ` +
          'arrêtez-le avant de lancer cette commande (une base embarquée ne s’ouvre que dans un processus à la fois), ' +
          'ou utilisez un serveur PostgreSQL (DATABASE_URL) pour travailler à plusieurs.',
      );
    }
    // Left by a process that no longer runs (or by this one): take it over.
    try {
      unlinkSync(file);
    } catch {
      // another process took it over first: the next attempt sees its pid
    }
  }
  if (!taken)
    throw new DatabaseBusyError(
      `La base de données embarquée (${pgliteDir}) est en cours d’ouverture par un autre processus Vigie : réessayez.`,
    );
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off('exit', release);
    try {
      if (Number(readFileSync(file, 'utf8').trim()) === process.pid) unlinkSync(file);
    } catch {
      // already gone
    }
  };
  process.on('exit', release);
  return release;
}
