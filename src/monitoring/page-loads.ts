import type { Queryable } from '../kernel/db/db.ts';

/**
 * Sums of the load times (ms) measured in a browser for these procedures' pages over [from, to): n, Σ, Σ² — what a
 * mean's t interval and Welch's test need (docs/statistics.md: the loads are a sample of visits' load times).
 */
export async function loadTimeMoments(
  db: Queryable,
  procedureIds: number[],
  from: Date,
  to: Date,
): Promise<{ n: number; sum: number; sumSquares: number }> {
  if (procedureIds.length === 0) return { n: 0, sum: 0, sumSquares: 0 };
  const { rows } = await db.query(
    `SELECT count(*) AS n, COALESCE(sum(l.load_ms::float8), 0) AS sum, COALESCE(sum(l.load_ms::float8 * l.load_ms::float8), 0) AS squares
       FROM monitoring_page_loads l JOIN monitoring_targets t ON t.id = l.target_id
      WHERE t.procedure_id = ANY($1::bigint[]) AND l.measured_at >= $2 AND l.measured_at < $3 AND l.error IS NULL AND l.load_ms IS NOT NULL`,
    [procedureIds, from, to],
  );
  return { n: Number(rows[0].n), sum: Number(rows[0].sum), sumSquares: Number(rows[0].squares) };
}
