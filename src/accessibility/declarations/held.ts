import type { Queryable } from '../../kernel/db/db.ts';
import type { ConformityLabel } from '../conformity/rate.ts';

/** What Vigie holds of a procedure's published declaration: what a page's own mention can be compared with (monitoring). */
export interface HeldDeclaration {
  procedureId: number;
  label: ConformityLabel;
  /** The rate shown (integer that never crosses a label's threshold) and the exact one; null when nothing was applicable. */
  rate: number | null;
  exactRate: number | null;
  /** YYYY-MM-DD */
  establishedOn: string;
  updatedOn: string;
  /** The public declaration page in Vigie. */
  url: string;
}

/** The published declarations of these procedures (those without one are absent from the map). */
export async function heldDeclarations(db: Queryable, procedureIds: number[]): Promise<Map<number, HeldDeclaration>> {
  const result = new Map<number, HeldDeclaration>();
  if (procedureIds.length === 0) return result;
  const { rows } = await db.query(
    `SELECT d.procedure_id, p.stable_id, d.published #>> '{conformity,label}' AS label, d.published #>> '{results,rate}' AS rate,
            d.published #>> '{results,exactRate}' AS exact_rate, d.published #>> '{establishment,establishedOn}' AS established_on,
            d.published #>> '{establishment,updatedOn}' AS updated_on
       FROM accessibility_declarations d JOIN procedures p ON p.id = d.procedure_id
      WHERE d.procedure_id = ANY($1::bigint[]) AND d.published IS NOT NULL`,
    [procedureIds],
  );
  const num = (v: string | null) => (v === null ? null : Number(v));
  for (const r of rows) {
    result.set(Number(r.procedure_id), {
      procedureId: Number(r.procedure_id),
      label: r.label,
      rate: num(r.rate),
      exactRate: num(r.exact_rate),
      establishedOn: r.established_on,
      updatedOn: r.updated_on,
      url: `/declarations-accessibilite/${encodeURIComponent(r.stable_id)}`,
    });
  }
  return result;
}
