/**
 * The honest statistics of the observatoire (issue 15, docs/statistics.md): a 95 % interval and n for every measured
 * cell of an edition, « incertain » when the interval straddles a threshold of the edition's rule set, and the
 * changes between two editions tested and corrected together (Benjamini–Hochberg over procedures × indicators).
 */
import type { Queryable } from '../../kernel/db/db.ts';
import {
  estimateOf,
  flagChanges,
  momentsDifference,
  straddles,
  thresholdsOf,
  type ChangeFlag,
  type Difference,
  type Estimate,
} from '../../kernel/stats/index.ts';
import { getEdition, type Edition } from '../editions/drafts.ts';
import { toNumber } from '../rules/evaluate.ts';
import { loadRuleSet } from '../rules/repository.ts';
import type { RuleSet } from '../rules/model.ts';
import { registeredSources, type CellMoments } from '../sources/source.ts';

export interface CellStatistic extends Estimate {
  kind: 'share' | 'mean';
  uncertain: boolean;
}

/** Scale of a unit: shares are shown in %, marks out of 10. */
const scaleOf = (kind: 'share' | 'mean') => (kind === 'share' ? 100 : 1);

/**
 * Moments of every cell of an edition: stored at the first read of a published edition, computed live for a draft;
 * once stored, `procedureIds` limits the read to those procedures (one page of the public table).
 */
export async function editionMoments(
  db: Queryable,
  edition: Edition,
  procedureIds?: number[],
): Promise<Map<number, Map<string, CellMoments>>> {
  const published = edition.status === 'published';
  const done = published
    ? (await db.query('SELECT 1 FROM obs_edition_statistics_done WHERE edition_id = $1', [edition.id])).rows.length > 0
    : false;
  if (!done) {
    const { rows } = await db.query<{ procedure_id: number }>('SELECT procedure_id FROM obs_edition_procedures WHERE edition_id = $1', [
      edition.id,
    ]);
    const ids = rows.map((r) => Number(r.procedure_id));
    const computed = new Map<number, Map<string, CellMoments>>();
    for (const source of registeredSources()) {
      if (!source.statisticsFor || ids.length === 0) continue;
      const found = await source.statisticsFor(db, ids, { start: edition.windowStart, end: edition.windowEnd });
      for (const [id, cells] of found) {
        const map = computed.get(id) ?? new Map<string, CellMoments>();
        for (const [indicator, m] of Object.entries(cells)) if (source.indicators.includes(indicator)) map.set(indicator, m);
        computed.set(id, map);
      }
    }
    if (!published) return computed;
    // One statement (atomic without a transaction): the moments and the mark that they are stored.
    const flat = [...computed].flatMap(([id, cells]) => [...cells].map(([indicator, m]) => ({ id, indicator, m })));
    await db.query(
      `WITH stored AS (
         INSERT INTO obs_edition_statistics (edition_id, procedure_id, indicator, kind, n, sum, sum_squares)
         SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::text[], $5::bigint[], $6::float8[], $7::float8[])
         ON CONFLICT DO NOTHING RETURNING 1)
       INSERT INTO obs_edition_statistics_done (edition_id) SELECT $1 WHERE (SELECT count(*) FROM stored) >= 0 ON CONFLICT DO NOTHING`,
      [
        edition.id,
        flat.map((f) => f.id),
        flat.map((f) => f.indicator),
        flat.map((f) => f.m.kind),
        flat.map((f) => f.m.n),
        flat.map((f) => f.m.sum),
        flat.map((f) => f.m.sumSquares),
      ],
    );
  }
  const { rows } = await db.query<{
    procedure_id: number;
    indicator: string;
    kind: 'share' | 'mean';
    n: number;
    sum: number;
    sum_squares: number;
  }>(
    `SELECT procedure_id, indicator, kind, n, sum, sum_squares FROM obs_edition_statistics
      WHERE edition_id = $1${procedureIds ? ' AND procedure_id = ANY($2::bigint[])' : ''}`,
    procedureIds ? [edition.id, procedureIds] : [edition.id],
  );
  const result = new Map<number, Map<string, CellMoments>>();
  for (const r of rows) {
    const id = Number(r.procedure_id);
    const map = result.get(id) ?? new Map<string, CellMoments>();
    map.set(r.indicator, { kind: r.kind, n: Number(r.n), sum: Number(r.sum), sumSquares: Number(r.sum_squares) });
    result.set(id, map);
  }
  return result;
}

