import type { Queryable } from '../../kernel/db/db.ts';
import { toNumber } from '../rules/evaluate.ts';
import type { Colour, RawValue } from '../rules/model.ts';
import type { ComputedRow, ProcedureSnapshot } from './compute.ts';

/** A cell as published before, or as the draft would publish it. */
export interface CellSide {
  raw: RawValue;
  label: string;
  colour: Colour;
}

export interface CellChange {
  procedure: Pick<ProcedureSnapshot, 'procedureId' | 'stableId' | 'title'>;
  before: CellSide;
  after: CellSide;
  /** after − before when both are numbers, else null. */
  delta: number | null;
}

export interface IndicatorChanges {
  indicator: string;
  /** Procedures in both tables whose level (label or colour) changes, largest move first. */
  levelChanges: CellChange[];
  /** The largest numeric moves, whatever the level (at most `top`). */
  largestMoves: CellChange[];
}

/** The cells of a published edition, by procedure id then indicator. */
export async function publishedCells(db: Queryable, editionId: number): Promise<Map<number, Record<string, CellSide>>> {
  const { rows } = await db.query(
    'SELECT procedure_id, indicator, raw_value, label, colour FROM obs_edition_values WHERE edition_id = $1',
    [editionId],
  );
  const cells = new Map<number, Record<string, CellSide>>();
  for (const r of rows) {
    const id = Number(r.procedure_id);
    const own = cells.get(id) ?? {};
    own[r.indicator] = { raw: r.raw_value, label: r.label, colour: r.colour };
    cells.set(id, own);
  }
  return cells;
}

/**
 * What publishing a draft would change against the previous edition, per indicator: the procedures whose level
 * changes, and the largest moves of the value. Procedures new to the table (or gone from it) are not changes of level.
 */
export function editionChanges(
  draft: ComputedRow[],
  previous: Map<number, Record<string, CellSide>>,
  indicators: string[],
  top = 5,
): IndicatorChanges[] {
  return indicators.map((indicator) => {
    const all: CellChange[] = [];
    for (const row of draft) {
      const before = previous.get(row.procedure.procedureId)?.[indicator];
      const cell = row.values[indicator];
      if (!before || !cell) continue;
      const a = toNumber(before.raw);
      const b = toNumber(cell.raw);
      all.push({
        procedure: { procedureId: row.procedure.procedureId, stableId: row.procedure.stableId, title: row.procedure.title },
        before,
        after: { raw: cell.raw, label: cell.label, colour: cell.colour },
        delta: a !== null && b !== null ? b - a : null,
      });
    }
    const bySize = (x: CellChange, y: CellChange) =>
      Math.abs(y.delta ?? 0) - Math.abs(x.delta ?? 0) || x.procedure.title.localeCompare(y.procedure.title, 'fr');
    const levelChanges = all.filter((c) => c.before.label !== c.after.label || c.before.colour !== c.after.colour).sort(bySize);
    const largestMoves = all
      .filter((c) => c.delta !== null && c.delta !== 0)
      .sort(bySize)
      .slice(0, top);
    return { indicator, levelChanges, largestMoves };
  });
}
