import type { Db } from '../kernel/db/db.ts';

/**
 * Raw probes live in monthly partitions of `monitoring_probes` (declarative partitioning, on PGlite too). The daily
 * job creates the current and next months' partitions and drops those entirely older than the retention (90 days by
 * default, MONITORING_RAW_DAYS); rows older than the retention in the remaining oldest month and in the default
 * partition are deleted. Hourly rollups follow the same retention; daily rollups and incidents are kept.
 */
/** The advisory lock key of partition creation (any constant: only this code takes it). */
const PARTITIONS_LOCK = 6_000_001;

export async function ensureProbePartitions(db: Db, now = new Date(), monthsAhead = 2): Promise<string[]> {
  const first = `${now.toISOString().slice(0, 7)}-01`;
  // Several probe workers start at once: without the lock two of them would create the same month's table together
  // (PostgreSQL: duplicate key in pg_type). The lock is held until the end of this transaction.
  const rows = await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [PARTITIONS_LOCK]);
    const { rows } = await tx.query<{ month: string; created: boolean }>(
      `SELECT to_char(m, 'YYYY-MM') AS month, monitoring_ensure_month(m::date) AS created
         FROM generate_series($1::date - interval '1 month', $1::date + make_interval(months => $2::int), interval '1 month') AS m ORDER BY m`,
      [first, monthsAhead],
    );
    return rows;
  });
  return rows.filter((r) => r.created).map((r) => r.month);
}

export interface Cleanup {
  droppedPartitions: string[];
  deletedRows: number;
}

export async function cleanupProbes(db: Db, rawDays: number, now = new Date()): Promise<Cleanup> {
  const cutoff = new Date(now.getTime() - rawDays * 86_400_000);
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'monitoring_probes'::regclass`,
    );
    const dropped: string[] = [];
    for (const { name } of rows) {
      const m = name.match(/^monitoring_probes_(\d{4})_(\d{2})$/);
      if (!m) continue;
      const end = Date.UTC(Number(m[1]), Number(m[2]), 1); // first day of the next month
      if (end <= cutoff.getTime()) {
        await tx.query(`DROP TABLE ${name}`); // the name matched the pattern above
        dropped.push(name);
      }
    }
    const { rowCount } = await tx.query(`DELETE FROM monitoring_probes WHERE probed_at < $1`, [cutoff]);
    await tx.query(`DELETE FROM monitoring_rollups_hourly WHERE hour < $1`, [cutoff]);
    return { droppedPartitions: dropped.sort(), deletedRows: rowCount };
  });
}
