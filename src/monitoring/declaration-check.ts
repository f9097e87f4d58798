import type { HeldDeclaration } from '../accessibility/index.ts';

/** What a scan found on a page: the mention « Accessibilité : … conforme », the declared rate and date (scanner/findings.ts). */
export interface PageDeclaration {
  mention: 'non' | 'partiellement' | 'totalement' | null;
  rate: number | null;
  /** YYYY-MM-DD */
  date: string | null;
}

export interface DeclarationMismatch {
  field: 'statut' | 'taux' | 'date';
  page: string;
  held: string;
}

const MENTION_OF: Record<HeldDeclaration['label'], PageDeclaration['mention']> = {
  totalement_conforme: 'totalement',
  partiellement_conforme: 'partiellement',
  non_conforme: 'non',
};

const RATE = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 2 });
const rateText = (rate: number | null) => (rate === null ? 'aucun taux (rien d’applicable)' : `${RATE.format(rate)} %`);
const dateText = (day: string) => day.split('-').reverse().join('/');

/**
 * Where what a page says of its declaration differs from the declaration Vigie holds (published in the accessibility
 * module). Only what the page says is compared (a page without a rate has no rate mismatch):
 * - statut: the mention (non / partiellement / totalement conforme) differs from the published label;
 * - taux: the page's rate is neither the published rate (the integer shown) nor within one point of the exact rate
 *   (a page may write 75,4 % or 75 % for 75,43 %);
 * - date: the page's date is neither the day the declaration was established nor the day it was last updated.
 */
export function declarationMismatches(page: PageDeclaration, held: HeldDeclaration): DeclarationMismatch[] {
  const out: DeclarationMismatch[] = [];
  const heldMention = MENTION_OF[held.label];
  if (page.mention !== null && page.mention !== heldMention)
    out.push({ field: 'statut', page: `${page.mention} conforme`, held: `${heldMention} conforme` });
  if (page.rate !== null) {
    const same = page.rate === held.rate || (held.exactRate !== null && Math.abs(page.rate - held.exactRate) < 1);
    if (!same) out.push({ field: 'taux', page: rateText(page.rate), held: rateText(held.exactRate ?? held.rate) });
  }
  if (page.date !== null && page.date !== held.establishedOn && page.date !== held.updatedOn) {
    out.push({
      field: 'date',
      page: dateText(page.date),
      held:
        held.updatedOn !== held.establishedOn
          ? `${dateText(held.establishedOn)} (établie) ou ${dateText(held.updatedOn)} (mise à jour)`
          : dateText(held.establishedOn),
    });
  }
  return out;
}

/** « statut « partiellement conforme » sur la page, « totalement conforme » dans Vigie ; taux … » */
export function mismatchSentence(mismatches: DeclarationMismatch[]): string {
  return mismatches.map((m) => `${m.field} « ${m.page} » sur la page, « ${m.held} » dans Vigie`).join(' ; ');
}
