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
  procedure_id?: unknown;
}

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

/**
 * Reads role + the one scope field that role needs; checks that the ministry/administration/procedure exists. The
 * procedure is typed as words of its title (or its stable id): one match is taken, several are listed to choose from
 * (`procedure_id`), which works without JavaScript.
 */
export async function resolveGrantTarget(
  db: Queryable,
  form: GrantForm,
): Promise<{ ok: true; target: GrantTarget } | { ok: false; errors: FieldErrors; matches?: ProcedureMatch[] }> {
  const role = text(form.role) as Role;
  if (!ROLES.includes(role)) return { ok: false, errors: { role: 'Choisissez un rôle dans la liste.' } };
  if (role === 'admin') return { ok: true, target: { role, placeMinistryId: null, placeAdministrationId: null } };
  if (role === 'ministry_referent') {
    const id = Number(text(form.ministry_id));
    const { rows } =
      Number.isSafeInteger(id) && id > 0 ? await db.query<{ id: number }>('SELECT id FROM ministries WHERE id = $1', [id]) : { rows: [] };
    if (!rows[0]) return { ok: false, errors: { ministry_id: 'Choisissez le ministère concerné.' } };
    return { ok: true, target: { role, ministryId: id, placeMinistryId: id, placeAdministrationId: null } };
  }
  if (role === 'administration_member') {
    const id = Number(text(form.administration_id));
    const { rows } =
      Number.isSafeInteger(id) && id > 0
        ? await db.query<{ id: number; ministry_id: number }>('SELECT id, ministry_id FROM administrations WHERE id = $1', [id])
        : { rows: [] };
    if (!rows[0]) return { ok: false, errors: { administration_id: 'Choisissez l’administration concernée.' } };
    return { ok: true, target: { role, administrationId: id, placeMinistryId: rows[0].ministry_id, placeAdministrationId: id } };
  }
  type Found = { id: number; administration_id: number; ministry_id: number };
  const found = (row: Found): { ok: true; target: GrantTarget } => ({
    ok: true,
    target: {
      role,
      procedureId: Number(row.id),
      placeMinistryId: Number(row.ministry_id),
      placeAdministrationId: Number(row.administration_id),
    },
  });
  // A procedure picked in the list of matches (radio buttons named procedure_id).
  const chosen = text(form.procedure_id);
  if (/^\d{1,15}$/.test(chosen)) {
    const { rows } = await db.query<Found>(`${PROCEDURE_PLACE} WHERE p.id = $1`, [Number(chosen)]);
    if (rows[0]) return found(rows[0]);
  }
  const typed = text(form.procedure);
  if (!typed)
    return {
      ok: false,
      errors: { procedure: 'Saisissez le titre de la démarche (ou une partie) ou son identifiant, puis choisissez-la dans la liste.' },
    };
  if (typed.length > 200) return { ok: false, errors: { procedure: '200 caractères au maximum.' } };
  const { rows } = await db.query<Found>(`${PROCEDURE_PLACE} WHERE p.stable_id = $1`, [typed]);
  if (rows[0]) return found(rows[0]);
  const matches = await searchProcedures(db, typed);
  if (matches.length === 1) return found(matches[0]!);
  if (matches.length === 0)
    return {
      ok: false,
      errors: { procedure: `Aucune démarche ne correspond à « ${typed} » : saisissez une partie de son titre ou son identifiant.` },
      matches,
    };
  return {
    ok: false,
    errors: { procedure: 'Plusieurs démarches correspondent : choisissez la démarche concernée dans la liste.' },
    matches,
  };
}

/**
 * « Chercher la démarche » lists matches instead of sending the form — only when there is something to search: words
 * typed for a procedure role and no procedure chosen yet. Pressing Enter in another field submits through that first
 * button too (the form's default button): the form is then sent as with « Envoyer ».
 */
export function wantsProcedureSearch(form: GrantForm & { chercher?: unknown }): boolean {
  return (
    typeof form.chercher === 'string' &&
    ['', 'procedure_editor', 'procedure_reader'].includes(text(form.role)) &&
    text(form.procedure) !== '' &&
    !/^\d{1,15}$/.test(text(form.procedure_id))
  );
}

const PROCEDURE_PLACE = `SELECT p.id, p.administration_id, a.ministry_id FROM procedures p JOIN administrations a ON a.id = p.administration_id`;

/** A procedure found by its title, to pick in a grant form. */
export interface ProcedureMatch {
  id: number;
  title: string;
  stable_id: string;
  administration_name: string;
  administration_id: number;
  ministry_id: number;
}

/** At most this many matches are listed: beyond, the person types more of the title. */
export const MATCHES_SHOWN = 20;

/**
 * Procedures whose title (or stable id) contains every word typed, without regard to case or accents; archived ones
 * excluded. One more than MATCHES_SHOWN is returned, to say that there are more.
 */
export async function searchProcedures(db: Queryable, typed: string): Promise<ProcedureMatch[]> {
  const words = typed
    .split(/\s+/)
    .map((w) => w.replace(/[%_\\]/g, ''))
    .filter(Boolean)
    .slice(0, 8);
  if (words.length === 0) return [];
  const { rows } = await db.query<ProcedureMatch>(
    `SELECT p.id, p.title, p.stable_id, a.name AS administration_name, p.administration_id, a.ministry_id
       FROM procedures p JOIN administrations a ON a.id = p.administration_id
      WHERE p.archived_at IS NULL
        AND (SELECT bool_and(search_text(p.title || ' ' || p.stable_id) LIKE '%' || search_text(w) || '%') FROM unnest($1::text[]) AS w)
      ORDER BY p.title, p.id LIMIT ${MATCHES_SHOWN + 1}`,
    [words],
  );
  return rows.map((r) => ({ ...r, id: Number(r.id), administration_id: Number(r.administration_id), ministry_id: Number(r.ministry_id) }));
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
