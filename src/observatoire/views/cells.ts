import { html, type SafeHtml } from '../../kernel/web/html.ts';
import type { CellValue } from '../editions/compute.ts';
import { toNumber } from '../rules/evaluate.ts';
import type { Colour } from '../rules/model.ts';
import type { IndicatorDefinition } from '../rules/repository.ts';
import { intervalNote, uncertainBadge } from '../../kernel/stats/index.ts';
import type { CellStatistic } from '../statistics/edition-statistics.ts';

const one = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 });
const two = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 2 });

/** A raw value as shown on screen (French decimal comma, one decimal); categories show their level label only. */
export function formatValue(unit: IndicatorDefinition['unit'], raw: string | number | null): string {
  if (unit === 'category') return '';
  const n = toNumber(raw);
  if (n === null) return '';
  switch (unit) {
    case 'score10':
      return `${one.format(n)} / 10`;
    case 'percent':
      return `${one.format(n)} %`;
    case 'ms':
      return `${two.format(n / 1000)} s`;
    default:
      return one.format(n);
  }
}

const BADGE: Record<Colour, string> = {
  green: 'fr-badge--success',
  yellow: 'fr-badge--warning',
  red: 'fr-badge--error',
  blue: 'fr-badge--info',
  gray: '',
};

/** The level as a DSFR badge: its text carries the meaning, the colour only repeats it. */
export function levelBadge(cell: Pick<CellValue, 'label' | 'colour'>): SafeHtml {
  return html`<span class="fr-badge fr-badge--sm fr-badge--no-icon ${BADGE[cell.colour as Colour] ?? ''}">${cell.label}</span>`;
}

/**
 * The « saisie manuelle » mark of a cell whose value was entered by hand where its source measures nothing (no valid
 * accessibility declaration, no monitoring): visible text, explained by the legend under the table (`MANUAL_LEGEND`).
 */
export function manualMark(cell: Pick<CellValue, 'enteredByHand'> | undefined): SafeHtml {
  return cell?.enteredByHand ? html` <span class="fr-badge fr-badge--sm fr-badge--no-icon obs-manual">saisie manuelle</span>` : html``;
}

/** The legend of the mark, printed under every table that can show it. */
export const MANUAL_LEGEND = html`« saisie manuelle » : la valeur a été déclarée par l’administration (saisie ou import), faute de mesure par Vigie
(pas de déclaration d’accessibilité publiée, démarche non surveillée) ; elle n’est pas mesurée.`;

const UNIT_TEXT: Record<string, string> = { score10: ' / 10', percent: ' %' };

/**
 * One table cell's content: badge (unless informative) and the formatted value; with the cell's statistic (issue 15),
 * « incertain » beside the level when its interval straddles a threshold, and the 95 % interval with n under the value.
 */
export function cellContent(def: IndicatorDefinition, cell: CellValue | undefined, stat?: CellStatistic): SafeHtml {
  if (!cell) return html`<span class="fr-badge fr-badge--sm fr-badge--no-icon">-</span>`;
  const value = formatValue(def.unit, cell.raw);
  const interval = stat ? intervalNote(stat, UNIT_TEXT[def.unit] ?? '') : '';
  if (cell.label === 'Informatif') return html`<span>${value || '-'}</span>${manualMark(cell)}${interval}`;
  return html`${levelBadge(cell)}${uncertainBadge(!!stat?.uncertain)}${value ? html`<span class="obs-value">${value}</span>` : ''}${manualMark(cell)}${interval}`;
}

export function goalText(goal: boolean | null): string {
  return goal === null ? 'non mesuré' : goal ? 'objectif atteint' : 'objectif non atteint';
}
