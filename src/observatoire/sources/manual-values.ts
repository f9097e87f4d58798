import type { Queryable } from '../../kernel/db/db.ts';
import { toNumber } from '../rules/evaluate.ts';

/** The indicators people enter by hand (back-office form or file import). */
export const MANUAL_INDICATORS = ['online', 'dlnuf', 'usage', 'auth'] as const;
export type ManualIndicator = (typeof MANUAL_INDICATORS)[number];

export const MANUAL_CHOICES: Partial<Record<ManualIndicator, { value: string; label: string }[]>> = {
  online: [
    { value: 'oui', label: 'Oui' },
    { value: 'partiel', label: 'Partiel' },
    { value: 'non', label: 'Non' },
    { value: 'en_cours', label: 'En cours de déploiement local' },
    { value: 'proactive', label: 'Démarche proactive' },
    { value: 'a_venir', label: 'À venir' },
  ],
  auth: [
    { value: 'franceconnect', label: 'FranceConnect' },
    { value: 'franceconnect_plus', label: 'FranceConnect+' },
    { value: 'non', label: 'Non' },
    { value: 'non_applicable', label: 'Non applicable' },
    { value: 'a_venir', label: 'À venir' },
  ],
};

export function isManualIndicator(slug: string): slug is ManualIndicator {
  return (MANUAL_INDICATORS as readonly string[]).includes(slug);
}

/**
 * Checks a value typed or imported for a manual indicator. Empty means « no value » (null).
 * Returns the stored form (numbers with a decimal point) or a French message.
 */
export function checkManualValue(indicator: ManualIndicator, text: string): { ok: true; value: string | null } | { ok: false; error: string } {
  const v = text.trim();
  if (v === '') return { ok: true, value: null };
  const choices = MANUAL_CHOICES[indicator];
  if (choices) {
    const found = choices.find((c) => c.value === v || c.label.toLowerCase() === v.toLowerCase());
    return found ? { ok: true, value: found.value } : { ok: false, error: `Valeur inconnue : choisissez parmi ${choices.map((c) => c.label).join(', ')}.` };
  }
  if (v === 'a_venir' || v.toLowerCase() === 'à venir') return { ok: true, value: 'a_venir' };
  if (indicator === 'dlnuf') {
    if (v === 'non_applicable' || v.toLowerCase() === 'non applicable') return { ok: true, value: 'non_applicable' };
    const n = toNumber(v);
    if (n === null || !Number.isInteger(n) || n < 0) return { ok: false, error: 'Un nombre entier positif ou nul est attendu (ou « non applicable »).' };
    return { ok: true, value: String(n) };
  }
  const n = toNumber(v.replace(/%$/, '').trim());
  if (n === null || n < 0 || n > 100) return { ok: false, error: 'Un pourcentage entre 0 et 100 est attendu (par exemple 62,5).' };
  return { ok: true, value: String(n) };
}

/** Writes (or clears, when null) manual values; the caller runs it in the transaction that also writes the audit log. */
export async function writeManualValues(db: Queryable, userId: number | null, values: { procedureId: number; indicator: ManualIndicator; value: string | null }[]): Promise<void> {
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
