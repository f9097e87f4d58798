import type { Queryable } from '../kernel/db/db.ts';
import { sql, run, type Sql } from '../kernel/db/sql.ts';
import { isAdmin, procedureScope, type CurrentUser } from '../kernel/auth/scope.ts';
import type { Channel, Feeling, Helpful, RefusalReason, Status } from './model.ts';
import type { StoryFlags } from './store.ts';

/** Reading stories: the public lists (published, with the author's consent), one story, the back-office lists. */
export interface StoryRow {
  id: number;
  procedureId: number;
  procedureTitle: string;
  administrationId: number;
  administrationName: string;
  ministryId: number;
  body: string;
  channels: Channel[];
  feeling: Feeling;
  solved: boolean;
  consent: boolean;
  accessibility: boolean;
  status: Status;
  flags: StoryFlags;
  refusalReason: RefusalReason | null;
  closeReason: string | null;
  createdAt: Date;
  publishedAt: Date | null;
  dueAt: Date | null;
  firstAnswerAt: Date | null;
  helpful: Helpful | null;
  hasEmail: boolean;
  answers: number;
}

const COLUMNS = sql`e.id, e.procedure_id, p.title AS procedure_title, e.administration_id, a.name AS administration_name, e.ministry_id, e.body,
  e.channels, e.feeling, e.solved, e.consent, e.accessibility, e.status, e.flags, e.refusal_reason, e.close_reason, e.created_at, e.published_at,
  e.due_at, e.first_answer_at, e.helpful, e.email IS NOT NULL AS has_email,
  (SELECT count(*)::int FROM experience_answers x WHERE x.experience_id = e.id) AS answers`;
const FROM = sql`FROM experiences e JOIN procedures p ON p.id = e.procedure_id JOIN administrations a ON a.id = e.administration_id`;

function toRow(r: any): StoryRow {
  return {
    id: Number(r.id),
    procedureId: Number(r.procedure_id),
    procedureTitle: r.procedure_title,
    administrationId: Number(r.administration_id),
    administrationName: r.administration_name,
    ministryId: Number(r.ministry_id),
    body: r.body,
    channels: r.channels,
    feeling: r.feeling,
    solved: r.solved,
    consent: r.consent,
    accessibility: r.accessibility,
    status: r.status,
    flags: r.flags ?? {},
    refusalReason: r.refusal_reason,
    closeReason: r.close_reason,
    createdAt: r.created_at,
    publishedAt: r.published_at,
    dueAt: r.due_at,
    firstAnswerAt: r.first_answer_at,
    helpful: r.helpful,
    hasEmail: r.has_email,
    answers: r.answers,
  };
}

/** Published and public: passed moderation, not refused, the author agreed to publication. */
export const PUBLIC_CONDITION = sql`e.published_at IS NOT NULL AND e.status <> 'refused' AND e.consent`;

export interface PublicFilters {
  channel?: Channel | null;
  feeling?: Feeling | null;
  answered?: boolean | null;
  /** Searched without accents nor case, anywhere in the text. */
  q?: string | null;
}

export type Place = { procedureId: number } | { administrationId: number } | { ministryId: number };

export function placeCondition(place: Place): Sql {
  if ('procedureId' in place) return sql`e.procedure_id = ${place.procedureId}`;
  if ('administrationId' in place) return sql`e.administration_id = ${place.administrationId}`;
  return sql`e.ministry_id = ${place.ministryId}`;
}

export function filterConditions(f: PublicFilters): Sql[] {
  const parts: Sql[] = [];
  if (f.channel) parts.push(sql`${f.channel} = ANY(e.channels)`);
  if (f.feeling) parts.push(sql`e.feeling = ${f.feeling}`);
  if (f.answered === true) parts.push(sql`e.first_answer_at IS NOT NULL`);
  if (f.answered === false) parts.push(sql`e.first_answer_at IS NULL`);
  if (f.q)
    parts.push(sql`e.search LIKE '%' || replace(replace(replace(search_text(${f.q}), '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%'`);
  return parts;
}

export const PER_PAGE = 20;
/**
 * Bounded pagination: a list goes 250 pages deep (the 5 000 newest stories matching); beyond, the filters narrow it.
 * A filtered list counts its matches up to this bound, no further.
 */
export const MAX_PAGES = 250;
export const COUNT_CAP = MAX_PAGES * PER_PAGE;

function counterCondition(place: Place): Sql {
  if ('procedureId' in place) return sql`c.procedure_id = ${place.procedureId}`;
  if ('administrationId' in place) return sql`c.administration_id = ${place.administrationId}`;
  return sql`c.ministry_id = ${place.ministryId}`;
}

/**
 * A search within a procedure: its few hundred public stories read through its list index, then searched. `OFFSET 0`
 * keeps the planner from starting with the trigram index, whose matches for a common word span every procedure (a
 * million stories: 60 ms instead of 1). Null for other places or without search: the planner chooses.
 */
