/** What every dashboard (procedure, administration, ministry) shows on top: indicators, their levels and changes. */
import type { Queryable } from '../../kernel/db/db.ts';
import { loadRuleSet } from '../../observatoire/index.ts';
import { evaluate } from '../../observatoire/index.ts';
import { thresholdsOf } from '../../kernel/stats/index.ts';
import {
  computeIndicators,
  countsBy,
  minimumReviews,
  previousWindow,
  type FeedbackIndicators,
  type GroupLevel,
  type OptionCount,
  type RollupFilter,
  type Window,
} from '../analytics/indicators.ts';
import { indicatorLines, type IndicatorLine } from './views/dashboard-parts.ts';

export interface DashboardHead {
  counts: OptionCount[];
  indicators: FeedbackIndicators;
  lines: IndicatorLine[];
  minimum: number;
}

/** Indicators of one group over the window and the previous one, with the observatoire levels: four queries, rollups only. */
export async function dashboardHead(
  db: Queryable,
  level: GroupLevel,
  id: number,
  window: Window,
  filter: RollupFilter = {},
): Promise<DashboardHead> {
  const [current, previous, minimum, rules] = await Promise.all([
    countsBy(db, level, [id], window, filter),
    countsBy(db, level, [id], previousWindow(window), filter),
    minimumReviews(db),
    loadRuleSet(db),
  ]);
  const counts = current.get(id) ?? [];
  const indicators = computeIndicators(counts);
  const lines = indicatorLines(
    indicators,
    computeIndicators(previous.get(id) ?? []),
    (indicator, value) => (value === null ? null : evaluate(rules, indicator, value)),
    (indicator) => thresholdsOf(rules.indicators[indicator]?.levels ?? []),
  );
  return { counts, indicators, lines, minimum };
}