/**
 * The statistic of one published cell, or null when the cell is not measured (gray), has no moments, or its value was
 * not computed from them (an imported value: its interval is unknown, none is shown rather than a wrong one).
 */
export function cellStatistic(
  rules: RuleSet,
  indicator: string,
  cell: { raw: string | number | null; colour: string } | undefined,
  m: CellMoments | undefined,
): CellStatistic | null {
  const rule = Object.hasOwn(rules.indicators, indicator) ? rules.indicators[indicator] : undefined;
  if (!cell || !m || (cell.colour === 'gray' && !rule?.informative)) return null;
  const value = toNumber(cell.raw);
  if (value === null) return null;
  const e = estimateOf(m.kind, m, scaleOf(m.kind));
  if (!e || Math.abs(e.value - value) > 0.01 * scaleOf(m.kind)) return null;
  const uncertain = !!rule && !rule.informative && straddles(e, thresholdsOf(rule.levels));
  return { ...e, kind: m.kind, uncertain };
}

export interface EditionStatistics {
  edition: Edition;
  rules: RuleSet;
  /** procedure id → indicator → statistic. */
  cells: Map<number, Map<string, CellStatistic>>;
}

/**
 * Statistics of every measured cell of an edition (two queries once stored, plus the edition's cells); with
 * `procedureIds`, only those procedures' cells are read (one page of the public table).
 */
export async function editionStatistics(db: Queryable, editionId: number, procedureIds?: number[]): Promise<EditionStatistics | null> {
  const edition = await getEdition(db, editionId);
  if (!edition || edition.status !== 'published') return null;
  const moments = await editionMoments(db, edition, procedureIds);
  const rules = await loadRuleSet(db, edition.ruleVersion ?? undefined);
  const wanted = [...moments.keys()];
  const { rows } = await db.query<{ procedure_id: number; indicator: string; raw_value: string | null; colour: string }>(
    'SELECT procedure_id, indicator, raw_value, colour FROM obs_edition_values WHERE edition_id = $1 AND procedure_id = ANY($2::bigint[])',
    [edition.id, wanted],
  );
  const cells = new Map<number, Map<string, CellStatistic>>();
  for (const r of rows) {
    const id = Number(r.procedure_id);
    const s = cellStatistic(rules, r.indicator, { raw: r.raw_value, colour: r.colour }, moments.get(id)?.get(r.indicator));
    if (!s) continue;
    const map = cells.get(id) ?? new Map<string, CellStatistic>();
    map.set(r.indicator, s);
    cells.set(id, map);
  }
  return { edition, rules, cells };
}

export interface CellChange extends Difference {
  stableId: string;
  title: string;
  indicator: string;
  before: CellStatistic;
  after: CellStatistic;
  /** Benjamini–Hochberg adjusted p-value over the whole comparison. */
  adjusted: number | null;
  significant: boolean;
  flag: ChangeFlag;
}

async function stableIds(db: Queryable, editionId: number): Promise<Map<number, { stableId: string; title: string }>> {
  const { rows } = await db.query<{ procedure_id: number; stable_id: string; title: string }>(
    'SELECT procedure_id, stable_id, title FROM obs_edition_procedures WHERE edition_id = $1',
    [editionId],
  );
  return new Map(rows.map((r) => [Number(r.procedure_id), { stableId: r.stable_id, title: r.title }]));
}

/**
 * Every change between two editions for the cells measured in both (procedures matched by stable id): tested (two
 * proportions or Welch), then the p-values adjusted together (Benjamini–Hochberg, 5 %).
 */
