import type { Queryable } from '../../kernel/db/db.ts';
import { evaluate } from './evaluate.ts';
import type { RuleSet } from './model.ts';
import { goalStanding } from '../scorecards/goal.ts';

export interface RuleChangeImpact {
  indicator: string;
  procedures: number;
  changedLevel: number;
  /** Procedures reaching the goal, as the scorecards count them (goalStanding): now, and with the proposed rules. */
  goalBefore: number;
  goalAfter: number;
}

/**
 * What a rule change would do to the current table: the latest published edition's raw values re-evaluated with the
 * proposed rules, compared with the levels it was published with. One query. The goal counts are the national
 * scorecard's « objectif atteint » (same function), so both pages give the same number for the same edition.
 */
export async function previewRuleChange(db: Queryable, editionId: number, proposed: RuleSet): Promise<Map<string, RuleChangeImpact>> {
  const { rows } = await db.query(
    `SELECT v.indicator, v.raw_value, v.label, v.colour, v.goal, ep.online_status
       FROM obs_edition_values v JOIN obs_edition_procedures ep ON ep.edition_id = v.edition_id AND ep.procedure_id = v.procedure_id
      WHERE v.edition_id = $1`,
    [editionId],
  );
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
    if (goalStanding({ goal: r.goal, onlineStatus: r.online_status }) === 'reached') i.goalBefore++;
    if (goalStanding({ goal: e.goal, onlineStatus: r.online_status }) === 'reached') i.goalAfter++;
  }
  return impact;
}
