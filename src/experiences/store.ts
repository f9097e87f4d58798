import type { Db, Queryable } from '../kernel/db/db.ts';
import type { CurrentUser } from '../kernel/auth/scope.ts';
import type { AppDeps } from '../kernel/web/deps.ts';
import { audit } from '../kernel/audit/audit.ts';
import { queueMail } from '../kernel/mail/queue.ts';
import { maskPersonalData } from '../feedback/index.ts';
import { accessibilityWords, nearestDuplicate, offensiveWords } from './moderation.ts';
import { delaysOf } from './delays.ts';
import { answerMail, followUpMail, refusalMail } from './mails.ts';
import { followUpToken } from './tokens.ts';
import {
  FOLLOW_UP_DAYS,
  PUBLIC_STATUSES,
  type Channel,
  type Feeling,
  type Helpful,
  type Lang,
  type RefusalReason,
  type Status,
} from './model.ts';

/**
 * Every change of a story: told (masked, flagged), published or refused by a moderator, answered by its
 * administration (possibly several times, possibly with an action engaged), solved or closed, and the author's word on
 * the answer. Each change writes a row of experience_events (the public history) and, when a person made it, the
 * audit journal, in the same transaction.
 */
type Actor = Pick<CurrentUser, 'id' | 'email'> | null;

export interface ProcedureInfo {
  id: number;
  stableId: string;
  title: string;
  archived: boolean;
  administrationId: number;
  administrationName: string;
  ministryId: number;
  ministryName: string;
}

export async function procedureInfo(db: Queryable, procedureId: number): Promise<ProcedureInfo | null> {
  const { rows } = await db.query(
    `SELECT p.id, p.stable_id, p.title, p.archived_at IS NOT NULL AS archived, a.id AS administration_id, a.name AS administration_name,
            m.id AS ministry_id, m.name AS ministry_name
       FROM procedures p JOIN administrations a ON a.id = p.administration_id JOIN ministries m ON m.id = a.ministry_id
      WHERE p.id = $1`,
    [procedureId],
  );
  const r = rows[0];
  return r
    ? {
        id: Number(r.id),
        stableId: r.stable_id,
        title: r.title,
        archived: r.archived,
        administrationId: Number(r.administration_id),
        administrationName: r.administration_name,
        ministryId: Number(r.ministry_id),
        ministryName: r.ministry_name,
      }
    : null;
}

export interface NewStory {
  procedure: ProcedureInfo;
  lang: Lang;
  body: string;
  channels: Channel[];
  feeling: Feeling;
  solved: boolean;
  email: string | null;
  consent: boolean;
  accessibilityTicked: boolean;
}

export interface StoryFlags {
  insults?: string[];
  threats?: string[];
  duplicateOf?: number;
  similarity?: number;
  accessibilityWords?: string[];
  masked?: number;
}

/** How many recent stories of the procedure a new one is compared with, and over how many days. */
const DUPLICATE_WINDOW = { stories: 300, days: 60 };

/** Stores a new story (status « received ») with its text masked and its flags; returns its id. */
export async function submitStory(db: Db, s: NewStory, now: Date | null = null): Promise<number> {
  const masked = maskPersonalData(s.body);
  const offensive = offensiveWords(masked.text);
  const a11y = accessibilityWords(masked.text);
  return db.transaction(async (tx) => {
    const { rows: recent } = await tx.query<{ id: number; body: string }>(
      `SELECT id, body FROM experiences WHERE procedure_id = $1 AND created_at > coalesce($2::timestamptz, now()) - make_interval(days => $3)
        ORDER BY created_at DESC LIMIT $4`,
      [s.procedure.id, now, DUPLICATE_WINDOW.days, DUPLICATE_WINDOW.stories],
    );
    const duplicate = nearestDuplicate(
      masked.text,
      recent.map((r) => ({ id: Number(r.id), body: r.body })),
    );
    const flags: StoryFlags = {};
    if (offensive.insults.length) flags.insults = offensive.insults;
    if (offensive.threats.length) flags.threats = offensive.threats;
    if (duplicate) Object.assign(flags, { duplicateOf: duplicate.id, similarity: Math.round(duplicate.similarity * 100) / 100 });
    if (a11y.length) flags.accessibilityWords = a11y;
    if (masked.count) flags.masked = masked.count;
    const { rows } = await tx.query<{ id: number }>(
      `INSERT INTO experiences (procedure_id, administration_id, ministry_id, lang, body, masked_count, search, channels, feeling, solved, email, consent,
                                accessibility_ticked, accessibility, flags, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, search_text($5), $7, $8, $9, $10, $11, $12, $13, $14, coalesce($15::timestamptz, now()), coalesce($15::timestamptz, now()))
       RETURNING id`,
      [
        s.procedure.id,
        s.procedure.administrationId,
        s.procedure.ministryId,
        s.lang,
        masked.text,
        masked.count,
        s.channels,
        s.feeling,
        s.solved,
        s.email,
        s.consent,
        s.accessibilityTicked,
        s.accessibilityTicked || a11y.length > 0,
        JSON.stringify(flags),
        now,
      ],
    );
    const id = Number(rows[0].id);
    await event(tx, id, null, 'received', 'received', null, null, now);
    return id;
  });
}

