import type { Queryable } from '../../kernel/db/db.ts';
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
export function procedureSeries(db: Queryable, procedureId: number, window: Window, granularity: Granularity, buttonId?: number | null): Promise<SeriesPoint[]> {
  return groupSeries(db, 'procedure', procedureId, window, granularity, buttonId);
}

/** Reviews and satisfaction per day, week or month of a procedure, an administration or a ministry, from the rollups. */
export async function groupSeries(db: Queryable, level: GroupLevel, id: number, window: Window, granularity: Granularity, buttonId?: number | null): Promise<SeriesPoint[]> {
  const { column, joins } = groupSource(level);
  const params: unknown[] = [id, window.start, window.end, granularity];
  let buttonCondition = '';
  if (buttonId) {
    params.push(buttonId);
    buttonCondition = `AND r.button_id = $${params.length}`;
  }
  const { rows } = await db.query<{ bucket: string; question: string; option_id: string; n: number }>(
    `SELECT to_char(date_trunc($4, r.day::timestamp), 'YYYY-MM-DD') AS bucket, r.question, r.option_id, sum(r.count)::bigint AS n
       FROM feedback_rollups r
       JOIN feedback_buttons b ON b.id = r.button_id AND NOT b.is_test
       JOIN feedback_forms f ON f.id = r.form_id AND f.template = 'default'
       ${joins}
      WHERE ${column} = $1 AND r.day BETWEEN $2::date AND $3::date AND r.question IN ('_review', 'satisfaction') ${buttonCondition}
      GROUP BY 1, 2, 3 ORDER BY 1`,
    params,
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
