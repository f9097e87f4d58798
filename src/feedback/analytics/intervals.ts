import type { Queryable } from '../../kernel/db/db.ts';
import { computeIndicators, type FeedbackIndicators, type OptionCount, type Window } from './indicators.ts';

export type Interval = 'day' | 'week' | 'month' | 'none';

/** Indicators of one procedure or one form per day, week, month, or for the whole window (none), from the rollups. */
export async function indicatorsByInterval(
  db: Queryable,
  scope: { procedureId?: number; formId?: number },
  window: Window,
  interval: Interval,
): Promise<{ start: string; indicators: FeedbackIndicators }[]> {
  const bucket = interval === 'none' ? '$2::date' : `date_trunc('${interval}', r.day::timestamp)::date`;
  const column = scope.formId ? 'r.form_id' : 'r.procedure_id';
  const { rows } = await db.query<{ bucket: string; question: string; option_id: string; n: number }>(
    `SELECT to_char(${bucket}, 'YYYY-MM-DD') AS bucket, r.question, r.option_id, sum(r.count)::bigint AS n
       FROM feedback_rollups r
       JOIN feedback_buttons b ON b.id = r.button_id AND NOT b.is_test
       JOIN feedback_forms f ON f.id = r.form_id AND f.template = 'default'
      WHERE ${column} = $1 AND r.day BETWEEN $2::date AND $3::date
      GROUP BY 1, 2, 3 ORDER BY 1`,
    [scope.formId ?? scope.procedureId, window.start, window.end],
  );
  const buckets = new Map<string, OptionCount[]>();
  if (interval === 'none') buckets.set(window.start, []);
  for (const r of rows) {
    const list = buckets.get(r.bucket) ?? [];
    list.push({ question: r.question, optionId: r.option_id, count: Number(r.n) });
    buckets.set(r.bucket, list);
  }
  return [...buckets].map(([start, counts]) => ({ start, indicators: computeIndicators(counts) }));
}
