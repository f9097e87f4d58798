import type { Queryable } from '../../kernel/db/db.ts';
import type { AdministrationKind } from '../model.ts';

export interface MinistryRow {
  id: number;
  code: string;
  name: string;
  short_name: string | null;
  archived_at: Date | null;
  administrations: number;
  procedures: number;
}

export interface AdministrationRow {
  id: number;
  ministry_id: number;
  ministry_code: string;
  ministry_name: string;
  code: string;
  name: string;
  kind: AdministrationKind;
  archived_at: Date | null;
  procedures: number;
}

export async function listMinistries(db: Queryable): Promise<MinistryRow[]> {
  const { rows } = await db.query<MinistryRow>(
    `SELECT m.id, m.code, m.name, m.short_name, m.archived_at,
            (SELECT count(*)::int FROM administrations a WHERE a.ministry_id = m.id) AS administrations,
            (SELECT count(*)::int FROM procedures p JOIN administrations a ON a.id = p.administration_id
              WHERE a.ministry_id = m.id AND p.archived_at IS NULL) AS procedures
       FROM ministries m ORDER BY search_text(m.name)`,
  );
  return rows;
}

export async function getMinistry(db: Queryable, id: number): Promise<MinistryRow | null> {
  const { rows } = await db.query<MinistryRow>(
    'SELECT id, code, name, short_name, archived_at, 0 AS administrations, 0 AS procedures FROM ministries WHERE id = $1',
    [id],
  );
  return rows[0] ?? null;
}

const ADMINISTRATION_SELECT = `SELECT a.id, a.ministry_id, m.code AS ministry_code, m.name AS ministry_name, a.code, a.name, a.kind, a.archived_at,
  (SELECT count(*)::int FROM procedures p WHERE p.administration_id = a.id AND p.archived_at IS NULL) AS procedures
  FROM administrations a JOIN ministries m ON m.id = a.ministry_id`;

export async function listAdministrations(db: Queryable): Promise<AdministrationRow[]> {
  const { rows } = await db.query<AdministrationRow>(`${ADMINISTRATION_SELECT} ORDER BY search_text(m.name), search_text(a.name)`);
  return rows;
}

export async function getAdministration(db: Queryable, id: number): Promise<AdministrationRow | null> {
  const { rows } = await db.query<AdministrationRow>(`${ADMINISTRATION_SELECT} WHERE a.id = $1`, [id]);
  return rows[0] ?? null;
}

export async function findCodeTaken(
  db: Queryable,
  table: 'ministries' | 'administrations',
  code: string,
  exceptId: number | null,
): Promise<boolean> {
  const { rows } = await db.query(`SELECT 1 FROM ${table} WHERE code = $1 AND id IS DISTINCT FROM $2::bigint`, [code, exceptId]);
  return rows.length > 0;
}
