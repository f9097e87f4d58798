import { withEnteredByHand, type IndicatorSource, type RawValue } from '../observatoire/index.ts';
import { computeUptime, loadUptimeData } from './uptime.ts';

/** The instant that ends an edition's day `end` (YYYY-MM-DD, included), in Paris, never after now. */
export function windowEnd(end: string, now = new Date()): Date {
  const next = new Date(`${end}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  // Paris midnight: 23:00 or 22:00 UTC the day before; an hour either way changes nothing over 3 months but is kept.
  const parisOffsetHours = Number(
    new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Paris', hour: 'numeric', hourCycle: 'h23' }).format(next),
  );
  const at = new Date(next.getTime() - parisOffsetHours * 3600_000);
  return at < now ? at : now;
}

/** Three calendar months before `to`. */
export function threeMonthsBefore(to: Date): Date {
  const from = new Date(to);
  from.setUTCMonth(from.getUTCMonth() - 3);
  return from;
}

/**
 * The observatoire's « uptime » and « performance » (shared/spec/indicators.md, issue 13), over the 3 months before the
 * end of the edition's window:
 * - uptime: the procedure's uptime counted in time (docs/monitoring.md), in per cent, truncated (never rounded up
 *   across a level's threshold) to 3 decimals;
 * - performance: the mean load time (ms, navigation to the load event, Chromium) of the procedure's pages: each page's
 *   mean over the period, then the mean of the pages, rounded to the millisecond.
 * A procedure Vigie does not monitor keeps the value entered by hand (`manualFallback`), as the accessibility source does,
 * named in `enteredByHand` (shown « saisie manuelle »).
 */
export const monitoringIndicatorSource: IndicatorSource = {
  name: 'monitoring',
  indicators: ['uptime', 'performance'],
  manualFallback: ['uptime', 'performance'],
  async valuesFor(db, procedureIds, window) {
    const result = new Map<number, Record<string, RawValue>>();
    if (procedureIds.length === 0) return result;
    const to = windowEnd(window.end);
    const from = threeMonthsBefore(to);
    const data = await loadUptimeData(db, 'procedure', procedureIds, from, to);
    // The mean of the pages' means: a page measured more often than another does not weigh more.
    const { rows: loads } = await db.query(
      `SELECT procedure_id, avg(page_mean) AS mean FROM (
         SELECT t.procedure_id, avg(l.load_ms) AS page_mean FROM monitoring_page_loads l JOIN monitoring_targets t ON t.id = l.target_id
          WHERE t.procedure_id = ANY($1::bigint[]) AND l.measured_at >= $2 AND l.measured_at < $3 AND l.error IS NULL AND l.load_ms IS NOT NULL
          GROUP BY t.procedure_id, t.id) pages
        GROUP BY procedure_id`,
      [procedureIds, from, to],
    );
    const meanLoad = new Map(loads.map((r) => [Number(r.procedure_id), Math.round(Number(r.mean))]));
    const { rows: stored } = await db.query<{ procedure_id: number; indicator: string; value: RawValue }>(
      `SELECT procedure_id, indicator, value FROM obs_live_values WHERE procedure_id = ANY($1::bigint[]) AND indicator IN ('uptime', 'performance')`,
      [procedureIds],
    );
    const manual = new Map(stored.map((r) => [`${r.procedure_id}:${r.indicator}`, r.value]));
    const byHand = new Map<number, Set<string>>();
    for (const id of procedureIds) {
      const u = computeUptime(data, id, from.getTime(), to.getTime());
      const uptime = u?.percent === null || u?.percent === undefined ? null : Math.floor(u.percent * 1000) / 1000;
      const measured = { uptime, performance: meanLoad.get(id) ?? null };
      const values: Record<string, RawValue> = {};
      for (const indicator of ['uptime', 'performance'] as const) {
        const typed = manual.get(`${id}:${indicator}`) ?? null;
        values[indicator] = measured[indicator] ?? typed;
        if (measured[indicator] === null && typed !== null) {
          if (!byHand.has(id)) byHand.set(id, new Set());
          byHand.get(id)!.add(indicator);
        }
      }
      result.set(id, values);
    }
    return withEnteredByHand(result, byHand);
  },
};
