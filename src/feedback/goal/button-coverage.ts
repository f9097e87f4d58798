import type { Queryable } from '../../kernel/db/db.ts';
import { run, sql, type Sql } from '../../kernel/db/sql.ts';
import type { Window } from '../analytics/indicators.ts';

/**
 * National goal « 100 % des démarches avec le bouton Je donne mon avis »: a procedure of the observatoire's scope (Top
 * 250, not archived) counts when it has a live button (not a test button, neither closed nor deleted) that received at
 * least one review (not deleted) in the window. Read from the daily rollups (one row per button, day and shard), so
 * that the figure costs the same with ten million reviews.
 */
export interface CoveredProcedure {
  id: number;
  stableId: string;
  title: string;
  ministryId: number;
  ministry: string;
  administrationId: number;
  administration: string;
  /** Reviews received in the window through live buttons. */
  reviews: number;
  covered: boolean;
}

export interface CoverageGroup {
  id: number | null;
  name: string;
  covered: number;
  total: number;
  /** covered ÷ total in %, null for an empty group. */
  percent: number | null;
}

export async function buttonCoverage(
  db: Queryable,
  window: Window,
  filter: { ministryId?: number; administrationId?: number } = {},
): Promise<CoveredProcedure[]> {
  const where: Sql[] = [];
  if (filter.ministryId !== undefined) where.push(sql` AND a.ministry_id = ${filter.ministryId}`);
  if (filter.administrationId !== undefined) where.push(sql` AND a.id = ${filter.administrationId}`);
  const { rows } = await run(
    db,
    sql`WITH received AS (
       SELECT r.procedure_id, sum(r.count)::bigint AS reviews
         FROM feedback_rollups r JOIN feedback_buttons b ON b.id = r.button_id
        WHERE r.question = '_review' AND r.option_id = 'all' AND r.day BETWEEN ${window.start}::date AND ${window.end}::date
          AND NOT b.is_test AND b.closed_at IS NULL AND b.deleted_at IS NULL
        GROUP BY r.procedure_id
     )
     SELECT p.id, p.stable_id, p.title, m.id AS ministry_id, m.name AS ministry, a.id AS administration_id, a.name AS administration,
            coalesce(rc.reviews, 0) AS reviews
       FROM procedures p JOIN administrations a ON a.id = p.administration_id JOIN ministries m ON m.id = a.ministry_id
       LEFT JOIN received rc ON rc.procedure_id = p.id
      WHERE p.in_scope AND p.archived_at IS NULL${sql.join(where, '')}
      ORDER BY m.name, a.name, p.title, p.id`,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    stableId: r.stable_id,
    title: r.title,
    ministryId: Number(r.ministry_id),
    ministry: r.ministry,
    administrationId: Number(r.administration_id),
    administration: r.administration,
    reviews: Number(r.reviews),
    covered: Number(r.reviews) > 0,
  }));
}

/** The figure for a set of procedures, and per ministry or administration (sorted by name). */
export function coverageBy(procedures: CoveredProcedure[], kind: 'national' | 'ministry' | 'administration'): CoverageGroup[] {
  const groups = new Map<string, CoverageGroup>();
  for (const p of procedures) {
    const id = kind === 'national' ? null : kind === 'ministry' ? p.ministryId : p.administrationId;
    const name = kind === 'national' ? 'Ensemble des démarches' : kind === 'ministry' ? p.ministry : p.administration;
    const g = groups.get(String(id)) ?? { id, name, covered: 0, total: 0, percent: null };
    g.total++;
    if (p.covered) g.covered++;
    groups.set(String(id), g);
  }
  if (kind === 'national' && groups.size === 0)
    groups.set('null', { id: null, name: 'Ensemble des démarches', covered: 0, total: 0, percent: null });
  return [...groups.values()]
    .map((g) => ({ ...g, percent: g.total ? (100 * g.covered) / g.total : null }))
    .sort((a, b) => a.name.localeCompare(b.name, 'fr'));
}
