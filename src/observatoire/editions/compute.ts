import type { Queryable } from '../../kernel/db/db.ts';
import { evaluate } from '../rules/evaluate.ts';
import type { Evaluation, RawValue, RuleSet } from '../rules/model.ts';
import { liveValues } from '../sources/live-values.ts';
import type { ValueWindow } from '../sources/source.ts';

export interface ProcedureSnapshot {
  procedureId: number;
  stableId: string;
  slug: string;
  title: string;
  url: string | null;
  ministryId: number;
  ministryName: string;
  administrationId: number;
  administrationName: string;
  userCategories: string[];
}

export interface CellValue extends Evaluation {
  raw: RawValue;
  /** The value is the one entered by hand where the indicator's source measures nothing (shown « saisie manuelle »). */
  enteredByHand?: boolean;
}

export interface ComputedRow {
  procedure: ProcedureSnapshot;
  values: Record<string, CellValue>;
}

/**
 * A snapshot from a row whose columns bear the snapshot's names in snake case (`procedure_id`, `stable_id`, …):
 * the catalogue's live procedures here, an edition's stored copy of them in the table (obs_edition_procedures).
 */
export function toSnapshot(r: Record<string, any>): ProcedureSnapshot {
  return {
    procedureId: Number(r.procedure_id),
    stableId: r.stable_id,
    slug: r.slug,
    title: r.title,
    url: r.url,
    ministryId: Number(r.ministry_id),
    ministryName: r.ministry_name,
    administrationId: Number(r.administration_id),
    administrationName: r.administration_name,
    userCategories: r.user_categories ?? [],
  };
}

/** The procedures an edition covers: in the catalogue's scope and not archived. */
export async function proceduresInScope(db: Queryable): Promise<ProcedureSnapshot[]> {
  const { rows } = await db.query(
    `SELECT p.id AS procedure_id, p.stable_id, p.slug, p.title, p.url, p.user_categories, a.id AS administration_id, a.name AS administration_name,
            m.id AS ministry_id, coalesce(m.short_name, m.name) AS ministry_name
       FROM procedures p JOIN administrations a ON a.id = p.administration_id JOIN ministries m ON m.id = a.ministry_id
      WHERE p.in_scope AND p.archived_at IS NULL
      ORDER BY p.title, p.id`,
  );
  return rows.map(toSnapshot);
}

/** The whole table of an edition computed from live values with a rule set (draft preview and publication). */
export async function computeEdition(db: Queryable, window: ValueWindow, rules: RuleSet, indicators: string[]): Promise<ComputedRow[]> {
  const procedures = await proceduresInScope(db);
  const values = await liveValues(
    db,
    procedures.map((p) => p.procedureId),
    window,
  );
  return procedures.map((procedure) => {
    const raw = values.get(procedure.procedureId) ?? {};
    const cells: Record<string, CellValue> = {};
    for (const slug of indicators) {
      const value = raw[slug] ?? null;
      cells[slug] = {
        raw: value,
        ...evaluate(rules, slug, value),
        enteredByHand: values.enteredByHand.get(procedure.procedureId)?.has(slug) ?? false,
      };
    }
    return { procedure, values: cells };
  });
}
