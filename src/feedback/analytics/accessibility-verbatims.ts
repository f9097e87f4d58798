import type { Queryable } from '../../kernel/db/db.ts';
import { speaksOfAccessibility } from '../../kernel/text/accessibility-lexicon.ts';

/** Verbatims read for one procedure: its most recent ones over the last 12 months. */
const SCANNED = 5_000;

export interface AccessibilityVerbatim {
  id: number;
  createdAt: string;
  text: string;
  /** The themes page of its form, where the same verbatims are listed under « Accessibilité ». */
  themesHref: string;
}

/**
 * For the accessibility module (its view of a procedure): the feedback verbatims of the procedure's forms over the
 * last 12 months that speak of accessibility, found by the same lexicon as the themes page
 * (src/kernel/text/accessibility-lexicon.ts); deleted reviews left out; newest first. `count` is over the verbatims
 * read (at most 5 000, the most recent; `truncated` says when there were more). Show them only to those who may read
 * the procedure's feedback (the themes page's policy: procedure, read).
 */
export async function accessibilityVerbatims(
  db: Queryable,
  procedureId: number,
  options: { limit?: number } = {},
): Promise<{ count: number; truncated: boolean; verbatims: AccessibilityVerbatim[] }> {
  const limit = Math.min(Math.max(options.limit ?? 5, 1), 100);
  const { rows } = await db.query<{ id: string; verbatim: string; created_at: Date; form_id: string }>(
    `SELECT r.id::text, r.verbatim, r.created_at, r.form_id::text FROM feedback_reviews r
      WHERE r.form_id IN (SELECT f.id FROM feedback_forms f WHERE f.procedure_id = $1)
        AND r.deleted_at IS NULL AND r.verbatim IS NOT NULL AND r.day >= current_date - 365
      ORDER BY r.id DESC LIMIT ${SCANNED + 1}`,
    [procedureId],
  );
  const read = rows.slice(0, SCANNED);
  const found = read.filter((r) => speaksOfAccessibility(r.verbatim));
  return {
    count: found.length,
    truncated: rows.length > SCANNED,
    verbatims: found.slice(0, limit).map((r) => ({
      id: Number(r.id),
      createdAt: new Date(r.created_at).toISOString(),
      text: r.verbatim,
      themesHref: `/avis/formulaires/${r.form_id}/themes`,
    })),
  };
}
