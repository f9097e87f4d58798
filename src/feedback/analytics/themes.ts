import type { Queryable } from '../../kernel/db/db.ts';
import { speaksOfAccessibility } from '../../kernel/text/accessibility-lexicon.ts';
import { findThemes, type Theme } from '../../kernel/text/themes.ts';
import type { Window } from './indicators.ts';

/** Verbatims read for one computation: the window's most recent ones (a year of a busy procedure fits). */
export const THEME_TEXT_LIMIT = 50_000;
const EXAMPLES_PER_THEME = 3;
const ACCESSIBILITY_LISTED = 200;

export interface VerbatimExample {
  id: number;
  createdAt: string;
  text: string;
}

export interface FormThemes {
  window: Window;
  texts: number;
  /** True when the window held more verbatims than were read (the most recent ones were). */
  truncated: boolean;
  unthemed: number;
  themes: (Omit<Theme, 'ids'> & { examples: VerbatimExample[] })[];
  accessibility: { count: number; examples: VerbatimExample[] };
  computedAt: string;
  /** Whether this reading computed the themes (false: they came from the cache). */
  fresh: boolean;
}

interface Stamp {
  n: number;
  last_id: string | null;
  last_update: Date | null;
}

const WHERE = `form_id = $1 AND deleted_at IS NULL AND verbatim IS NOT NULL AND day BETWEEN $2::date AND $3::date`;

/**
 * The themes of a form's verbatims over `window`, from the cache when its verbatims have not changed since (same count,
 * same highest review id, same latest update), else computed and cached.
 */
export async function formThemes(db: Queryable, formId: number, window: Window): Promise<FormThemes> {
  const params = [formId, window.start, window.end];
  const stamp = (
    await db.query<Stamp>(
      `SELECT count(*)::int AS n, max(id)::text AS last_id, max(updated_at) AS last_update FROM feedback_reviews WHERE ${WHERE}`,
      params,
    )
  ).rows[0];
  const lastId = stamp.last_id ?? '0';
  const lastUpdate = stamp.last_update ? new Date(stamp.last_update) : new Date(0);
  const cached = await db.query<{ result: FormThemes }>(
    `SELECT result FROM feedback_theme_cache
      WHERE form_id = $1 AND window_start = $2::date AND window_end = $3::date
        AND verbatim_count = $4 AND last_review_id = $5 AND last_update = $6`,
    [...params, stamp.n, lastId, lastUpdate],
  );
  if (cached.rows[0]) return { ...cached.rows[0].result, fresh: false };

  const { rows } = await db.query<{ id: string; verbatim: string; created_at: Date; month: string }>(
    `SELECT id::text, verbatim, created_at, to_char(day, 'YYYY-MM') AS month FROM feedback_reviews
      WHERE ${WHERE} ORDER BY id DESC LIMIT ${THEME_TEXT_LIMIT}`,
    params,
  );
  const byId = new Map(rows.map((r) => [Number(r.id), r]));
  const example = (id: number): VerbatimExample => {
    const r = byId.get(id)!;
    return { id, createdAt: new Date(r.created_at).toISOString(), text: r.verbatim };
  };
  const found = findThemes(rows.map((r) => ({ id: Number(r.id), text: r.verbatim, month: r.month })));
  const accessible = rows.filter((r) => speaksOfAccessibility(r.verbatim));
  const result: FormThemes = {
    window,
    texts: rows.length,
    truncated: stamp.n > rows.length,
    unthemed: found.unthemed,
    themes: found.themes.map(({ ids, ...theme }) => ({ ...theme, examples: ids.slice(0, EXAMPLES_PER_THEME).map(example) })),
    accessibility: { count: accessible.length, examples: accessible.slice(0, ACCESSIBILITY_LISTED).map((r) => example(Number(r.id))) },
    computedAt: new Date().toISOString(),
    fresh: true,
  };
  await db.query(`DELETE FROM feedback_theme_cache WHERE form_id = $1 AND computed_at < now() - interval '7 days'`, [formId]);
  await db.query(
    `INSERT INTO feedback_theme_cache (form_id, window_start, window_end, verbatim_count, last_review_id, last_update, result)
     VALUES ($1, $2::date, $3::date, $4, $5, $6, $7)
     ON CONFLICT (form_id, window_start, window_end) DO UPDATE
       SET verbatim_count = excluded.verbatim_count, last_review_id = excluded.last_review_id, last_update = excluded.last_update,
           result = excluded.result, computed_at = now()`,
    [...params, stamp.n, lastId, lastUpdate, JSON.stringify({ ...result, fresh: false })],
  );
  return result;
}
