import type { Queryable } from '../../kernel/db/db.ts';
import { run, sql } from '../../kernel/db/sql.ts';
import { markOf } from '../questionnaire/template.ts';
import { meanEstimate, shareEstimate, type Estimate, type Moments } from '../../kernel/stats/index.ts';

/** Indicators of a set of reviews, all computed from rollup counts with weighted averages (never averages of averages). */
export interface FeedbackIndicators {
  reviews: number;
  verbatims: number;
  /** Out of 10. */
  satisfaction: number | null;
  clarity: number | null;
  /** Percentage of « oui » among the answers to « avez-vous réussi à joindre l'administration ? ». */
  helpReachable: number | null;
  helpEfficient: number | null;
  /** Percentage of reviews answering « je n'ai pas eu besoin d'aide » among those that answered the help question. */
  autonomy: number | null;
  /** How many answers each value is computed from. */
  answers: { satisfaction: number; clarity: number; helpReachable: number; helpEfficient: number; autonomy: number };
  /**
   * What the tests and intervals need, from the same counts: n, Σ mark, Σ mark² (a share is the mean of 0/1 marks,
   * so successes are both sums). See docs/statistics.md.
   */
  moments: Record<FeedbackIndicatorKey, Moments>;
  /** 95 % intervals: t interval for the mean marks (0–10), Wilson for the shares (in %); null when nobody answered. */
  estimates: Record<FeedbackIndicatorKey, Estimate | null>;
}

export type FeedbackIndicatorKey = 'satisfaction' | 'clarity' | 'helpReachable' | 'helpEfficient' | 'autonomy';
export const SHARE_INDICATORS: readonly FeedbackIndicatorKey[] = ['helpReachable', 'autonomy'];

export interface OptionCount {
  question: string;
  optionId: string;
  count: number;
}

function weightedMark(counts: OptionCount[], question: string): { value: number | null; n: number; moments: Moments } {
  let sum = 0;
  let sumSquares = 0;
  let n = 0;
  for (const c of counts) {
    if (c.question !== question) continue;
    const mark = markOf(question, c.optionId);
    if (mark === undefined) continue;
    sum += mark * c.count;
    sumSquares += mark * mark * c.count;
    n += c.count;
  }
  return { value: n > 0 ? sum / n : null, n, moments: { n, sum, sumSquares } };
}

const share = (successes: number, n: number): Moments => ({ n, sum: successes, sumSquares: successes });

const countOf = (counts: OptionCount[], question: string, optionId: string) =>
  counts.filter((c) => c.question === question && c.optionId === optionId).reduce((s, c) => s + c.count, 0);

export function computeIndicators(counts: OptionCount[]): FeedbackIndicators {
  const satisfaction = weightedMark(counts, 'satisfaction');
  const clarity = weightedMark(counts, 'clarity');
  const quality = weightedMark(counts, 'help_quality');
  const reachedYes = countOf(counts, 'help_reached', 'yes');
  const reachedAll = reachedYes + countOf(counts, 'help_reached', 'no');
  const helpAnswered = countOf(counts, 'help_tried', '_answered');
  const noHelp = countOf(counts, 'help_tried', 'none');
  return {
    reviews: countOf(counts, '_review', 'all'),
    verbatims: countOf(counts, '_verbatim', 'yes'),
    satisfaction: satisfaction.value,
    clarity: clarity.value,
    helpReachable: reachedAll > 0 ? (100 * reachedYes) / reachedAll : null,
    helpEfficient: quality.value,
    autonomy: helpAnswered > 0 ? (100 * noHelp) / helpAnswered : null,
    answers: {
      satisfaction: satisfaction.n,
      clarity: clarity.n,
      helpReachable: reachedAll,
      helpEfficient: quality.n,
      autonomy: helpAnswered,
    },
    moments: {
      satisfaction: satisfaction.moments,
      clarity: clarity.moments,
      helpReachable: share(reachedYes, reachedAll),
      helpEfficient: quality.moments,
      autonomy: share(noHelp, helpAnswered),
    },
    estimates: {
      satisfaction: meanEstimate(satisfaction.moments),
      clarity: meanEstimate(clarity.moments),
      helpReachable: shareEstimate(reachedYes, reachedAll, 100),
      helpEfficient: meanEstimate(quality.moments),
      autonomy: shareEstimate(noHelp, helpAnswered, 100),
    },
  };
}

export type GroupLevel = 'form' | 'procedure' | 'administration' | 'ministry';