async function event(
  tx: Queryable,
  id: number,
  from: Status | null,
  to: Status,
  kind: string,
  reason: string | null,
  actor: Actor,
  at: Date | null = null,
): Promise<void> {
  await tx.query(
    `INSERT INTO experience_events (experience_id, status_from, status_to, kind, reason, actor_id, at) VALUES ($1, $2, $3, $4, $5, $6, coalesce($7::timestamptz, now()))`,
    [id, from, to, kind, reason, actor?.id ?? null, at],
  );
}

interface Locked {
  id: number;
  status: Status;
  email: string | null;
  procedureId: number;
  procedureTitle: string;
  administrationId: number;
  administrationName: string;
  accessibility: boolean;
  consent: boolean;
  firstAnswerAt: Date | null;
}

async function lock(tx: Queryable, id: number): Promise<Locked | null> {
  const { rows } = await tx.query(
    `SELECT e.id, e.status, e.email, e.procedure_id, p.title, e.administration_id, a.name AS administration_name, e.accessibility, e.consent, e.first_answer_at
       FROM experiences e JOIN procedures p ON p.id = e.procedure_id JOIN administrations a ON a.id = e.administration_id
      WHERE e.id = $1 FOR UPDATE OF e`,
    [id],
  );
  const r = rows[0];
  return r
    ? {
        id: Number(r.id),
        status: r.status,
        email: r.email,
        procedureId: Number(r.procedure_id),
        procedureTitle: r.title,
        administrationId: Number(r.administration_id),
        administrationName: r.administration_name,
        accessibility: r.accessibility,
        consent: r.consent,
        firstAnswerAt: r.first_answer_at,
      }
    : null;
}

/** Why a change was refused, in French (the page shows it; nothing was written). */
export class StoryStateError extends Error {}

export type Decision = { publish: true } | { publish: false; reason: RefusalReason };

/** A moderator's decision on a received story; a refusal tells the author why when an address was given. */
export async function moderate(
  deps: Pick<AppDeps, 'db' | 'jobs' | 'mailer'>,
  id: number,
  decision: Decision,
  actor: Actor,
  now: Date | null = null,
): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const s = await lock(tx, id);
    if (!s) throw new StoryStateError('Ce témoignage n’existe pas.');
    if (s.status !== 'received') throw new StoryStateError('Ce témoignage a déjà été modéré : rien n’a été modifié.');
    if (decision.publish) {
      const delays = await delaysOf(tx, s.administrationId);
      const days = s.accessibility ? delays.accessibilityDays : delays.targetDays;
      await tx.query(
        `UPDATE experiences SET status = 'published', published_at = coalesce($2::timestamptz, now()), target_days = $3,
                due_at = coalesce($2::timestamptz, now()) + make_interval(days => $3), updated_at = coalesce($2::timestamptz, now()) WHERE id = $1`,
        [id, now, days],
      );
      await event(tx, id, 'received', 'published', 'published', null, actor, now);
      await audit(tx, {
        actor,
        action: 'experience.publish',
        entityType: 'experience',
        entityId: id,
        before: { status: 'received' },
        after: { status: 'published', target_days: days },
      });
    } else {
      await tx.query(
        `UPDATE experiences SET status = 'refused', refusal_reason = $2, updated_at = coalesce($3::timestamptz, now()) WHERE id = $1`,
        [id, decision.reason, now],
      );
      await event(tx, id, 'received', 'refused', 'refused', decision.reason, actor, now);
      await audit(tx, {
        actor,
        action: 'experience.refuse',
        entityType: 'experience',
        entityId: id,
        before: { status: 'received' },
        after: { status: 'refused', reason: decision.reason },
      });
      if (s.email) await queueMail(deps, refusalMail(s.email, s.procedureTitle, decision.reason), { tx });
    }
  });
}

/** States in which the administration may still answer or conclude. */
const OPEN: Status[] = ['published', 'answered', 'action_engaged'];

/**
 * A public answer of the administration (signed with its name); with `actionUrl` the story becomes « action engagée ».
 * The first answer fixes the answer delay. The author gets a notice.
 */
