import type { Queryable } from '../../kernel/db/db.ts';
import { run, sql, type Sql } from '../../kernel/db/sql.ts';
import type { Window } from '../analytics/indicators.ts';
import { QUESTIONS } from '../questionnaire/template.ts';
import { own } from '../../kernel/web/input-guard.ts';

export interface AnswerFilters {
  window: Window;
  buttonId: number | null;
  /** « question:option » */
  option: { question: string; optionId: string } | null;
  verbatim: 'avec' | 'sans' | null;
  q: string;
  page: number;
}

export function parseOption(value: unknown): AnswerFilters['option'] {
  if (typeof value !== 'string') return null;
  const [question, optionId] = value.split(':');
  // Own keys only: `constructor:x` or `toString:x` name no question (they used to reach Object's prototype: 500).
  return own(QUESTIONS, question)?.some((o) => o.id === optionId) ? { question, optionId } : null;
}

export const ANSWERS_PAGE_SIZE = 50;

/** The WHERE clause of the answers list and of its exports (reviews of one form, not deleted). */
export function answersCondition(formId: number, f: Omit<AnswerFilters, 'page'>): Sql {
  const parts = [
    sql`r.form_id = ${formId}`,
    sql`r.deleted_at IS NULL`,
    sql`r.day BETWEEN ${f.window.start}::date AND ${f.window.end}::date`,
  ];
  if (f.buttonId) parts.push(sql`r.button_id = ${f.buttonId}`);
  if (f.option) {
    parts.push(
      sql`EXISTS (SELECT 1 FROM feedback_answers a WHERE a.day = r.day AND a.review_id = r.id AND a.question = ${f.option.question} AND a.option_id = ${f.option.optionId})`,
    );
  }
  if (f.verbatim === 'avec') parts.push(sql`r.verbatim IS NOT NULL`);
  if (f.verbatim === 'sans') parts.push(sql`r.verbatim IS NULL`);
  if (f.q) {
    // `verbatim IS NOT NULL` lets the planner use the partial trigram index (migration 0406).
    parts.push(
      sql`r.verbatim IS NOT NULL AND search_text(r.verbatim) LIKE '%' || replace(replace(replace(search_text(${f.q}), '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%'`,
    );
  }
  return sql.join(parts, ' AND ');
}

export interface ReviewListRow {
  id: number;
  createdAt: Date;
  buttonName: string;
  version: number;
  verbatim: string | null;
  answers: { question: string; sub: string; optionId: string }[];
}

export async function listReviews(db: Queryable, formId: number, f: AnswerFilters): Promise<{ rows: ReviewListRow[]; total: number }> {
  const where = answersCondition(formId, f);
  const [{ rows: count }, { rows }] = await Promise.all([
    run<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM feedback_reviews r WHERE ${where}`),
    run(
      db,
      sql`SELECT r.id, r.created_at, r.form_version, r.verbatim, b.name AS button_name,
              (SELECT json_agg(json_build_object('question', a.question, 'sub', a.sub, 'optionId', a.option_id) ORDER BY a.question, a.sub)
                 FROM feedback_answers a WHERE a.day = r.day AND a.review_id = r.id) AS answers
         FROM feedback_reviews r JOIN feedback_buttons b ON b.id = r.button_id
        WHERE ${where} ORDER BY r.created_at DESC, r.id DESC LIMIT ${ANSWERS_PAGE_SIZE} OFFSET ${(f.page - 1) * ANSWERS_PAGE_SIZE}`,
    ),
  ]);
  return {
    total: count[0].n,
    rows: rows.map((r) => ({
      id: Number(r.id),
      createdAt: new Date(r.created_at),
      buttonName: r.button_name,
      version: r.form_version,
      verbatim: r.verbatim,
      answers: r.answers ?? [],
    })),
  };
}

/** Verbatims of the filtered reviews (the most recent ones), for the frequent words and phrases. */
export async function recentVerbatims(db: Queryable, formId: number, f: AnswerFilters, limit = 2000): Promise<string[]> {
  const { rows } = await run<{ verbatim: string }>(
    db,
    sql`SELECT r.verbatim FROM feedback_reviews r WHERE ${answersCondition(formId, f)} AND r.verbatim IS NOT NULL ORDER BY r.created_at DESC LIMIT ${limit}`,
  );
  return rows.map((r) => r.verbatim);
}
