import type { Queryable } from '../kernel/db/db.ts';
import type { CurrentUser } from '../kernel/auth/scope.ts';
import { audit } from '../kernel/audit/audit.ts';
import type { ChallengeFile, ChallengeStatus, EffectIndicator } from './challenge-file.ts';

export interface Challenge extends ChallengeFile {
  id: number;
  isDemo: boolean;
  updatedAt: Date;
}

const COLUMNS = `id, slug, title, description, ministry, direction, place, positions, to_char(start_date, 'YYYY-MM-DD') AS start_date,
  to_char(end_date, 'YYYY-MM-DD') AS end_date, to_char(launch_date, 'YYYY-MM-DD') AS launch_date, status, procedures, indicators, body, is_demo, updated_at`;

function toChallenge(r: Record<string, any>): Challenge {
  return {
    id: Number(r.id),
    slug: r.slug,
    title: r.title,
    description: r.description,
    ministry: r.ministry,
    direction: r.direction,
    place: r.place,
    positions: r.positions ?? [],
    start: r.start_date,
    end: r.end_date,
    launch: r.launch_date,
    status: r.status as ChallengeStatus,
    procedures: r.procedures ?? [],
    indicators: (r.indicators ?? []) as EffectIndicator[],
    body: r.body,
    isDemo: r.is_demo,
    updatedAt: r.updated_at,
  };
}

export async function listChallenges(db: Queryable, options: { publicOnly?: boolean } = {}): Promise<Challenge[]> {
  const { rows } = await db.query(
    `SELECT ${COLUMNS} FROM challenges ${options.publicOnly ? `WHERE status <> 'brouillon'` : ''} ORDER BY coalesce(launch_date, start_date) DESC NULLS LAST, title`,
  );
  return rows.map(toChallenge);
}

export async function getChallenge(db: Queryable, by: { id?: number; slug?: string }): Promise<Challenge | null> {
  const { rows } =
    by.id !== undefined
      ? await db.query(`SELECT ${COLUMNS} FROM challenges WHERE id = $1`, [by.id])
      : await db.query(`SELECT ${COLUMNS} FROM challenges WHERE slug = $1`, [by.slug ?? '']);
  return rows[0] ? toChallenge(rows[0]) : null;
}

const values = (c: ChallengeFile) => [
  c.slug,
  c.title,
  c.description,
  c.ministry,
  c.direction,
  c.place,
  c.positions,
  c.start,
  c.end,
  c.launch,
  c.status,
  c.procedures,
  c.indicators,
  c.body,
];

/** Creates a défi, or replaces the one with the same slug (import); audited in the caller's transaction. */
export async function saveChallenge(
  db: Queryable,
  c: ChallengeFile,
  actor: CurrentUser | null,
  options: { id?: number; isDemo?: boolean } = {},
): Promise<{ id: number; created: boolean }> {
  const existing = options.id !== undefined ? await getChallenge(db, { id: options.id }) : await getChallenge(db, { slug: c.slug });
  if (existing) {
    await db.query(
      `UPDATE challenges SET slug = $2, title = $3, description = $4, ministry = $5, direction = $6, place = $7, positions = $8, start_date = $9,
         end_date = $10, launch_date = $11, status = $12, procedures = $13, indicators = $14, body = $15, updated_at = now() WHERE id = $1`,
      [existing.id, ...values(c)],
    );
    await audit(db, {
      actor,
      action: 'challenge.update',
      entityType: 'challenge',
      entityId: existing.id,
      before: { slug: existing.slug, title: existing.title, status: existing.status },
      after: { slug: c.slug, title: c.title, status: c.status },
    });
    return { id: existing.id, created: false };
  }
  const { rows } = await db.query(
    `INSERT INTO challenges (slug, title, description, ministry, direction, place, positions, start_date, end_date, launch_date, status, procedures, indicators, body, is_demo, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id`,
    [...values(c), options.isDemo ?? false, actor?.id ?? null],
  );
  const id = Number(rows[0].id);
  await audit(db, {
    actor,
    action: 'challenge.create',
    entityType: 'challenge',
    entityId: id,
    after: { slug: c.slug, title: c.title, status: c.status },
  });
  return { id, created: true };
}

export async function slugTaken(db: Queryable, slug: string, exceptId: number | null): Promise<boolean> {
  const { rows } = await db.query('SELECT 1 FROM challenges WHERE slug = $1 AND id IS DISTINCT FROM $2', [slug, exceptId]);
  return rows.length > 0;
}

/** Stable ids of the file that the catalogue does not know. */
export async function unknownProcedures(db: Queryable, stableIds: string[]): Promise<string[]> {
  if (stableIds.length === 0) return [];
  const { rows } = await db.query<{ stable_id: string }>('SELECT stable_id FROM procedures WHERE stable_id = ANY($1::text[])', [stableIds]);
  const known = new Set(rows.map((r) => r.stable_id));
  return stableIds.filter((s) => !known.has(s));
}

