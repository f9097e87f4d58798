import { html, type SafeHtml } from '../web/html.ts';
import { CHANGE_LABELS, type ChangeFlag } from './tests.ts';
import type { Estimate } from './intervals.ts';

const one = new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const integer = new Intl.NumberFormat('fr-FR');

/** « 6,2 à 7,4 » in the unit of the value (« / 10 » or « % »). */
export function intervalText(e: Pick<Estimate, 'lower' | 'upper'>, unit = ''): string {
  return `${one.format(e.lower)} à ${one.format(e.upper)}${unit}`;
}

/** The interval and the count beside a value: « IC 95 % : 6,2 à 7,4 · 120 réponses ». */
export function intervalNote(e: Estimate | null, unit = '', noun = 'réponse'): SafeHtml {
  if (!e) return html``;
  return html`<span class="vigie-ci fr-text--xs">IC 95 % : ${intervalText(e, unit)} · ${integer.format(e.n)} ${e.n >= 2 ? `${noun}s` : noun}</span>`;
}

/** The « incertain » badge beside a level whose interval straddles a threshold (text, not colour, carries it). */
export function uncertainBadge(uncertain: boolean): SafeHtml {
  return uncertain
    ? html` <span class="fr-badge fr-badge--sm fr-badge--no-icon" title="L’intervalle de confiance chevauche un seuil : le niveau n’est pas sûr">incertain</span>`
    : html``;
}

const FLAG_BADGE: Record<ChangeFlag, string> = { up: 'fr-badge--success', down: 'fr-badge--error', stable: '' };

/** « hausse significative », « baisse significative » or « stable » as a badge. */
export function changeBadge(flag: ChangeFlag | null): SafeHtml {
  if (!flag) return html`<span>non testé</span>`;
  return html`<span class="fr-badge fr-badge--sm fr-badge--no-icon ${FLAG_BADGE[flag]}">${CHANGE_LABELS[flag]}</span>`;
}

/** A p-value as shown: « p < 0,001 » or « p = 0,034 ». */
export function pValueText(p: number | null): string {
  if (p === null) return '–';
  if (p < 0.001) return 'p < 0,001';
  return `p = ${new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 3, minimumFractionDigits: 3 }).format(p)}`;
}
