import type { Queryable } from '../../kernel/db/db.ts';
import { run, sql } from '../../kernel/db/sql.ts';
import { addToTally, scoreOf } from './goal.ts';

export type GroupKind = 'national' | 'ministry' | 'administration' | 'category';

export const CATEGORY_NAMES: Record<string, string> = {
  particuliers: 'Particuliers',
  professionnels: 'Professionnels',
  associations: 'Associations',
  collectivites: 'Collectivités',
};

export interface IndicatorScore {
  indicator: string;
  /** Procedures whose level reaches the goal. */
  reached: number;
  /** Procedures with a measured (non-gray) level, procedures not online excluded. */
  measured: number;
  /** reached ÷ measured in %, null when nothing is measured. */
  score: number | null;
}

export interface GroupScores {
  /** Ministry or administration id, user category code, null for the national group. */
  groupId: number | string | null;
  groupName: string;
  procedures: number;
  scores: Record<string, IndicatorScore>;
}

/**
 * Score of a group for an indicator, the same definition everywhere (goal.ts): procedures whose level reaches the
 * goal ÷ procedures with a measured (non-gray) level, in %, procedures not online (« Non ») excluded. One query per call.
 */
export async function groupScores(
  db: Queryable,
  editionId: number,
  kind: GroupKind,
  groupId: number | string | null = null,
): Promise<GroupScores[]> {
  const idCol = sql.trusted(
    { ministry: 'ep.ministry_id', administration: 'ep.administration_id', category: 'c.category', national: 'NULL::bigint' }[kind],
  );
  const nameCol = sql.trusted(
    {
      ministry: 'ep.ministry_name',
      administration: 'ep.administration_name',
      category: 'c.category',
      national: `'Ensemble des démarches'`,
    }[kind],
  );
  // A procedure counts in each of its user categories.
  const categories = kind === 'category' ? sql` CROSS JOIN LATERAL unnest(ep.user_categories) AS c(category)` : sql``;
  const filter = groupId !== null && kind !== 'national' ? sql` AND ${idCol} = ${groupId}` : sql``;
  // One row per cell; the counting is goalStanding's (shared with the rule-set preview), not a second SQL definition.
  const { rows } = await run(
    db,
    sql`SELECT ${idCol} AS group_id, ${nameCol} AS group_name, v.indicator, v.procedure_id, v.goal, ep.online_status
       FROM obs_edition_values v
       JOIN obs_edition_procedures ep ON ep.edition_id = v.edition_id AND ep.procedure_id = v.procedure_id${categories}
      WHERE v.edition_id = ${editionId}${filter}
      ORDER BY 2, 1`,
  );
  const groups = new Map<string, GroupScores & { ids: Set<number> }>();
  for (const r of rows) {
    const key = String(r.group_id);
    let g = groups.get(key);
    if (!g) {
      g = {
        groupId: r.group_id === null ? null : kind === 'category' ? String(r.group_id) : Number(r.group_id),
        groupName: kind === 'category' ? (CATEGORY_NAMES[r.group_name] ?? r.group_name) : r.group_name,
        procedures: 0,
        scores: {},
        ids: new Set(),
      };
      groups.set(key, g);
    }
    g.ids.add(Number(r.procedure_id));
    const s = (g.scores[r.indicator] ??= { indicator: r.indicator, reached: 0, measured: 0, score: null });
    addToTally(s, { goal: r.goal, onlineStatus: r.online_status });
  }
  return [...groups.values()].map(({ ids, ...g }) => {
    for (const s of Object.values(g.scores)) s.score = scoreOf(s);
    return { ...g, procedures: ids.size };
  });
}

/** Difference in points between two scores, null when either is missing. */
export function deltaPoints(current: number | null | undefined, previous: number | null | undefined): number | null {
  if (current === null || current === undefined || previous === null || previous === undefined) return null;
  return current - previous;
}