export async function answerStory(
  deps: Pick<AppDeps, 'db' | 'jobs' | 'mailer'>,
  id: number,
  answer: { body: string; actionUrl: string | null },
  actor: Actor,
  storyUrl: string,
  now: Date | null = null,
): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const s = await lock(tx, id);
    if (!s) throw new StoryStateError('Ce témoignage n’existe pas.');
    if (!OPEN.includes(s.status))
      throw new StoryStateError(
        'Ce témoignage n’attend plus de réponse (il n’est pas publié, ou il est résolu ou clos) : rien n’a été enregistré.',
      );
    const to: Status = answer.actionUrl ? 'action_engaged' : s.status === 'published' ? 'answered' : s.status;
    await tx.query(
      `INSERT INTO experience_answers (experience_id, administration_id, body, action_url, author_id, created_at) VALUES ($1, $2, $3, $4, $5, coalesce($6::timestamptz, now()))`,
      [id, s.administrationId, answer.body, answer.actionUrl, actor?.id ?? null, now],
    );
    await tx.query(
      `UPDATE experiences SET status = $2, first_answer_at = coalesce(first_answer_at, coalesce($3::timestamptz, now())), updated_at = coalesce($3::timestamptz, now()) WHERE id = $1`,
      [id, to, now],
    );
    await event(tx, id, s.status, to, answer.actionUrl ? 'action_engaged' : 'answered', null, actor, now);
    if (answer.actionUrl)
      await audit(tx, {
        actor,
        action: 'experience.action_engaged',
        entityType: 'experience',
        entityId: id,
        before: { status: s.status },
        after: { status: to, action_url: answer.actionUrl },
      });
    else
      await audit(tx, {
        actor,
        action: 'experience.answer',
        entityType: 'experience',
        entityId: id,
        before: { status: s.status },
        after: { status: to },
      });
    if (s.email)
      await queueMail(
        deps,
        answerMail(s.email, s.procedureTitle, s.administrationName, answer.body, s.consent ? storyUrl : null, answer.actionUrl),
        { tx },
      );
  });
}

/** The administration concludes: solved, or closed without action (a public reason is required). */
export async function concludeStory(
  db: Db,
  id: number,
  outcome: { solved: true } | { solved: false; reason: string },
  actor: Actor,
  now: Date | null = null,
): Promise<void> {
  await db.transaction(async (tx) => {
    const s = await lock(tx, id);
    if (!s) throw new StoryStateError('Ce témoignage n’existe pas.');
    if (!OPEN.includes(s.status))
      throw new StoryStateError('Ce témoignage n’est pas ouvert (non publié, déjà résolu ou clos) : rien n’a été modifié.');
    if (outcome.solved) {
      await tx.query(`UPDATE experiences SET status = 'solved', updated_at = coalesce($2::timestamptz, now()) WHERE id = $1`, [id, now]);
      await event(tx, id, s.status, 'solved', 'solved', null, actor, now);
      await audit(tx, {
        actor,
        action: 'experience.solve',
        entityType: 'experience',
        entityId: id,
        before: { status: s.status },
        after: { status: 'solved' },
      });
    } else {
      await tx.query(
        `UPDATE experiences SET status = 'closed', close_reason = $2, updated_at = coalesce($3::timestamptz, now()) WHERE id = $1`,
        [id, outcome.reason, now],
      );
      await event(tx, id, s.status, 'closed', 'closed', outcome.reason, actor, now);
      await audit(tx, {
        actor,
        action: 'experience.close',
        entityType: 'experience',
        entityId: id,
        before: { status: s.status },
        after: { status: 'closed', reason: outcome.reason },
      });
    }
  });
}

/** The author's word on the answer (from the signed link); may be changed, each answer kept in the history. */
export async function recordHelpful(db: Db, id: number, helpful: Helpful): Promise<boolean> {
  return db.transaction(async (tx) => {
    const s = await lock(tx, id);
    if (!s || !s.firstAnswerAt || !PUBLIC_STATUSES.includes(s.status)) return false;
    await tx.query(`UPDATE experiences SET helpful = $2, helpful_at = now() WHERE id = $1`, [id, helpful]);
    await event(tx, id, s.status, s.status, 'helpful', helpful, null);
    return true;
  });
}

/**
 * The job of every day: authors who left an address and got a first answer FOLLOW_UP_DAYS days ago or more are asked
 * whether it helped (once). Returns how many mails were queued.
 */
export async function sendFollowUps(deps: Pick<AppDeps, 'db' | 'jobs' | 'mailer' | 'config'>, now: Date | null = null): Promise<number> {
  return deps.db.transaction(async (tx) => {
    const { rows } = await tx.query<{ id: number; email: string; title: string }>(
      `UPDATE experiences e SET follow_up_sent_at = coalesce($1::timestamptz, now())
         FROM procedures p
        WHERE p.id = e.procedure_id AND e.email IS NOT NULL AND e.follow_up_sent_at IS NULL AND e.first_answer_at IS NOT NULL
          AND e.first_answer_at <= coalesce($1::timestamptz, now()) - make_interval(days => $2)
       RETURNING e.id, e.email, p.title`,
      [now, FOLLOW_UP_DAYS],
    );
    for (const r of rows) {
      const link = `${deps.config.publicUrl.replace(/\/$/, '')}/temoignages/suivi/${followUpToken(deps.config.sessionSecret, Number(r.id))}`;
      await queueMail(deps, followUpMail(r.email, r.title, link), { tx });
    }
    return rows.length;
  });
}
