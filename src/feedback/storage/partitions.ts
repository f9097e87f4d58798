import type { Db, Queryable } from '../../kernel/db/db.ts';
import type { Jobs } from '../../kernel/jobs/jobs.ts';
import { todayInParis } from '../backoffice/window.ts';

export const PARTITIONS_QUEUE = 'feedback.partitions';
/** Every day at 03:17 (Paris), and once at start. */
const DAILY = '17 3 * * *';
const DEFAULT_AHEAD = 3;
const MAX_AHEAD = 120;

/** How many months after the current one must have their partition (`app_settings.feedback_partitions_ahead`). */
export async function monthsAhead(db: Queryable): Promise<number> {
  const { rows } = await db.query(`SELECT value FROM app_settings WHERE key = 'feedback_partitions_ahead'`);
  const v = Number(rows[0]?.value);
  return Number.isInteger(v) && v >= 0 && v <= MAX_AHEAD ? v : DEFAULT_AHEAD;
}

export interface EnsuredMonth {
  /** First day of the month, YYYY-MM-DD. */
  month: string;
  /** Rows moved out of the default partition into the new one. */
  moved: number;
}

/**
 * Makes sure the partitions of `feedback_answers` exist for the current month (Paris) and the next N months, in one
 * transaction. Returns the months created now (the others already existed).
 */
export async function ensureAnswerPartitions(db: Db, now = new Date()): Promise<EnsuredMonth[]> {
  const ahead = await monthsAhead(db);
  const first = `${todayInParis(now).slice(0, 7)}-01`;
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ month: string; moved: number | null }>(
      `SELECT to_char(m, 'YYYY-MM-DD') AS month, feedback_ensure_month(m::date) AS moved
         FROM generate_series($1::date, $1::date + make_interval(months => $2::int), interval '1 month') AS m
        ORDER BY m`,
      [first, ahead],
    );
    return rows.filter((r) => r.moved !== null).map((r) => ({ month: r.month, moved: Number(r.moved) }));
  });
}

/** The worker, its daily schedule and a first run at start. */
export async function registerPartitionsJob(db: Db, jobs: Jobs): Promise<void> {
  await jobs.work(PARTITIONS_QUEUE, async () => {
    await ensureAnswerPartitions(db);
  });
  await jobs.schedule(PARTITIONS_QUEUE, DAILY);
  await jobs.send(PARTITIONS_QUEUE, {}, { singletonKey: 'start' });
}
