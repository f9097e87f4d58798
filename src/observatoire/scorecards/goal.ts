/**
 * « Reaching the goal », defined once: every count of procedures that reach an indicator's goal (scorecards, the
 * rule-set preview, the API's scores) goes through `goalStanding`, so that two pages never give two numbers.
 */

/** A procedure's cell as the score sees it: its level's goal (null when gray) and the procedure's online status. */
export interface GoalCell {
  goal: boolean | null;
  onlineStatus: string | null;
}

/**
 * Whether a cell counts in a score and whether it reaches the goal: gray levels (not measured) and procedures not
 * online (« Non ») do not count; the others reach the goal or miss it.
 */
export function goalStanding(cell: GoalCell): 'reached' | 'missed' | null {
  if (cell.goal === null || cell.goal === undefined) return null;
  if ((cell.onlineStatus ?? '') === 'non') return null;
  return cell.goal ? 'reached' : 'missed';
}

export interface GoalTally {
  /** Procedures whose level reaches the goal. */
  reached: number;
  /** Procedures with a measured (non-gray) level, procedures not online excluded. */
  measured: number;
}

/** Adds one cell to a tally (in place) and returns it. */
export function addToTally(tally: GoalTally, cell: GoalCell): GoalTally {
  const standing = goalStanding(cell);
  if (standing !== null) tally.measured++;
  if (standing === 'reached') tally.reached++;
  return tally;
}

/** reached ÷ measured in %, null when nothing is measured. */
export function scoreOf(tally: GoalTally): number | null {
  return tally.measured > 0 ? (100 * tally.reached) / tally.measured : null;
}
