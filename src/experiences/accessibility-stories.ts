import type { Queryable } from '../kernel/db/db.ts';
import type { Status } from './model.ts';

/**
 * For the accessibility module (its view of a procedure): the procedure's public stories about accessibility — a
 * disability, a screen reader, a blocked keyboard… — found by the lexicon (data/lexicon.json « accessibility ») or
 * ticked by the author. Only what the public pages show: published, not refused, with the author's consent; personal
 * data already masked. Newest first. Documented in docs/experiences.md.
 *
 *   import { accessibilityStories } from '../experiences/accessibility-stories.ts';
 *   const { stories, total } = await accessibilityStories(db, procedureId, { limit: 5 });
 *   // each story: { id, body, publishedAt, status, answered, href } — href is its public page
 */
export interface AccessibilityStory {
  id: number;
  body: string;
  publishedAt: Date;
  status: Status;
  answered: boolean;
  /** The story's public page (answers and history). */
  href: string;
}

export async function accessibilityStories(
  db: Queryable,
  procedureId: number,
  options: { limit?: number } = {},
): Promise<{ stories: AccessibilityStory[]; total: number }> {
  const limit = Math.min(Math.max(options.limit ?? 10, 1), 100);
  const where = `e.procedure_id = $1 AND e.accessibility AND e.published_at IS NOT NULL AND e.status <> 'refused' AND e.consent`;
  const [list, count] = await Promise.all([
    db.query(
      `SELECT e.id, e.body, e.published_at, e.status, e.first_answer_at IS NOT NULL AS answered FROM experiences e WHERE ${where} ORDER BY e.published_at DESC, e.id DESC LIMIT $2`,
      [procedureId, limit],
    ),
    db.query<{ n: number }>(`SELECT count(*)::int AS n FROM experiences e WHERE ${where}`, [procedureId]),
  ]);
  return {
    stories: list.rows.map((r) => ({
      id: Number(r.id),
      body: r.body,
      publishedAt: r.published_at,
      status: r.status,
      answered: r.answered,
      href: `/temoignages/${r.id}`,
    })),
    total: count.rows[0].n,
  };
}
