import type { Queryable } from '../kernel/db/db.ts';
import { formatDate } from '../kernel/web/format.ts';

/**
 * The lines of the feedback digest of a procedure (registered with feedback's `registerDigestSection`): its stories
 * waiting for a first answer past their deadline on `today` (YYYY-MM-DD, Paris), oldest deadline first, at most 10.
 */
export async function overdueStoriesDigestText(
  db: Queryable,
  procedureId: number,
  today: string,
  publicUrl: string,
): Promise<string | null> {
  const { rows } = await db.query<{ id: number; published_at: Date; due_at: Date; total: number }>(
    `SELECT id, published_at, due_at, count(*) OVER ()::int AS total FROM experiences
      WHERE procedure_id = $1 AND status = 'published' AND first_answer_at IS NULL AND due_at < ($2::date)::timestamp AT TIME ZONE 'Europe/Paris'
      ORDER BY due_at, id LIMIT 10`,
    [procedureId, today],
  );
  if (rows.length === 0) return null;
  const total = rows[0].total;
  const lines = rows.map(
    (r) =>
      `- témoignage n° ${r.id}, publié le ${formatDate(r.published_at)}, réponse attendue avant le ${formatDate(r.due_at)} : ${publicUrl}/temoignages/gestion/${r.id}`,
  );
  return `Témoignages des usagers : ${total} en retard (sans réponse après le délai cible) :\n${lines.join('\n')}${total > rows.length ? `\n(et ${total - rows.length} autres : ${publicUrl}/temoignages/gestion)` : ''}`;
}
