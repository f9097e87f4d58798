import type { Queryable } from '../../kernel/db/db.ts';
import type { CellValue } from '../editions/compute.ts';

export interface HistoryPoint {
  editionId: number;
  editionName: string;
  period: string;
  publishedAt: Date;
  title: string;
  values: Record<string, CellValue>;
  /** Indicators whose value in this edition was changed by a public correction (a revision). */
  corrected: string[];
}

/** A procedure across published editions, oldest first, followed by its stable id (never its title): one query. */
export async function procedureHistory(db: Queryable, stableId: string): Promise<HistoryPoint[]> {
  const { rows } = await db.query(
    `SELECT e.id, e.name, e.period, e.published_at, ep.title, v.indicator, v.raw_value, v.sort_value, v.label, v.colour, v.goal, v.entered_by_hand,
            EXISTS (SELECT 1 FROM obs_edition_revisions r, jsonb_array_elements(r.diff) d
                     WHERE r.edition_id = e.id AND d->>'procedureId' = ep.procedure_id::text AND d->>'indicator' = v.indicator) AS corrected
       FROM obs_edition_procedures ep
       JOIN obs_editions e ON e.id = ep.edition_id AND e.status = 'published'
       JOIN obs_edition_values v ON v.edition_id = ep.edition_id AND v.procedure_id = ep.procedure_id
      WHERE ep.stable_id = $1
      ORDER BY e.published_at, e.id`,
    [stableId],
  );
  const points = new Map<number, HistoryPoint>();
  for (const r of rows) {
    const id = Number(r.id);
    let p = points.get(id);
    if (!p) {
      p = { editionId: id, editionName: r.name, period: r.period, publishedAt: r.published_at, title: r.title, values: {}, corrected: [] };
      points.set(id, p);
    }
    p.values[r.indicator] = {
      raw: r.raw_value,
      sortValue: r.sort_value,
      label: r.label,
      colour: r.colour,
      goal: r.goal,
      enteredByHand: r.entered_by_hand === true,
    };
    if (r.corrected) p.corrected.push(r.indicator);
  }
  return [...points.values()];
}
