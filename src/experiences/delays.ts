import { readFileSync } from 'node:fs';
import type { Queryable } from '../kernel/db/db.ts';

/**
 * Answer delays: the target of each administration (experience_delays, else the defaults of data/delays.json: 7 days,
 * the State's published commitment for electronic requests, and a shorter one for accessibility stories), and the
 * public figures per administration computed from the stories.
 */
const DEFAULTS: { targetDays: number; accessibilityDays: number } = JSON.parse(
  readFileSync(new URL('./data/delays.json', import.meta.url), 'utf8'),
);

export interface Delays {
  targetDays: number;
  accessibilityDays: number;
  /** False when the administration has set none (the defaults apply). */
  own: boolean;
}

export const DEFAULT_DELAYS: Readonly<Delays> = {
  targetDays: DEFAULTS.targetDays,
  accessibilityDays: DEFAULTS.accessibilityDays,
  own: false,
};

export async function delaysOf(db: Queryable, administrationId: number): Promise<Delays> {
  const { rows } = await db.query<{ target_days: number; accessibility_days: number }>(
    'SELECT target_days, accessibility_days FROM experience_delays WHERE administration_id = $1',
    [administrationId],
  );
  return rows[0] ? { targetDays: rows[0].target_days, accessibilityDays: rows[0].accessibility_days, own: true } : { ...DEFAULT_DELAYS };
}

/**
 * The figures of one administration, over its published stories (every state after moderation):
 * - answer rate: stories with at least one public answer / published stories;
 * - median delay: median, over answered stories, of the days from publication (when the administration can read the
 *   story) to the first answer;
 * - answered in time: among stories whose outcome is known — answered, or still unanswered past their deadline —
 *   the share answered on or before the deadline fixed at publication;
 * - overdue: stories waiting for a first answer past their deadline (solved or closed ones wait for nothing).
 */
export interface DelayFigures {
  administrationId: number;
  administrationName: string;
  ministryId: number;
  published: number;
  answered: number;
  answerRate: number | null;
  medianDays: number | null;
  inTimeShare: number | null;
  overdue: number;
  targetDays: number;
  accessibilityDays: number;
}

export async function delayFigures(
  db: Queryable,
  options: { administrationId?: number; ministryId?: number; now?: Date | null } = {},
): Promise<DelayFigures[]> {
  const { rows } = await db.query(
    `WITH s AS (
       SELECT e.administration_id,
              count(*)::int AS published,
              count(e.first_answer_at)::int AS answered,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM e.first_answer_at - e.published_at) / 86400)
                FILTER (WHERE e.first_answer_at IS NOT NULL) AS median_days,
              count(*) FILTER (WHERE e.first_answer_at IS NOT NULL AND e.first_answer_at <= e.due_at)::int AS in_time,
              count(*) FILTER (WHERE e.first_answer_at IS NOT NULL OR e.due_at < coalesce($3::timestamptz, now()))::int AS decided,
              count(*) FILTER (WHERE e.first_answer_at IS NULL AND e.status = 'published' AND e.due_at < coalesce($3::timestamptz, now()))::int AS overdue
         FROM experiences e
        WHERE e.published_at IS NOT NULL AND e.status <> 'refused'
          AND ($1::bigint IS NULL OR e.administration_id = $1) AND ($2::bigint IS NULL OR e.ministry_id = $2)
        GROUP BY e.administration_id
     )
     SELECT a.id, a.name, a.ministry_id, s.published, s.answered, s.median_days, s.in_time, s.decided, s.overdue, d.target_days, d.accessibility_days
       FROM s JOIN administrations a ON a.id = s.administration_id LEFT JOIN experience_delays d ON d.administration_id = a.id
      ORDER BY a.name`,
    [options.administrationId ?? null, options.ministryId ?? null, options.now ?? null],
  );
  return rows.map((r) => ({
    administrationId: Number(r.id),
    administrationName: r.name,
    ministryId: Number(r.ministry_id),
    published: r.published,
    answered: r.answered,
    answerRate: r.published ? r.answered / r.published : null,
    medianDays: r.median_days === null ? null : Number(r.median_days),
    inTimeShare: r.decided ? r.in_time / r.decided : null,
    overdue: r.overdue,
    targetDays: r.target_days ?? DEFAULTS.targetDays,
    accessibilityDays: r.accessibility_days ?? DEFAULTS.accessibilityDays,
  }));
}