function procedureSearch(place: Place, f: PublicFilters): Sql | null {
  if (!('procedureId' in place) || !f.q) return null;
  const within = sql.join([PUBLIC_CONDITION, placeCondition(place), ...filterConditions({ ...f, q: null })], ' AND ');
  const [search] = filterConditions({ q: f.q });
  return sql`(SELECT e.id, e.published_at, e.search FROM experiences e WHERE ${within} OFFSET 0) e WHERE ${search}`;
}

/**
 * How many public stories match, and whether the count stopped at COUNT_CAP. Without filters (or with the answered
 * filter alone) the totals come from the counters the triggers keep (experience_public_counts); other filters count
 * the matching entries of the list index, up to the cap.
 */
export async function publicTotal(db: Queryable, place: Place, f: PublicFilters): Promise<{ total: number; capped: boolean }> {
  if (!f.channel && !f.feeling && !f.q) {
    const { rows } = await run<{ stories: number; answered: number }>(
      db,
      sql`SELECT coalesce(sum(c.stories), 0)::int AS stories, coalesce(sum(c.answered), 0)::int AS answered
      FROM experience_public_counts c WHERE ${counterCondition(place)}`,
    );
    const r = rows[0];
    return { total: f.answered === true ? r.answered : f.answered === false ? r.stories - r.answered : r.stories, capped: false };
  }
  let count: Sql;
  const candidates = procedureSearch(place, f);
  if (candidates) {
    count = sql`SELECT count(*)::int AS n FROM (SELECT 1 FROM ${candidates} LIMIT ${COUNT_CAP + 1}) x`;
  } else {
    const where = sql.join([PUBLIC_CONDITION, placeCondition(place), ...filterConditions(f)], ' AND ');
    count = sql`SELECT count(*)::int AS n FROM (SELECT 1 FROM experiences e WHERE ${where} LIMIT ${COUNT_CAP + 1}) x`;
  }
  const { rows } = await run<{ n: number }>(db, count);
  return rows[0].n > COUNT_CAP ? { total: COUNT_CAP, capped: true } : { total: rows[0].n, capped: false };
}

/**
 * A page of public stories of a procedure, an administration or a ministry, newest first, and how many in all (capped,
 * see publicTotal). The page's ids are read first from the place's list index (its predicate is the public condition,
 * its order the list's, the filtered columns included), then the 20 rows with their procedure and answer counts.
 */
export async function publicStories(
  db: Queryable,
  place: Place,
  filters: PublicFilters,
  page = 1,
  perPage = PER_PAGE,
): Promise<{ rows: StoryRow[]; total: number; capped: boolean }> {
  const candidates = procedureSearch(place, filters);
  const where = sql.join([PUBLIC_CONDITION, placeCondition(place), ...filterConditions(filters)], ' AND ');
  const [list, count] = await Promise.all([
    run(
      db,
      sql`WITH page AS (SELECT e.id FROM ${candidates ?? sql`experiences e WHERE ${where}`} ORDER BY e.published_at DESC, e.id DESC LIMIT ${perPage} OFFSET ${(page - 1) * perPage})
      SELECT ${COLUMNS} ${FROM} WHERE e.id IN (SELECT id FROM page) ORDER BY e.published_at DESC, e.id DESC`,
    ),
    publicTotal(db, place, filters),
  ]);
  return { rows: list.rows.map(toRow), ...count };
}

/** Stories by id, newest published first (the rows of a page whose ids were read from a list index). */
export async function storiesByIds(db: Queryable, ids: number[]): Promise<StoryRow[]> {
  const { rows } = await run(db, sql`SELECT ${COLUMNS} ${FROM} WHERE e.id = ANY(${ids}::bigint[]) ORDER BY e.published_at DESC, e.id DESC`);
  return rows.map(toRow);
}

export async function storyById(db: Queryable, id: number): Promise<StoryRow | null> {
  const { rows } = await run(db, sql`SELECT ${COLUMNS} ${FROM} WHERE e.id = ${id}`);
  return rows[0] ? toRow(rows[0]) : null;
}

export interface AnswerRow {
  id: number;
  body: string;
  actionUrl: string | null;
  administrationName: string;
  createdAt: Date;
}

export async function answersOf(db: Queryable, id: number): Promise<AnswerRow[]> {
  const { rows } = await db.query(
    `SELECT x.id, x.body, x.action_url, a.name, x.created_at FROM experience_answers x JOIN administrations a ON a.id = x.administration_id
      WHERE x.experience_id = $1 ORDER BY x.created_at, x.id`,
    [id],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    body: r.body,
    actionUrl: r.action_url,
    administrationName: r.name,
    createdAt: r.created_at,
  }));
}