const GROUP_COLUMN: Record<GroupLevel, string> = {
  form: 'r.form_id',
  procedure: 'r.procedure_id',
  administration: 'p.administration_id',
  ministry: 'a.ministry_id',
};

/** For queries over `feedback_rollups r`: the expression naming the group of a level, and the joins it needs. */
export function groupSource(level: GroupLevel): { column: string; joins: string } {
  const joins =
    level === 'administration' || level === 'ministry'
      ? 'JOIN procedures p ON p.id = r.procedure_id JOIN administrations a ON a.id = p.administration_id'
      : '';
  return { column: GROUP_COLUMN[level], joins };
}

export interface Window {
  start: string;
  end: string;
}

export interface RollupFilter {
  buttonId?: number | null;
}

/**
 * Option counts per group over a window, read from the rollups only. Test buttons and the « Signaler un problème »
 * template are left out: they feed no indicator.
 */
export async function countsBy(
  db: Queryable,
  level: GroupLevel,
  ids: number[],
  window: Window,
  filter: RollupFilter = {},
): Promise<Map<number, OptionCount[]>> {
  const button = filter.buttonId ? sql`AND r.button_id = ${filter.buttonId}` : sql``;
  const { column, joins } = groupSource(level);
  const { rows } = await run<{ key: number; question: string; option_id: string; n: number }>(
    db,
    sql`SELECT ${sql.trusted(column)} AS key, r.question, r.option_id, sum(r.count)::bigint AS n
       FROM feedback_rollups r
       JOIN feedback_buttons b ON b.id = r.button_id AND NOT b.is_test
       JOIN feedback_forms f ON f.id = r.form_id AND f.template = 'default'
       ${sql.trusted(joins)}
      WHERE ${sql.trusted(column)} = ANY(${ids}::bigint[]) AND r.day BETWEEN ${window.start}::date AND ${window.end}::date ${button}
      GROUP BY 1, 2, 3`,
  );
  const result = new Map<number, OptionCount[]>();
  for (const r of rows) {
    const key = Number(r.key);
    const list = result.get(key) ?? [];
    list.push({ question: r.question, optionId: r.option_id, count: Number(r.n) });
    result.set(key, list);
  }
  return result;
}

export async function indicatorsBy(
  db: Queryable,
  level: GroupLevel,
  ids: number[],
  window: Window,
  filter: RollupFilter = {},
): Promise<Map<number, FeedbackIndicators>> {
  const counts = await countsBy(db, level, ids, window, filter);
  return new Map(ids.map((id) => [id, computeIndicators(counts.get(id) ?? [])]));
}

/** The window of the same length just before this one (for deltas). */
export function previousWindow(window: Window): Window {
  const start = Date.parse(`${window.start}T00:00:00Z`);
  const end = Date.parse(`${window.end}T00:00:00Z`);
  const days = Math.round((end - start) / 86_400_000) + 1;
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return { start: iso(start - days * 86_400_000), end: iso(start - 86_400_000) };
}

/** Minimum number of reviews before a feedback indicator is published (configurable in app_settings). */
export async function minimumReviews(db: Queryable): Promise<number> {
  const { rows } = await db.query(`SELECT value FROM app_settings WHERE key = 'feedback_min_reviews'`);
  const v = Number(rows[0]?.value);
  return Number.isInteger(v) && v >= 0 ? v : 100;
}

/** Option counts of a set of procedures per week (weeks starting on Monday, 'YYYY-MM-DD'), from the rollups only. */
export async function countsByWeek(db: Queryable, procedureIds: number[], window: Window): Promise<Map<string, OptionCount[]>> {
  const { rows } = await db.query<{ week: string; question: string; option_id: string; n: number }>(
    `SELECT to_char(date_trunc('week', r.day::timestamp), 'YYYY-MM-DD') AS week, r.question, r.option_id, sum(r.count)::bigint AS n
       FROM feedback_rollups r
       JOIN feedback_buttons b ON b.id = r.button_id AND NOT b.is_test
       JOIN feedback_forms f ON f.id = r.form_id AND f.template = 'default'
      WHERE r.procedure_id = ANY($1::bigint[]) AND r.day BETWEEN $2::date AND $3::date
      GROUP BY 1, 2, 3 ORDER BY 1`,
    [procedureIds, window.start, window.end],
  );
  const result = new Map<string, OptionCount[]>();
  for (const r of rows) {
    const list = result.get(r.week) ?? [];
    list.push({ question: r.question, optionId: r.option_id, count: Number(r.n) });
    result.set(r.week, list);
  }
  return result;
}
