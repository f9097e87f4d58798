import type { Queryable } from '../kernel/db/db.ts';

/**
 * For grouping a procedure's stories into themes (the défis' page of the procedure's team, issue 15): the stories the
 * public pages show — published, not refused, with the author's consent, personal data already masked — published
 * between `start` and `end` (YYYY-MM-DD, both included), the most recent `limit` first. Documented in docs/experiences.md.
 */
export interface ThemeStory {
  id: number;
  body: string;
  publishedAt: Date;
  /** `YYYY-MM` of publication (Paris), for the counts per month. */
  month: string;
  /** The story's public page. */
  href: string;
}

export async function storiesForThemes(
  db: Queryable,
  procedureId: number,
  window: { start: string; end: string },
  limit = 5000,
): Promise<ThemeStory[]> {
  const { rows } = await db.query(
    `SELECT e.id, e.body, e.published_at, to_char(e.published_at AT TIME ZONE 'Europe/Paris', 'YYYY-MM') AS month
       FROM experiences e
      WHERE e.procedure_id = $1 AND e.published_at IS NOT NULL AND e.status <> 'refused' AND e.consent
        AND (e.published_at AT TIME ZONE 'Europe/Paris')::date BETWEEN $2::date AND $3::date
      ORDER BY e.published_at DESC, e.id DESC LIMIT $4`,
    [procedureId, window.start, window.end, limit],
  );
  return rows.map((r) => ({ id: Number(r.id), body: r.body, publishedAt: r.published_at, month: r.month, href: `/temoignages/${r.id}` }));
}
