import { readFileSync } from 'node:fs';
import type { Db } from '../../src/kernel/db/db.ts';

/** CPU time (user + system, ms) a process has used so far, from /proc (Linux); null elsewhere. */
export function cpuMs(pid: number | undefined): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return null;
  }
}

/** CPU time (ms) used so far by each PostgreSQL backend serving this database (the server's pool), from /proc; null when unreadable. */
export async function pgCpuMs(db: Db): Promise<Map<number, number> | null> {
  const { rows } = await db.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
  );
  const byPid = new Map<number, number>();
  for (const r of rows) {
    const ms = cpuMs(r.pid);
    if (ms === null) return null;
    byPid.set(r.pid, ms);
  }
  return byPid;
}

/** CPU the backends used between two readings; a backend opened meanwhile counts from zero, one closed meanwhile is missed (pools keep them open under load). */
export function pgCpuDelta(before: Map<number, number> | null, after: Map<number, number> | null): number | null {
  if (!before || !after) return null;
  let total = 0;
  for (const [pid, ms] of after) total += ms - (before.get(pid) ?? 0);
  return total;
}
