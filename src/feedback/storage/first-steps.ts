import type { Queryable } from '../../kernel/db/db.ts';
import { ROLLUP_SHARDS, reviewDelta, type Answer, type NewReview, type ReviewKey } from './reviews.ts';
import { previousMinuteWeighted } from '../public/abuse.ts';

export interface FirstStepOutcome {
  /** The submitter's counter for the current minute, this submission included. */
  rateCount: number;
  /** False when the button was closed or deleted, or the form deleted or republished, since it was looked up. */
  live: boolean;
  /** Null when refused (over the rate limit, button no longer live) or when the nonce was already used. */
  review: ReviewKey | null;
}

/** One usual first step, already validated: the review to create, its answers and its rate-limit counter. */
export interface FirstStep {
  review: NewReview;
  answers: Answer[];
  rate: { ipHash: string; limit: number; shard: number };
}

/**
 * The statement that writes a batch of first steps ($1 submissions, $2 counters per address, $3 answers, $4 rollup
 * rows, $5 rollup shard, $6 the clock of the rate limit: null for the database's now(), a time in tests). The rate
 * limit is a sliding window (abuse.ts): this minute's count plus the last minute's, weighted. Two choices that the plans depend on:
 * - The rows come as JSON rather than arrays: the planner estimates jsonb_to_recordset the same whatever the values
 *   (where it counts the elements of an array given as a constant), so after a few executions PostgreSQL keeps the
 *   generic plan of the prepared statement instead of planning it again on every batch (measured: about 0.4 ms of
 *   PostgreSQL CPU less per batch, half of a one-submission batch).
 * - The live-button check is a LATERAL probe by primary key per submission. Written as EXISTS, PostgreSQL may choose
 *   its hashed form in the generic plan (it expects 100 rows from jsonb_to_recordset) and then reads every button and
 *   form on each batch: with 2 000 buttons, 4 times the PostgreSQL CPU per submission and half the ingest rate.
 */
export const FIRST_STEPS_SQL = `WITH own AS (
    INSERT INTO feedback_rate (ip_hash, minute, shard, count)
    SELECT ip, date_trunc('minute', coalesce($6::timestamptz, now())), sh, n FROM jsonb_to_recordset($2::jsonb) AS x(ip text, sh smallint, n int) ORDER BY ip
    ON CONFLICT (ip_hash, minute, shard) DO UPDATE SET count = feedback_rate.count + EXCLUDED.count
    RETURNING ip_hash, shard, count
  ), rate AS (
    SELECT own.ip_hash, own.count - x.n + coalesce((SELECT sum(o.count) FROM feedback_rate o
       WHERE o.ip_hash = own.ip_hash AND o.minute = date_trunc('minute', coalesce($6::timestamptz, now())) AND o.shard <> own.shard), 0)
       + ${previousMinuteWeighted('own.ip_hash', 'coalesce($6::timestamptz, now())')} AS before
      FROM own JOIN jsonb_to_recordset($2::jsonb) AS x(ip text, n int) ON x.ip = own.ip_hash
  ), checked AS (
    SELECT i.*, r.before + i.rank AS rate_count, l.live IS NOT NULL AS live
      FROM jsonb_to_recordset($1::jsonb) AS i(nonce text, form_id bigint, form_version int, button_id bigint, procedure_id bigint,
                                              lang text, ip_hash text, rank int, lim int)
      JOIN rate r ON r.ip_hash = i.ip_hash
      LEFT JOIN LATERAL (SELECT true AS live FROM feedback_buttons b JOIN feedback_forms f ON f.id = b.form_id
                          WHERE b.id = i.button_id AND f.id = i.form_id AND f.published_version = i.form_version
                            AND b.closed_at IS NULL AND b.deleted_at IS NULL AND f.deleted_at IS NULL LIMIT 1) l ON true
  ), rv AS (
    INSERT INTO feedback_reviews (form_id, form_version, button_id, procedure_id, nonce, day, lang)
    SELECT form_id, form_version, button_id, procedure_id, nonce, (now() AT TIME ZONE 'Europe/Paris')::date, lang
      FROM checked WHERE live AND rate_count <= lim
    ON CONFLICT (nonce) DO NOTHING RETURNING id, day, nonce, form_id, button_id, procedure_id
  ), ans AS (
    INSERT INTO feedback_answers (day, review_id, question, sub, option_id)
    SELECT rv.day, rv.id, a.q, a.s, a.o FROM rv JOIN jsonb_to_recordset($3::jsonb) AS a(nonce text, q text, s text, o text) ON a.nonce = rv.nonce
  ), roll AS (
    INSERT INTO feedback_rollups (procedure_id, form_id, button_id, day, question, option_id, count, shard)
    SELECT rv.procedure_id, rv.form_id, rv.button_id, rv.day, d.q, d.o, sum(d.n), $5::smallint
      FROM rv JOIN jsonb_to_recordset($4::jsonb) AS d(nonce text, q text, o text, n bigint) ON d.nonce = rv.nonce
     GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 2, 4, 3, 5, 6
    ON CONFLICT (form_id, day, button_id, question, option_id, shard) DO UPDATE SET count = feedback_rollups.count + EXCLUDED.count
  )
  SELECT c.nonce, c.rate_count, c.live, rv.id, rv.day FROM checked c LEFT JOIN rv ON rv.nonce = c.nonce`;

