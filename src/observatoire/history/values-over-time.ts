import type { Queryable } from '../../kernel/db/db.ts';
import { toNumber } from '../rules/evaluate.ts';

/** One published value of a procedure, with the edition's window (what the défis' effect reads, issue 15). */
export interface PublishedValue {
  editionId: number;
  editionName: string;
  windowStart: string;
  windowEnd: string;
  procedureId: number;
  indicator: string;
  value: number | null;
}

/** The published values of these procedures for these indicators, edition after edition (oldest window first). */
export async function publishedValuesOverTime(db: Queryable, procedureIds: number[], indicators: string[]): Promise<PublishedValue[]> {
  if (procedureIds.length === 0 || indicators.length === 0) return [];
  const { rows } = await db.query(
    `SELECT e.id, e.name, to_char(e.window_start, 'YYYY-MM-DD') AS window_start, to_char(e.window_end, 'YYYY-MM-DD') AS window_end,
            v.procedure_id, v.indicator, v.raw_value
       FROM obs_editions e JOIN obs_edition_values v ON v.edition_id = e.id
      WHERE e.status = 'published' AND v.procedure_id = ANY($1::bigint[]) AND v.indicator = ANY($2::text[])
      ORDER BY e.window_start, e.window_end, e.id`,
    [procedureIds, indicators],
  );
  return rows.map((r) => ({
    editionId: Number(r.id),
    editionName: r.name,
    windowStart: r.window_start,
    windowEnd: r.window_end,
    procedureId: Number(r.procedure_id),
    indicator: r.indicator,
    value: toNumber(r.raw_value),
  }));
}
