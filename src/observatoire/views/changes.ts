import { html, type SafeHtml } from '../../kernel/web/html.ts';
import { countOf, editionPhrase } from '../../kernel/web/format.ts';
import type { CellChange, CellSide, IndicatorChanges } from '../editions/changes.ts';
import type { IndicatorDefinition } from '../rules/repository.ts';
import { formatValue, levelBadge } from './cells.ts';
import { procedureHref } from './table.ts';

const one = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 });
const two = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 2 });
/** How many level changes are listed per indicator (the count says how many there are). */
const LISTED = 10;

function side(def: IndicatorDefinition, c: CellSide): SafeHtml {
  const value = formatValue(def.unit, c.raw);
  return html`${levelBadge(c)}${value ? html` ${value}` : ''}`;
}

/** « +1,2 », « −5,3 points », « +0,15 s »: a move in the indicator's unit. */
export function formatMove(unit: IndicatorDefinition['unit'], delta: number | null): string {
  if (delta === null) return '–';
  const sign = delta > 0 ? '+' : delta < 0 ? '−' : '';
  const abs = Math.abs(delta);
  switch (unit) {
    case 'percent':
      return `${sign}${one.format(abs)} point${abs >= 2 ? 's' : ''}`;
    case 'ms':
      return `${sign}${two.format(abs / 1000)} s`;
    default:
      return `${sign}${one.format(abs)}`;
  }
}

function changeRows(def: IndicatorDefinition, list: CellChange[]): SafeHtml {
  return html`${list.map(
    (c) => html`<tr><th scope="row"><a href="${procedureHref(c.procedure.stableId)}">${c.procedure.title}</a></th>
  <td>${side(def, c.before)}</td><td>${side(def, c.after)}</td><td>${formatMove(def.unit, c.delta)}</td><td>${c.before.label !== c.after.label || c.before.colour !== c.after.colour ? 'oui' : 'non'}</td></tr>`,
  )}`;
}

/**
 * What publishing would change against the previous edition: per indicator, how many procedures change level, then
 * those procedures (largest moves first) and the largest moves of the value, before the publication is confirmed.
 */
export function changesSection(defs: IndicatorDefinition[], changes: IndicatorChanges[], previousName: string | null): SafeHtml {
  if (previousName === null) {
    return html`<h2 id="changements">Changements par rapport à l’édition précédente</h2>
<p>Aucune édition n’a encore été publiée : c’est la première, il n’y a pas de changement à comparer.</p>`;
  }
  const byIndicator = new Map(changes.map((c) => [c.indicator, c]));
  const moving = defs.filter((d) => {
    const c = byIndicator.get(d.slug);
    return c && (c.levelChanges.length > 0 || c.largestMoves.length > 0);
  });
  return html`<h2 id="changements">Changements par rapport à l’${editionPhrase(previousName)}</h2>
<div class="fr-table"><table><caption>Démarches dont le niveau change, par indicateur</caption>
<thead><tr><th scope="col">Indicateur</th><th scope="col">Démarches dont le niveau change</th><th scope="col">Plus fort écart</th></tr></thead>
<tbody>${defs.map((d) => {
    const c = byIndicator.get(d.slug);
    const top = c?.largestMoves[0];
    return html`<tr><th scope="row">${d.label}</th><td>${c ? c.levelChanges.length : 0}</td><td>${top ? html`${formatMove(d.unit, top.delta)} (${top.procedure.title})` : '–'}</td></tr>`;
  })}</tbody></table></div>
${moving.map((d) => {
  const c = byIndicator.get(d.slug)!;
  const listed = c.levelChanges.slice(0, LISTED);
  const extra = c.largestMoves.filter((m) => !listed.includes(m));
  return html`<h3 class="fr-h5">${d.label}</h3>
<p>${c.levelChanges.length === 0 ? 'Aucune démarche ne change de niveau.' : `${countOf(c.levelChanges.length, 'démarche change', 'démarches changent')} de niveau${c.levelChanges.length > LISTED ? ` ; les ${LISTED} plus forts écarts sont listés` : ''}.`}</p>
<div class="fr-table fr-table--sm"><table><caption>${d.label} : démarches dont le niveau change et plus forts écarts</caption>
<thead><tr><th scope="col">Démarche</th><th scope="col">Édition précédente</th><th scope="col">Brouillon</th><th scope="col">Écart</th><th scope="col">Niveau changé</th></tr></thead>
<tbody>${changeRows(d, [...listed, ...extra])}</tbody></table></div>`;
})}`;
}