/**
 * Several usual first steps in ONE statement (one round trip, one commit): for each address, its counter of the minute
 * goes up by its number of submissions in the batch (one row, the shard of its first submission); each submission's
 * count is the address's total before the batch plus its rank among that address's submissions of the batch, so a
 * batch counts exactly like the same submissions one after the other. Then the button is re-checked per submission,
 * the reviews accepted are created with their answers, and their rollups added once per key for the whole batch (one
 * shard per batch). Nonces must be distinct within a batch (the batcher keeps a repeated one for the next batch).
 */
export async function ingestFirstSteps(
  db: Queryable,
  steps: FirstStep[],
  rollupShard = Math.floor(Math.random() * ROLLUP_SHARDS),
  at: Date | null = null,
): Promise<FirstStepOutcome[]> {
  if (steps.length === 0) return [];
  const ranks: number[] = [];
  const byIp = new Map<string, { shard: number; n: number }>();
  for (const s of steps) {
    const entry = byIp.get(s.rate.ipHash) ?? { shard: s.rate.shard, n: 0 };
    entry.n++;
    byIp.set(s.rate.ipHash, entry);
    ranks.push(entry.n);
  }
  // Sorted, so that concurrent batches lock counter rows in the same order.
  const ips = [...byIp.keys()].sort().map((ip) => ({ ip, sh: byIp.get(ip)!.shard, n: byIp.get(ip)!.n }));
  const items = steps.map((s, i) => ({
    nonce: s.review.nonce,
    form_id: s.review.formId,
    form_version: s.review.formVersion,
    button_id: s.review.buttonId,
    procedure_id: s.review.procedureId,
    lang: s.review.lang,
    ip_hash: s.rate.ipHash,
    rank: ranks[i],
    lim: s.rate.limit,
  }));
  const answers = steps.flatMap((s) => s.answers.map((a) => ({ nonce: s.review.nonce, q: a.question, s: a.sub, o: a.optionId })));
  const deltas = steps.flatMap((s) => reviewDelta(s.answers).map(([q, o, n]) => ({ nonce: s.review.nonce, q, o, n })));
  const { rows } = await db.query<{ nonce: string; rate_count: number; live: boolean; id: number | null; day: string | null }>(
    FIRST_STEPS_SQL,
    [JSON.stringify(items), JSON.stringify(ips), JSON.stringify(answers), JSON.stringify(deltas), rollupShard, at],
    { name: 'feedback_first_steps' },
  );
  const byNonce = new Map(rows.map((r) => [r.nonce, r]));
  return steps.map((s) => {
    const r = byNonce.get(s.review.nonce)!;
    const created =
      r.id === null || r.id === undefined
        ? null
        : { id: Number(r.id), day: r.day!, formId: s.review.formId, buttonId: s.review.buttonId, procedureId: s.review.procedureId };
    return { rateCount: Number(r.rate_count), live: r.live, review: created };
  });
}