export interface ChallengeProcedure {
  id: number;
  stableId: string;
  title: string;
  ministryId: number;
}

export async function challengeProcedures(db: Queryable, stableIds: string[]): Promise<ChallengeProcedure[]> {
  if (stableIds.length === 0) return [];
  const { rows } = await db.query(
    `SELECT p.id, p.stable_id, p.title, a.ministry_id FROM procedures p JOIN administrations a ON a.id = p.administration_id
      WHERE p.stable_id = ANY($1::text[]) ORDER BY p.title`,
    [stableIds],
  );
  return rows.map((r) => ({ id: Number(r.id), stableId: r.stable_id, title: r.title, ministryId: Number(r.ministry_id) }));
}

export interface Member {
  userId: number;
  name: string;
  role: string;
}

export async function listMembers(db: Queryable, challengeId: number): Promise<Member[]> {
  const { rows } = await db.query(
    `SELECT m.user_id, coalesce(nullif(u.display_name, ''), u.email) AS name, m.role FROM challenge_members m JOIN users u ON u.id = m.user_id
      WHERE m.challenge_id = $1 ORDER BY name`,
    [challengeId],
  );
  return rows.map((r) => ({ userId: Number(r.user_id), name: r.name, role: r.role }));
}

export const ACTION_STATUSES = ['a_faire', 'en_cours', 'fait', 'abandonne'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];
export const ACTION_STATUS_LABELS: Record<ActionStatus, string> = {
  a_faire: 'À faire',
  en_cours: 'En cours',
  fait: 'Fait',
  abandonne: 'Abandonné',
};
export const MOTIVE_KINDS = ['verbatim', 'experience', 'audit', 'autre'] as const;
export type MotiveKind = (typeof MOTIVE_KINDS)[number];
export const MOTIVE_LABELS: Record<MotiveKind, string> = {
  verbatim: 'Verbatim d’usager',
  experience: 'Expérience usager',
  audit: 'Non-conformité d’un audit',
  autre: 'Autre',
};

export interface Action {
  id: number;
  title: string;
  date: string;
  owner: string;
  status: ActionStatus;
  motiveKind: MotiveKind | null;
  motiveRef: string;
  milestoneUrl: string;
}

export async function listActions(db: Queryable, challengeId: number): Promise<Action[]> {
  const { rows } = await db.query(
    `SELECT id, title, to_char(action_date, 'YYYY-MM-DD') AS action_date, owner, status, motive_kind, motive_ref, milestone_url
       FROM challenge_actions WHERE challenge_id = $1 ORDER BY action_date, id`,
    [challengeId],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    title: r.title,
    date: r.action_date,
    owner: r.owner,
    status: r.status,
    motiveKind: r.motive_kind,
    motiveRef: r.motive_ref,
    milestoneUrl: r.milestone_url,
  }));
}

/**
 * Where a défi sits for the declared access (`VigieModule.places`, via « challenge »): the ministry of its first
 * procedure (0 when it has none: then only the steering team and the team) and its team members, who are granted
 * this défi alone (`objectGrants`): they may edit its actions without any catalogue grant.
 */
export async function challengePlace(db: Queryable, id: number): Promise<{ ministryId: number; grantedUserIds: number[] } | null> {
  const { rows } = await db.query<{ ministry_id: number | null; members: number[] | null }>(
    `SELECT (SELECT a.ministry_id FROM procedures p JOIN administrations a ON a.id = p.administration_id
              WHERE p.stable_id = ANY(c.procedures) ORDER BY a.ministry_id LIMIT 1) AS ministry_id,
            (SELECT array_agg(m.user_id) FROM challenge_members m WHERE m.challenge_id = c.id) AS members
       FROM challenges c WHERE c.id = $1`,
    [id],
  );
  const r = rows[0];
  if (!r) return null;
  return { ministryId: r.ministry_id === null ? 0 : Number(r.ministry_id), grantedUserIds: (r.members ?? []).map(Number) };
}

/** The défis a user is a member of, with their role, newest launch first. */
export async function challengesOfMember(db: Queryable, userId: number): Promise<(Challenge & { role: string })[]> {
  const { rows } = await db.query(
    `SELECT c.*, m.role AS member_role FROM (SELECT ${COLUMNS} FROM challenges) c JOIN challenge_members m ON m.challenge_id = c.id
      WHERE m.user_id = $1 ORDER BY coalesce(c.launch_date, c.start_date) DESC NULLS LAST, c.title`,
    [userId],
  );
  return rows.map((r) => ({ ...toChallenge(r), role: r.member_role }));
}
