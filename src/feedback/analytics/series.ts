import type { Queryable } from '../../kernel/db/db.ts';
import { run, sql } from '../../kernel/db/sql.ts';
import { computeIndicators, groupSource, type GroupLevel, type OptionCount, type Window } from './indicators.ts';

export type Granularity = 'day' | 'week' | 'month';

/** Day up to a month, week up to half a year, month beyond. */
export function granularityFor(window: Window): Granularity {
  const days = (Date.parse(window.end) - Date.parse(window.start)) / 86_400_000 + 1;
  return days <= 31 ? 'day' : days <= 186 ? 'week' : 'month';
}

export interface SeriesPoint {
  bucket: string;
  reviews: number;
  satisfaction: number | null;
}

/** Reviews and satisfaction per day, week or month of a procedure, from the rollups. */
export function procedureSeries(
  db: Queryable,
  procedureId: number,
  window: Window,
  granularity: Granularity,
  buttonId?: number | null,
): Promise<SeriesPoint[]> {
  return groupSeries(db, 'procedure', procedureId, window, granularity, buttonId);
}

/** Reviews and satisfaction per day, week or month of a procedure, an administration or a ministry, from the rollups. */
export async function groupSeries(
  db: Queryable,
  level: GroupLevel,
  id: number,
  window: Window,
  granularity: Granularity,
  buttonId?: number | null,
): Promise<SeriesPoint[]> {
  const { column, joins } = groupSource(level);
  const button = buttonId ? sql`AND r.button_id = ${buttonId}` : sql``;
  const { rows } = await run<{ bucket: string; question: string; option_id: string; n: number }>(
    db,
    sql`SELECT to_char(date_trunc(${granularity}, r.day::timestamp), 'YYYY-MM-DD') AS bucket, r.question, r.option_id, sum(r.count)::bigint AS n
       FROM feedback_rollups r
       JOIN feedback_buttons b ON b.id = r.button_id AND NOT b.is_test
       JOIN feedback_forms f ON f.id = r.form_id AND f.template = 'default'
       ${sql.trusted(joins)}
      WHERE ${sql.trusted(column)} = ${id} AND r.day BETWEEN ${window.start}::date AND ${window.end}::date AND r.question IN ('_review', 'satisfaction') ${button}
      GROUP BY 1, 2, 3 ORDER BY 1`,
  );
  const buckets = new Map<string, OptionCount[]>();
  for (const r of rows) {
    const list = buckets.get(r.bucket) ?? [];
    list.push({ question: r.question, optionId: r.option_id, count: Number(r.n) });
    buckets.set(r.bucket, list);
  }
  return [...buckets].map(([bucket, counts]) => {
    const ind = computeIndicators(counts);
    return { bucket, reviews: ind.reviews, satisfaction: ind.satisfaction };
  });
}