export async function compareStatistics(db: Queryable, fromId: number, toId: number): Promise<CellChange[]> {
  const [from, to] = [await editionStatistics(db, fromId), await editionStatistics(db, toId)];
  if (!from || !to) return [];
  const [fromIds, toIds] = [await stableIds(db, fromId), await stableIds(db, toId)];
  const byStable = new Map<string, number>();
  for (const [id, p] of fromIds) byStable.set(p.stableId, id);
  const pairs: Omit<CellChange, 'adjusted' | 'significant' | 'flag'>[] = [];
  const fromMoments = await editionMoments(db, from.edition);
  const toMoments = await editionMoments(db, to.edition);
  for (const [toId2, cells] of to.cells) {
    const p = toIds.get(toId2);
    const fromId2 = p ? byStable.get(p.stableId) : undefined;
    if (!p || fromId2 === undefined) continue;
    for (const [indicator, after] of cells) {
      const before = from.cells.get(fromId2)?.get(indicator);
      const m1 = fromMoments.get(fromId2)?.get(indicator);
      const m2 = toMoments.get(toId2)?.get(indicator);
      if (!before || !m1 || !m2 || m1.kind !== m2.kind) continue;
      const d = momentsDifference(m1.kind, m1, m2, scaleOf(m1.kind));
      if (!d) continue;
      pairs.push({ ...d, stableId: p.stableId, title: p.title, indicator, before, after });
    }
  }
  const flags = flagChanges(pairs);
  return pairs.map((pair, i) => ({ ...pair, ...flags[i]! }));
}

export interface HistoryStatistics {
  /** edition id → indicator → statistic of this procedure. */
  cells: Map<number, Map<string, CellStatistic>>;
  /** edition id (the later one) → indicator → change since the previous edition of the history. */
  changes: Map<number, Map<string, CellChange>>;
}

/**
 * A procedure's statistics across the editions of its history (oldest first), and each change from one edition to the
 * next, adjusted together over the history's indicators × steps.
 */
export async function historyStatistics(db: Queryable, stableId: string, editionIds: number[]): Promise<HistoryStatistics> {
  const cells = new Map<number, Map<string, CellStatistic>>();
  const moments = new Map<number, Map<string, CellMoments>>();
  for (const editionId of editionIds) {
    const stats = await editionStatistics(db, editionId);
    if (!stats) continue;
    const { rows } = await db.query<{ procedure_id: number; title: string }>(
      'SELECT procedure_id, title FROM obs_edition_procedures WHERE edition_id = $1 AND stable_id = $2',
      [editionId, stableId],
    );
    const id = rows[0] ? Number(rows[0].procedure_id) : null;
    if (id === null) continue;
    cells.set(editionId, stats.cells.get(id) ?? new Map());
    moments.set(editionId, (await editionMoments(db, stats.edition)).get(id) ?? new Map());
  }
  const pairs: (Omit<CellChange, 'adjusted' | 'significant' | 'flag'> & { editionId: number })[] = [];
  for (let i = 1; i < editionIds.length; i++) {
    const [a, b] = [editionIds[i - 1]!, editionIds[i]!];
    for (const [indicator, after] of cells.get(b) ?? []) {
      const before = cells.get(a)?.get(indicator);
      const m1 = moments.get(a)?.get(indicator);
      const m2 = moments.get(b)?.get(indicator);
      if (!before || !m1 || !m2 || m1.kind !== m2.kind) continue;
      const d = momentsDifference(m1.kind, m1, m2, scaleOf(m1.kind));
      if (d) pairs.push({ ...d, stableId, title: '', indicator, before, after, editionId: b });
    }
  }
  const flags = flagChanges(pairs);
  const changes = new Map<number, Map<string, CellChange>>();
  pairs.forEach((pair, i) => {
    const map = changes.get(pair.editionId) ?? new Map<string, CellChange>();
    map.set(pair.indicator, { ...pair, ...flags[i]! });
    changes.set(pair.editionId, map);
  });
  return { cells, changes };
}
