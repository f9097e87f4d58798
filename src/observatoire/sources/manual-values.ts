import type { Queryable } from '../../kernel/db/db.ts';
import type { IndicatorDefinition } from '../rules/repository.ts';
import { registeredSources } from './source.ts';
import { toNumber } from '../rules/evaluate.ts';
import { matchCode } from '../../catalog/index.ts';
import { FRANCECONNECT_LABELS, ONLINE_STATUS_SHORT_LABELS, options } from '../../catalog/index.ts';

/** The indicators people always enter by hand (back-office form or file import). */
export const MANUAL_INDICATORS = ['online', 'dlnuf', 'usage', 'auth'] as const;
/** An indicator entered by hand: one of MANUAL_INDICATORS, or one whose measuring module is not live yet. */
export type ManualIndicator = string;

/** Indicators computed by a module that is running (a registered source: feedback today). */
export function liveIndicatorSlugs(): Set<string> {
  return new Set(registeredSources().flatMap((s) => s.indicators));
}

/**
 * The indicators that can be entered by hand, in display order: the manual ones, and every indicator whose source is
 * not live yet (« Disponibilité », « Temps de chargement », « Prise en compte du handicap » until the monitoring and
 * accessibility modules measure them). The latter are marked manual wherever they are shown.
 */
export function enterableIndicators(defs: IndicatorDefinition[]): IndicatorDefinition[] {
  const live = liveIndicatorSlugs();
  const fallback = manualFallbackSlugs();
  return defs.filter((d) => d.source === 'manual' || !live.has(d.slug) || fallback.has(d.slug));
}

/** Live indicators whose source still takes a value entered by hand where it measures nothing (sources' `manualFallback`). */
export function manualFallbackSlugs(): Set<string> {
  return new Set(registeredSources().flatMap((s) => s.manualFallback ?? []));
}

/** True when an indicator's values come from people, not from a running measurement. */
export function isEnteredByHand(def: Pick<IndicatorDefinition, 'slug' | 'source'>): boolean {
  return def.source === 'manual' || !liveIndicatorSlugs().has(def.slug);
}

/** « Not measured yet », a value every manual indicator accepts besides its own. */
const TO_COME = { value: 'a_venir', label: 'À venir' };

/** The choice lists of the manual indicators: the catalogue's vocabularies (it owns them), plus « À venir ». */
export const MANUAL_CHOICES: Partial<Record<ManualIndicator, { value: string; label: string }[]>> = {
  online: [...options(ONLINE_STATUS_SHORT_LABELS), TO_COME],
  auth: [...options(FRANCECONNECT_LABELS), TO_COME],
};

export function isManualIndicator(slug: string): boolean {
  return (MANUAL_INDICATORS as readonly string[]).includes(slug);
}

/**
 * Checks a value typed or imported for a manual indicator. Empty means « no value » (null).
 * Returns the stored form (numbers with a decimal point) or a French message.
 */
export function checkManualValue(
  indicator: ManualIndicator,
  text: string,
  unit?: IndicatorDefinition['unit'],
): { ok: true; value: string | null } | { ok: false; error: string } {
  const v = text.trim();
  if (v === '') return { ok: true, value: null };
  const choices = MANUAL_CHOICES[indicator];
  if (choices) {
    const found = choices.find((c) => matchCode(c.value) === matchCode(v) || matchCode(c.label) === matchCode(v));
    return found
      ? { ok: true, value: found.value }
      : { ok: false, error: `Valeur inconnue : choisissez parmi ${choices.map((c) => c.label).join(', ')}.` };
  }
  if (matchCode(v) === TO_COME.value || matchCode(v) === matchCode(TO_COME.label)) return { ok: true, value: TO_COME.value };
  if (unit === 'ms' && !isManualIndicator(indicator)) {
    // Loading time in milliseconds (« 350 », « 350 ms ») or seconds (« 0,35 s »).
    const seconds = /\s*s$/i.test(v) && !/ms$/i.test(v);
    const n = toNumber(v.replace(/\s*m?s$/i, '').trim());
    if (n === null || n < 0 || n > 600_000)
      return { ok: false, error: 'Un temps en millisecondes est attendu (par exemple 350, ou 0,35 s).' };
    return { ok: true, value: String(seconds ? Math.round(n * 1000) : n) };
  }
  if (indicator === 'dlnuf') {
    if (['non_applicable', 'non applicable'].includes(matchCode(v))) return { ok: true, value: 'non_applicable' };
    const n = toNumber(v);
    if (n === null || !Number.isInteger(n) || n < 0)
      return { ok: false, error: 'Un nombre entier positif ou nul est attendu (ou « non applicable »).' };
    return { ok: true, value: String(n) };
  }
  const n = toNumber(v.replace(/%$/, '').trim());
  if (n === null || n < 0 || n > 100) return { ok: false, error: 'Un pourcentage entre 0 et 100 est attendu (par exemple 62,5).' };
  return { ok: true, value: String(n) };
}

/** Writes (or clears, when null) manual values; the caller runs it in the transaction that also writes the audit log. */
export async function writeManualValues(
  db: Queryable,
  userId: number | null,
  values: { procedureId: number; indicator: ManualIndicator; value: string | null }[],
): Promise<void> {
  const set = values.filter((v) => v.value !== null);
  const cleared = values.filter((v) => v.value === null);
  if (set.length) {
    await db.query(
      `INSERT INTO obs_live_values (procedure_id, indicator, value, updated_by)
       SELECT unnest($1::bigint[]), unnest($2::text[]), unnest($3::text[]), $4
       ON CONFLICT (procedure_id, indicator) DO UPDATE SET value = excluded.value, updated_by = excluded.updated_by, updated_at = now()`,
      [set.map((v) => v.procedureId), set.map((v) => v.indicator), set.map((v) => v.value), userId],
    );
  }
  if (cleared.length) {
    await db.query(
      `DELETE FROM obs_live_values USING unnest($1::bigint[], $2::text[]) AS c(procedure_id, indicator)
        WHERE obs_live_values.procedure_id = c.procedure_id AND obs_live_values.indicator = c.indicator`,
      [cleared.map((v) => v.procedureId), cleared.map((v) => v.indicator)],
    );
  }
}
