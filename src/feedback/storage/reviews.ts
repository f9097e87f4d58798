import type { Queryable } from '../../kernel/db/db.ts';

/** One answer by option id; `sub` is the help channel of the follow-up questions, '' otherwise. */
export interface Answer {
  question: string;
  sub: string;
  optionId: string;
}

export interface ReviewKey {
  id: number;
  day: string;
  formId: number;
  buttonId: number;
  procedureId: number;
}

type Delta = Map<string, number>;

/** Rollup rows are spread over shards by review id, so that concurrent submissions rarely wait on the same row. */
export const ROLLUP_SHARDS = 16;

function addDelta(delta: Delta, question: string, optionId: string, n: number): void {
  const key = `${question}\u0000${optionId}`;
  delta.set(key, (delta.get(key) ?? 0) + n);
}

/** Rollup rows for a set of answers: one per option, plus « reviews that answered help_tried ». */
function answersDelta(delta: Delta, answers: Answer[], sign: 1 | -1): void {
  for (const a of answers) addDelta(delta, a.question, a.optionId, sign);
  if (answers.some((a) => a.question === 'help_tried')) addDelta(delta, 'help_tried', '_answered', sign);
}

/** The rollup rows a new review adds, as sorted [question, option, count] (« _review/all » included). */
export function reviewDelta(answers: Answer[]): [string, string, number][] {
  const delta: Delta = new Map();
  addDelta(delta, '_review', 'all', 1);
  answersDelta(delta, answers, 1);
  return [...delta].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, n]) => [k.split('\u0000')[0], k.split('\u0000')[1], n]);
}

/** Applies rollup changes in one statement (sorted, so that concurrent transactions lock rows in the same order). */
async function applyDelta(tx: Queryable, review: ReviewKey, delta: Delta): Promise<void> {
  const entries = [...delta].filter(([, n]) => n !== 0).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (entries.length === 0) return;
  const questions = entries.map(([k]) => k.split('\u0000')[0]);
  const options = entries.map(([k]) => k.split('\u0000')[1]);
  const counts = entries.map(([, n]) => n);
  await tx.query(
    `INSERT INTO feedback_rollups (procedure_id, form_id, button_id, day, question, option_id, count, shard)
     SELECT $1, $2, $3, $4::date, q, o, n, $8 FROM unnest($5::text[], $6::text[], $7::bigint[]) AS d(q, o, n)
     ON CONFLICT (form_id, day, button_id, question, option_id, shard) DO UPDATE SET count = feedback_rollups.count + EXCLUDED.count`,
    [review.procedureId, review.formId, review.buttonId, review.day, questions, options, counts, review.id % ROLLUP_SHARDS],
  );
}

async function insertAnswers(tx: Queryable, review: ReviewKey, answers: Answer[]): Promise<void> {
  if (answers.length === 0) return;
  await tx.query(
    `INSERT INTO feedback_answers (day, review_id, question, sub, option_id)
     SELECT $1::date, $2, q, s, o FROM unnest($3::text[], $4::text[], $5::text[]) AS a(q, s, o)`,
    [review.day, review.id, answers.map((a) => a.question), answers.map((a) => a.sub), answers.map((a) => a.optionId)],
  );
}

export interface NewReview {
  formId: number;
  formVersion: number;
  buttonId: number;
  procedureId: number;
  nonce: string;
  lang: string;
}

/**
 * Creates a review with its first answers and counts it in the rollups, in one statement (atomic on its own, and one
 * round trip: the first step is the hot path); null when the nonce was already used.
 */
export async function createReview(db: Queryable, review: NewReview, answers: Answer[]): Promise<ReviewKey | null> {
  const delta: Delta = new Map();
  addDelta(delta, '_review', 'all', 1);
  answersDelta(delta, answers, 1);
  const entries = [...delta].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const { rows } = await db.query<{ id: number; day: string }>(
    `WITH rv AS (
       INSERT INTO feedback_reviews (form_id, form_version, button_id, procedure_id, nonce, day, lang)
       VALUES ($1, $2, $3, $4, $5, (now() AT TIME ZONE 'Europe/Paris')::date, $6)
       ON CONFLICT (nonce) DO NOTHING RETURNING id, day
     ), ans AS (
       INSERT INTO feedback_answers (day, review_id, question, sub, option_id)
       SELECT rv.day, rv.id, q, s, o FROM rv, unnest($7::text[], $8::text[], $9::text[]) AS a(q, s, o)
     ), roll AS (
       INSERT INTO feedback_rollups (procedure_id, form_id, button_id, day, question, option_id, count, shard)
       SELECT $4, $1, $3, rv.day, q, o, n, rv.id % ${ROLLUP_SHARDS} FROM rv, unnest($10::text[], $11::text[], $12::bigint[]) AS d(q, o, n)
       ON CONFLICT (form_id, day, button_id, question, option_id, shard) DO UPDATE SET count = feedback_rollups.count + EXCLUDED.count
     )
     SELECT id, day FROM rv`,
    [
      review.formId,
      review.formVersion,
      review.buttonId,
      review.procedureId,
      review.nonce,
      review.lang,
      answers.map((a) => a.question),
      answers.map((a) => a.sub),
      answers.map((a) => a.optionId),
      entries.map(([k]) => k.split('\u0000')[0]),
      entries.map(([k]) => k.split('\u0000')[1]),
      entries.map(([, n]) => n),
    ],
  );
  if (!rows[0]) return null;
  return { id: Number(rows[0].id), day: rows[0].day, formId: review.formId, buttonId: review.buttonId, procedureId: review.procedureId };
}

