import { sql, type Sql } from '../db/sql.ts';

/**
 * Roles scoped to the catalogue, and the checks every route makes against them.
 * - admin: the steering team, everything;
 * - ministry_referent: a ministry, its administrations and their procedures;
 * - administration_member: an administration and its procedures;
 * - procedure_editor / procedure_reader: one procedure, with or without the right to change it.
 */
export const ROLES = ['admin', 'ministry_referent', 'administration_member', 'procedure_editor', 'procedure_reader'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  admin: 'Équipe de pilotage (administrateur)',
  ministry_referent: 'Référent ministériel',
  administration_member: "Membre d'une administration",
  procedure_editor: 'Équipe de démarche (modification)',
  procedure_reader: 'Équipe de démarche (lecture seule)',
};

export interface Grant {
  role: Role;
  ministryId: number | null;
  administrationId: number | null;
  procedureId: number | null;
}

export interface CurrentUser {
  id: number;
  email: string;
  displayName: string;
  grants: Grant[];
  sessionId: string;
}

/** Where a procedure sits in the catalogue: enough to decide any scope question. */
export interface ProcedurePlace {
  procedureId: number;
  administrationId: number;
  ministryId: number;
}

export function isAdmin(user: CurrentUser | null | undefined): boolean {
  return !!user?.grants.some((g) => g.role === 'admin');
}

function grantCovers(grant: Grant, place: ProcedurePlace): boolean {
  switch (grant.role) {
    case 'admin':
      return true;
    case 'ministry_referent':
      return grant.ministryId === place.ministryId;
    case 'administration_member':
      return grant.administrationId === place.administrationId;
    case 'procedure_editor':
    case 'procedure_reader':
      return grant.procedureId === place.procedureId;
  }
}

export function canReadProcedure(user: CurrentUser | null | undefined, place: ProcedurePlace): boolean {
  return !!user?.grants.some((g) => grantCovers(g, place));
}

export function canEditProcedure(user: CurrentUser | null | undefined, place: ProcedurePlace): boolean {
  return !!user?.grants.some((g) => g.role !== 'procedure_reader' && grantCovers(g, place));
}

/** May the user create or change procedures of this administration (or the administration itself)? */
export function canManageAdministration(user: CurrentUser | null | undefined, administrationId: number, ministryId: number): boolean {
  return !!user?.grants.some(
    (g) =>
      g.role === 'admin' ||
      (g.role === 'ministry_referent' && g.ministryId === ministryId) ||
      (g.role === 'administration_member' && g.administrationId === administrationId),
  );
}

export function canManageMinistry(user: CurrentUser | null | undefined, ministryId: number): boolean {
  return !!user?.grants.some((g) => g.role === 'admin' || (g.role === 'ministry_referent' && g.ministryId === ministryId));
}

/** Has the user any access at all to the back-office (any grant)? */
export function hasAnyGrant(user: CurrentUser | null | undefined): boolean {
  return !!user && user.grants.length > 0;
}

/**
 * The procedures of the user's scope as a condition (`TRUE` for the steering admin), a composable fragment of the `sql`
 * tagged template: no placeholder to count. `columns` name the procedure id, administration id and ministry id
 * expressions of the query; they are code, never user input. `edit` leaves out the procedure readers' grants.
 */
export function procedureScope(
  user: CurrentUser,
  columns = { procedureId: 'p.id', administrationId: 'p.administration_id', ministryId: 'a.ministry_id' },
  mode: 'read' | 'edit' = 'read',
): Sql {
  if (isAdmin(user)) return sql`TRUE`;
  const grants = mode === 'edit' ? user.grants.filter((g) => g.role !== 'procedure_reader') : user.grants;
  const ids = (role: Role[], key: keyof Grant) => grants.filter((g) => role.includes(g.role)).map((g) => g[key] as number);
  const parts: Sql[] = [];
  const add = (column: string, values: number[]) => {
    if (values.length) parts.push(sql`${sql.identifier(column)} = ANY(${values}::bigint[])`);
  };
  add(columns.ministryId, ids(['ministry_referent'], 'ministryId'));
  add(columns.administrationId, ids(['administration_member'], 'administrationId'));
  add(columns.procedureId, ids(['procedure_editor', 'procedure_reader'], 'procedureId'));
  return parts.length ? sql`(${sql.join(parts, ' OR ')})` : sql`FALSE`;
}
