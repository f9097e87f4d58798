import type { Queryable } from '../../kernel/db/db.ts';

export interface FilterOptions {
  ministries: { id: number; name: string }[];
  administrations: { id: number; name: string; ministryName: string }[];
}

/** The ministries and administrations present in an edition (for the filter lists). */
export async function filterOptions(db: Queryable, editionId: number): Promise<FilterOptions> {
  const { rows } = await db.query(
    `SELECT DISTINCT ministry_id, ministry_name, administration_id, administration_name FROM obs_edition_procedures
      WHERE edition_id = $1 ORDER BY ministry_name, administration_name`,
    [editionId],
  );
  const ministries = new Map<number, string>();
  for (const r of rows) ministries.set(Number(r.ministry_id), r.ministry_name);
  return {
    ministries: [...ministries].map(([id, name]) => ({ id, name })),
    administrations: rows.map((r) => ({ id: Number(r.administration_id), name: r.administration_name, ministryName: r.ministry_name })),
  };
}
