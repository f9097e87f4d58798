import type { IndicatorSource } from '../../observatoire/index.ts';
import type { RawValue } from '../../observatoire/index.ts';
import type { CellMoments } from '../../observatoire/index.ts';
import { indicatorsBy, minimumReviews, SHARE_INDICATORS, type FeedbackIndicatorKey, type FeedbackIndicators } from './indicators.ts';

/** Raw values keep full precision (rounding is for display); four decimals remove float noise only. */
const raw = (v: number | null): RawValue => (v === null ? null : Math.round(v * 10_000) / 10_000);

/** The observatoire's values of one procedure from its feedback indicators; gray « avis insuffisants » below the minimum. */
export function observatoireValues(ind: FeedbackIndicators, minimum: number): Record<string, RawValue> {
  if (ind.reviews < minimum) {
    const gray = ind.reviews === 0 ? null : 'avis_insuffisants';
    return { satisfaction: gray, simplicity: gray, help_reachable: gray, help_efficient: gray, help_used: gray };
  }
  return {
    satisfaction: raw(ind.satisfaction),
    simplicity: raw(ind.clarity),
    help_reachable: raw(ind.helpReachable),
    help_efficient: raw(ind.helpEfficient),
    help_used: raw(ind.autonomy),
  };
}

const INDICATORS = ['satisfaction', 'simplicity', 'help_reachable', 'help_efficient', 'help_used'];

/** The observatoire's slug of each feedback indicator. */
const SLUGS: [FeedbackIndicatorKey, string][] = [
  ['satisfaction', 'satisfaction'],
  ['clarity', 'simplicity'],
  ['helpReachable', 'help_reachable'],
  ['helpEfficient', 'help_efficient'],
  ['autonomy', 'help_used'],
];

/** Moments of each feedback indicator for the observatoire's intervals and tests (from the same rollup counts). */
export function observatoireMoments(ind: FeedbackIndicators): Record<string, CellMoments> {
  return Object.fromEntries(
    SLUGS.map(([key, slug]) => [slug, { kind: SHARE_INDICATORS.includes(key) ? 'share' : 'mean', ...ind.moments[key] }]),
  );
}

/**
 * Feeds satisfaction, simplicity, help_reachable, help_efficient and help_used for an edition's feedback window.
 * Procedures without a feedback form in Vigie keep their stored (imported) values: the button is not everywhere yet.
 */
export const feedbackIndicatorSource: IndicatorSource = {
  name: 'feedback',
  indicators: INDICATORS,
  async valuesFor(db, procedureIds, window) {
    const { rows: withForm } = await db.query<{ procedure_id: number }>(
      `SELECT DISTINCT procedure_id FROM feedback_forms WHERE procedure_id = ANY($1::bigint[]) AND template = 'default' AND deleted_at IS NULL`,
      [procedureIds],
    );
    const measured = withForm.map((r) => Number(r.procedure_id));
    const measuredSet = new Set(measured);
    const others = procedureIds.filter((id) => !measuredSet.has(id));
    // One after the other: `db` may be a transaction, i.e. one connection, which must not run two queries at once.
    const indicators = await indicatorsBy(db, 'procedure', measured, window);
    const minimum = await minimumReviews(db);
    const stored = await db.query<{ procedure_id: number; indicator: string; value: RawValue }>(
      'SELECT procedure_id, indicator, value FROM obs_live_values WHERE procedure_id = ANY($1::bigint[]) AND indicator = ANY($2::text[])',
      [others, INDICATORS],
    );
    const result = new Map<number, Record<string, RawValue>>();
    for (const [id, ind] of indicators) result.set(id, observatoireValues(ind, minimum));
    for (const r of stored.rows) {
      const id = Number(r.procedure_id);
      result.set(id, { ...result.get(id), [r.indicator]: r.value });
    }
    return result;
  },
  async statisticsFor(db, procedureIds, window) {
    const indicators = await indicatorsBy(db, 'procedure', procedureIds, window);
    const result = new Map<number, Record<string, CellMoments>>();
    for (const [id, ind] of indicators) if (ind.reviews > 0) result.set(id, observatoireMoments(ind));
    return result;
  },
};
