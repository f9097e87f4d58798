import type { Queryable } from '../kernel/db/db.ts';
import { canManageAdministration, canManageMinistry, isAdmin, ROLES, type CurrentUser, type Role } from '../kernel/auth/scope.ts';
import type { FieldErrors } from '../kernel/web/forms.ts';
import type { GrantInput } from './users.ts';

/** What a grant (or an invitation) would cover, resolved from a form, with where it sits in the catalogue. */
export interface GrantTarget extends GrantInput {
  /** Ministry of the target (for scope checks); null for admin. */
  placeMinistryId: number | null;
  placeAdministrationId: number | null;
}

export interface GrantForm {
  role?: unknown;
  ministry_id?: unknown;
  administration_id?: unknown;
  procedure?: unknown;
}

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

/** Reads role + the one scope field that role needs; checks that the ministry/administration/procedure exists. */
export async function resolveGrantTarget(db: Queryable, form: GrantForm): Promise<{ ok: true; target: GrantTarget } | { ok: false; errors: FieldErrors }> {
  const role = text(form.role) as Role;
  if (!ROLES.includes(role)) return { ok: false, errors: { role: 'Choisissez un rôle dans la liste.' } };
  if (role === 'admin') return { ok: true, target: { role, placeMinistryId: null, placeAdministrationId: null } };
  if (role === 'ministry_referent') {
    const id = Number(text(form.ministry_id));
    const { rows } = Number.isSafeInteger(id) && id > 0 ? await db.query<{ id: number }>('SELECT id FROM ministries WHERE id = $1', [id]) : { rows: [] };
    if (!rows[0]) return { ok: false, errors: { ministry_id: 'Choisissez le ministère concerné.' } };
    return { ok: true, target: { role, ministryId: id, placeMinistryId: id, placeAdministrationId: null } };
  }
  if (role === 'administration_member') {
    const id = Number(text(form.administration_id));
    const { rows } = Number.isSafeInteger(id) && id > 0
      ? await db.query<{ id: number; ministry_id: number }>('SELECT id, ministry_id FROM administrations WHERE id = $1', [id])
      : { rows: [] };
    if (!rows[0]) return { ok: false, errors: { administration_id: 'Choisissez l’administration concernée.' } };
    return { ok: true, target: { role, administrationId: id, placeMinistryId: rows[0].ministry_id, placeAdministrationId: id } };
  }
  const stableId = text(form.procedure);
  if (!stableId) return { ok: false, errors: { procedure: 'Saisissez l’identifiant de la démarche concernée.' } };
  if (stableId.length > 200) return { ok: false, errors: { procedure: '200 caractères au maximum.' } };
  const { rows } = await db.query<{ id: number; administration_id: number; ministry_id: number }>(
    `SELECT p.id, p.administration_id, a.ministry_id FROM procedures p JOIN administrations a ON a.id = p.administration_id
      WHERE p.stable_id = $1`,
    [stableId],
  );
  if (!rows[0]) return { ok: false, errors: { procedure: 'Aucune démarche ne porte cet identifiant.' } };
  return { ok: true, target: { role, procedureId: rows[0].id, placeMinistryId: rows[0].ministry_id, placeAdministrationId: rows[0].administration_id } };
}

/**
 * May this user hand out this grant? The steering admin: anything. A ministry referent: referents, administration
 * members and procedure teams within their ministry. An administration member: procedure teams of their administration.
 */
export function canGrant(user: CurrentUser, target: GrantTarget): boolean {
  if (isAdmin(user)) return true;
  switch (target.role) {
    case 'admin':
      return false;
    case 'ministry_referent':
    case 'administration_member':
      return canManageMinistry(user, target.placeMinistryId!);
    case 'procedure_editor':
    case 'procedure_reader':
      return canManageAdministration(user, target.placeAdministrationId!, target.placeMinistryId!);
  }
}

/** Can this user invite anyone at all (to show or refuse the invitation page)? */
export function canInvite(user: CurrentUser): boolean {
  return user.grants.some((g) => g.role === 'admin' || g.role === 'ministry_referent' || g.role === 'administration_member');
}

/** The ministries and administrations this user may pick in a grant form. */
export async function grantChoices(db: Queryable, user: CurrentUser) {
  const admin = isAdmin(user);
  const ministryIds = user.grants.filter((g) => g.role === 'ministry_referent').map((g) => g.ministryId);
  const administrationIds = user.grants.filter((g) => g.role === 'administration_member').map((g) => g.administrationId);
  const ministries = await db.query<{ id: number; name: string }>(
    `SELECT id, name FROM ministries WHERE archived_at IS NULL AND ($1 OR id = ANY($2::bigint[])) ORDER BY name`,
    [admin, ministryIds],
  );
  const administrations = await db.query<{ id: number; name: string; ministry_name: string }>(
    `SELECT a.id, a.name, m.name AS ministry_name FROM administrations a JOIN ministries m ON m.id = a.ministry_id
      WHERE a.archived_at IS NULL AND ($1 OR a.ministry_id = ANY($2::bigint[]) OR a.id = ANY($3::bigint[]))
      ORDER BY m.name, a.name`,
    [admin, ministryIds, administrationIds],
  );
  const roles = ROLES.filter((role) => {
    if (admin) return true;
    if (role === 'admin') return false;
    if (role === 'procedure_editor' || role === 'procedure_reader') return true;
    return ministryIds.length > 0;
  });
  return { roles, ministries: ministries.rows, administrations: administrations.rows };
}