/** Replaces the answers of some questions of a review (a later step, or a returning visitor) and fixes the rollups. */
export async function replaceAnswers(tx: Queryable, review: ReviewKey, questions: string[], answers: Answer[]): Promise<void> {
  const { rows: old } = await tx.query<{ question: string; sub: string; option_id: string }>(
    `DELETE FROM feedback_answers WHERE day = $1 AND review_id = $2 AND question = ANY($3::text[]) RETURNING question, sub, option_id`,
    [review.day, review.id, questions],
  );
  await insertAnswers(tx, review, answers);
  const delta: Delta = new Map();
  answersDelta(
    delta,
    old.map((r) => ({ question: r.question, sub: r.sub, optionId: r.option_id })),
    -1,
  );
  answersDelta(delta, answers, 1);
  await applyDelta(tx, review, delta);
}

/** Sets the free texts of a review (already masked) and keeps the verbatim count in the rollups. */
export async function setReviewTexts(
  tx: Queryable,
  review: ReviewKey,
  texts: { verbatim?: string | null; otherHelp?: string | null; contactEmail?: string | null; maskedCount: number },
): Promise<void> {
  const { rows } = await tx.query<{ had: boolean }>(
    `WITH before AS (SELECT verbatim IS NOT NULL AS had FROM feedback_reviews WHERE id = $1)
     UPDATE feedback_reviews SET
       verbatim = CASE WHEN $2 THEN $3 ELSE verbatim END,
       other_help = CASE WHEN $4 THEN $5 ELSE other_help END,
       contact_email = CASE WHEN $6 THEN $7 ELSE contact_email END,
       masked_count = masked_count + $8, updated_at = now()
     WHERE id = $1 RETURNING (SELECT had FROM before)`,
    [
      review.id,
      texts.verbatim !== undefined,
      texts.verbatim ?? null,
      texts.otherHelp !== undefined,
      texts.otherHelp ?? null,
      texts.contactEmail !== undefined,
      texts.contactEmail ?? null,
      texts.maskedCount,
    ],
  );
  if (texts.verbatim === undefined) return;
  const had = rows[0]?.had ?? false;
  const has = !!texts.verbatim;
  if (had !== has) {
    const delta: Delta = new Map();
    addDelta(delta, '_verbatim', 'yes', has ? 1 : -1);
    await applyDelta(tx, review, delta);
  }
}

export async function loadReviewKey(
  db: Queryable,
  reviewId: number,
): Promise<(ReviewKey & { formVersion: number; deleted: boolean; finished: boolean; createdAt: Date }) | null> {
  const { rows } = await db.query(
    `SELECT id, day, form_id, button_id, procedure_id, form_version, deleted_at IS NOT NULL AS deleted, finished_at IS NOT NULL AS finished, created_at
       FROM feedback_reviews WHERE id = $1`,
    [reviewId],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    id: Number(r.id),
    day: r.day,
    formId: Number(r.form_id),
    buttonId: Number(r.button_id),
    procedureId: Number(r.procedure_id),
    formVersion: r.form_version,
    deleted: r.deleted,
    finished: r.finished,
    createdAt: new Date(r.created_at),
  };
}

/** Marks a review finished (the visitor reached the thank-you page): no later visit may change it. */
export async function finishReview(db: Queryable, reviewId: number, buttonId: number): Promise<void> {
  await db.query('UPDATE feedback_reviews SET finished_at = now() WHERE id = $1 AND button_id = $2 AND finished_at IS NULL', [
    reviewId,
    buttonId,
  ]);
}

/** Deletes a review with a reason: kept archived (soft delete), taken out of every rollup. */
export async function deleteReview(tx: Queryable, review: ReviewKey, reason: string, userId: number): Promise<void> {
  const { rows: answers } = await tx.query<{ question: string; sub: string; option_id: string }>(
    'SELECT question, sub, option_id FROM feedback_answers WHERE day = $1 AND review_id = $2',
    [review.day, review.id],
  );
  const { rows } = await tx.query<{ had: boolean }>(
    `UPDATE feedback_reviews SET deleted_at = now(), deleted_reason = $2, deleted_by = $3 WHERE id = $1 AND deleted_at IS NULL
     RETURNING verbatim IS NOT NULL AS had`,
    [review.id, reason, userId],
  );
  if (!rows[0]) return;
  const delta: Delta = new Map();
  addDelta(delta, '_review', 'all', -1);
  if (rows[0].had) addDelta(delta, '_verbatim', 'yes', -1);
  answersDelta(
    delta,
    answers.map((a) => ({ question: a.question, sub: a.sub, optionId: a.option_id })),
    -1,
  );
  await applyDelta(tx, review, delta);
}
