import type { Queryable } from '../../kernel/db/db.ts';
import { evaluate } from './evaluate.ts';
import type { RuleSet } from './model.ts';

export interface RuleChangeImpact {
  indicator: string;
  procedures: number;
  changedLevel: number;
  goalBefore: number;
  goalAfter: number;
}

/**
 * What a rule change would do to the current table: the latest published edition's raw values re-evaluated with the
 * proposed rules, compared with the levels it was published with. One query.
 */
export async function previewRuleChange(db: Queryable, editionId: number, proposed: RuleSet): Promise<Map<string, RuleChangeImpact>> {
  const { rows } = await db.query('SELECT indicator, raw_value, label, colour, goal FROM obs_edition_values WHERE edition_id = $1', [editionId]);
  const impact = new Map<string, RuleChangeImpact>();
  for (const r of rows) {
    let i = impact.get(r.indicator);
    if (!i) {
      i = { indicator: r.indicator, procedures: 0, changedLevel: 0, goalBefore: 0, goalAfter: 0 };
      impact.set(r.indicator, i);
    }
    const e = evaluate(proposed, r.indicator, r.raw_value);
    i.procedures++;
    if (e.label !== r.label || e.colour !== r.colour) i.changedLevel++;
    if (r.goal) i.goalBefore++;
    if (e.goal) i.goalAfter++;
  }
  return impact;
}