export interface EventRow {
  at: Date;
  from: Status | null;
  to: Status;
  kind: string;
  reason: string | null;
}

export async function eventsOf(db: Queryable, id: number): Promise<EventRow[]> {
  const { rows } = await db.query(
    `SELECT at, status_from, status_to, kind, reason FROM experience_events WHERE experience_id = $1 ORDER BY at, id`,
    [id],
  );
  return rows.map((r) => ({ at: r.at, from: r.status_from, to: r.status_to, kind: r.kind, reason: r.reason }));
}

/** The ministries and administrations whose stories a user moderates (named by them); null: all (steering team). */
export type ModerationScope = { ministries: number[]; administrations: number[] } | null;

export async function moderationScope(db: Queryable, user: CurrentUser): Promise<ModerationScope> {
  if (isAdmin(user)) return null;
  const { rows } = await db.query<{ kind: string; id: number }>(
    `SELECT 'm' AS kind, ministry_id AS id FROM experience_moderators WHERE user_id = $1
     UNION ALL SELECT 'a', administration_id FROM experience_administration_moderators WHERE user_id = $1`,
    [user.id],
  );
  return {
    ministries: rows.filter((r) => r.kind === 'm').map((r) => Number(r.id)),
    administrations: rows.filter((r) => r.kind === 'a').map((r) => Number(r.id)),
  };
}

/** Does the scope hold no story at all (someone named nowhere)? */
export function moderatesNothing(scope: ModerationScope): boolean {
  return scope !== null && scope.ministries.length === 0 && scope.administrations.length === 0;
}

/** May the scope moderate this story: named by its ministry or by its administration (as the story recorded them)? */
export function moderates(scope: ModerationScope, s: Pick<StoryRow, 'ministryId' | 'administrationId'>): boolean {
  return scope === null || scope.ministries.includes(s.ministryId) || scope.administrations.includes(s.administrationId);
}

/** The moderation queue: flagged stories (insults, threats, near duplicates) first, then oldest first. */
export async function moderationQueue(db: Queryable, scope: ModerationScope, limit = 50): Promise<{ rows: StoryRow[]; total: number }> {
  const within =
    scope === null
      ? sql`TRUE`
      : sql`(e.ministry_id = ANY(${scope.ministries}::bigint[]) OR e.administration_id = ANY(${scope.administrations}::bigint[]))`;
  const where = sql`e.status = 'received' AND ${within}`;
  const [list, count] = await Promise.all([
    run(
      db,
      sql`SELECT ${COLUMNS} ${FROM} WHERE ${where}
      ORDER BY (e.flags ? 'insults' OR e.flags ? 'threats' OR e.flags ? 'duplicateOf') DESC, e.created_at, e.id LIMIT ${limit}`,
    ),
    run<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM experiences e WHERE ${where}`),
  ]);
  return { rows: list.rows.map(toRow), total: count.rows[0].n };
}

/** Stories of the user's procedures after moderation (to answer): overdue first, then by deadline, then the others. */
export async function storiesToManage(
  db: Queryable,
  user: CurrentUser,
  options: { status?: Status | null; now?: Date | null; limit?: number } = {},
): Promise<StoryRow[]> {
  const scope = procedureScope(
    user,
    { procedureId: 'e.procedure_id', administrationId: 'e.administration_id', ministryId: 'e.ministry_id' },
    'edit',
  );
  const status = options.status ?? null;
  const now = options.now ?? null;
  const { rows } = await run(
    db,
    sql`SELECT e.id, e.procedure_id, p.title AS procedure_title, e.administration_id, a.name AS administration_name, e.ministry_id, e.body,
            e.channels, e.feeling, e.solved, e.consent, e.accessibility, e.status, e.flags, e.refusal_reason, e.close_reason, e.created_at, e.published_at,
            e.due_at, e.first_answer_at, e.helpful, e.email IS NOT NULL AS has_email,
            (SELECT count(*)::int FROM experience_answers x WHERE x.experience_id = e.id) AS answers
       FROM experiences e JOIN procedures p ON p.id = e.procedure_id JOIN administrations a ON a.id = e.administration_id
      WHERE e.published_at IS NOT NULL AND e.status <> 'refused' AND ${scope} AND (${status}::text IS NULL OR e.status = ${status})
      ORDER BY (e.status = 'published' AND e.due_at < coalesce(${now}::timestamptz, now())) DESC, (e.status = 'published') DESC, e.due_at, e.id
      LIMIT ${options.limit ?? 200}`,
  );
  return rows.map(toRow);
}

/** Is the story overdue: waiting for its first answer past its deadline. */
export function isOverdue(s: Pick<StoryRow, 'status' | 'dueAt' | 'firstAnswerAt'>, now = new Date()): boolean {
  return s.status === 'published' && s.firstAnswerAt === null && s.dueAt !== null && new Date(s.dueAt).getTime() < now.getTime();
}
