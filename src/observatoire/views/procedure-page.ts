import { html, type SafeHtml } from '../../kernel/web/html.ts';
import { editionPhrase, formatDate } from '../../kernel/web/format.ts';
import type { HistoryPoint } from '../history/queries.ts';
import { toNumber } from '../rules/evaluate.ts';
import type { IndicatorDefinition } from '../rules/repository.ts';
import { cellContent, formatValue, goalText, MANUAL_LEGEND, manualMark } from './cells.ts';
import { lineChart } from './charts.ts';
import { STYLESHEET } from './edition-page.ts';
import { helpHref } from './table.ts';
import { changeBadge, intervalText, pValueText, uncertainBadge } from '../../kernel/stats/index.ts';
import type { CellStatistic, HistoryStatistics } from '../statistics/edition-statistics.ts';

export interface CatalogInfo {
  url: string | null;
  infoUrl: string | null;
  helpChannels: { kind?: string; label?: string; value?: string; hours?: string }[];
}

function range(def: IndicatorDefinition, values: number[]): { min: number; max: number } {
  if (def.unit === 'score10') return { min: 0, max: 10 };
  if (def.unit === 'percent') return { min: 0, max: 100 };
  return { min: 0, max: Math.max(1, ...values) };
}

const UNIT_TEXT: Record<string, string> = { score10: ' / 10', percent: ' %' };
const integer = new Intl.NumberFormat('fr-FR');

/** « 6,8 à 7,4 / 10 (412 réponses) », or « – » when the value has no known interval (imported, not measured). */
/** Indicators that are not samples: no interval, by nature (docs/statistics.md « Measures that are not samples »). */
const NOT_A_SAMPLE: Record<string, string> = {
  uptime: 'sans objet : mesure de temps, chaque minute est observée',
  handicap: 'sans objet : taux d’un audit sur tous ses critères applicables',
  usage: 'sans objet : compte de toutes les démarches',
  contacts: 'sans objet : compte de tous les contacts',
};

function intervalCell(def: IndicatorDefinition, s: CellStatistic | undefined): string {
  if (!s) return NOT_A_SAMPLE[def.slug] ?? '–';
  return `${intervalText(s, UNIT_TEXT[def.unit] ?? '')} (${integer.format(s.n)} réponse${s.n >= 2 ? 's' : ''})`;
}

function historyBlock(def: IndicatorDefinition, history: HistoryPoint[], stats: HistoryStatistics): SafeHtml {
  const points = history.map((p) => ({
    label: p.editionName,
    value: def.unit === 'category' ? null : toNumber(p.values[def.slug]?.raw ?? null),
  }));
  const numbers = points.map((p) => p.value).filter((v): v is number => v !== null);
  const chart = numbers.length
    ? lineChart(`courbe-${def.slug}`, `Évolution de « ${def.label} » d’une édition à l’autre`, points, range(def, numbers), (v) =>
        formatValue(def.unit, v),
      )
    : html``;
  return html`<section class="fr-mt-4w" aria-labelledby="historique-${def.slug}">
  <h3 id="historique-${def.slug}" class="fr-h5">${def.label}</h3>
  ${chart}
  <div class="fr-table fr-table--sm"><table>
    <caption>${def.label} : valeur et niveau à chaque édition</caption>
    <thead><tr><th scope="col">Édition</th><th scope="col">Valeur</th><th scope="col">Niveau</th><th scope="col">Objectif</th><th scope="col">Intervalle de confiance à 95 %</th><th scope="col">Depuis l’édition précédente</th></tr></thead>
    <tbody>${history.map((p) => {
      const c = p.values[def.slug];
      const corrected = p.corrected.includes(def.slug)
        ? html` <a class="fr-badge fr-badge--sm fr-badge--info" href="/observatoire/editions/${p.editionId}#titre-corrections">corrigée</a>`
        : '';
      const s = stats.cells.get(p.editionId)?.get(def.slug);
      const change = stats.changes.get(p.editionId)?.get(def.slug);
      return html`<tr><th scope="row">${p.editionName} (${p.period})</th><td>${c ? formatValue(def.unit, c.raw) || '–' : '–'}${manualMark(c)}${corrected}</td><td>${c?.label ?? '-'}${uncertainBadge(!!s?.uncertain)}</td><td>${goalText(c?.goal ?? null)}</td>
        <td>${intervalCell(def, s)}</td><td>${change ? html`${changeBadge(change.flag)} <span class="fr-text--xs">(${pValueText(change.pValue)})</span>` : '–'}</td></tr>`;
    })}</tbody>
  </table></div>
</section>`;
}

export function procedurePage(
  stableId: string,
  defs: IndicatorDefinition[],
  history: HistoryPoint[],
  catalog: CatalogInfo | null,
  publicStatsHref: string | null = null,
  experiencesHref: string | null = null,
  helpPageHref: string | null = null,
  stats: HistoryStatistics = { cells: new Map(), changes: new Map() },
): SafeHtml {
  const latest = history[history.length - 1];
  const latestStats = stats.cells.get(latest.editionId);
  return html`${STYLESHEET}
<h1>${latest.title}</h1>
<p class="fr-text--lead">Résultats de la démarche dans l’observatoire : dernière ${editionPhrase(latest.editionName)} (${latest.period}), publiée le ${formatDate(latest.publishedAt)}.</p>
${
  catalog
    ? html`<ul class="fr-btns-group fr-btns-group--inline-md">
  ${catalog.url ? html`<li><a class="fr-btn" href="${catalog.url}" rel="noopener">Faire la démarche en ligne</a></li>` : ''}
  ${catalog.infoUrl ? html`<li><a class="fr-btn fr-btn--secondary" href="${catalog.infoUrl}" rel="noopener">Informations sur la démarche</a></li>` : ''}
</ul>
${catalog.helpChannels.length ? html`<h2>Obtenir de l’aide</h2><ul>${catalog.helpChannels.map((h) => html`<li>${h.label || h.kind} : ${h.value}${h.hours ? ` (${h.hours})` : ''}</li>`)}</ul>` : ''}`
    : ''
}
<h2>Dernières valeurs</h2>
<div class="fr-table"><table>
  <caption>Valeur et niveau de chaque indicateur dans l’${editionPhrase(latest.editionName)}</caption>
  <thead><tr><th scope="col">Indicateur</th><th scope="col">Niveau et valeur</th><th scope="col">Objectif</th><th scope="col">Intervalle de confiance à 95 %</th></tr></thead>
  <tbody>${defs.map((d) => html`<tr><th scope="row"><a href="${helpHref(d.slug)}">${d.label}</a></th><td>${cellContent(d, latest.values[d.slug])}${uncertainBadge(!!latestStats?.get(d.slug)?.uncertain)}</td><td>${goalText(latest.values[d.slug]?.goal ?? null)}</td><td>${intervalCell(d, latestStats?.get(d.slug))}</td></tr>`)}</tbody>
</table></div>
<p class="fr-text--sm">L’intervalle de confiance dit à quel point une valeur est sûre compte tenu du nombre de réponses ; « incertain » : il chevauche un seuil de niveau.
Une évolution n’est dite « hausse significative » ou « baisse significative » que si un test le confirme (correction de Benjamini–Hochberg sur l’historique) ; sinon « stable ».
<a href="/aide/statistiques">Comprendre les intervalles et les tests</a>
${MANUAL_LEGEND}</p>
${publicStatsHref ? html`<p><a class="fr-link" href="${publicStatsHref}">Avis des usagers sur cette démarche : statistiques publiées par son équipe</a></p>` : ''}
${experiencesHref ? html`<p><a class="fr-link" href="${experiencesHref}">Témoignages des usagers et réponses de l’administration</a> · <a class="fr-link" href="${experiencesHref}/raconter">Raconter mon expérience</a></p>` : ''}
${helpPageHref ? html`<p><a class="fr-link" href="${helpPageHref}">Obtenir de l’aide : contacter l’administration, lieux d’aide près de chez vous</a></p>` : ''}
<h2 class="fr-mt-6w">Historique</h2>
<p>La démarche est suivie par son identifiant stable d’une édition à l’autre, même si son titre change.
Une valeur marquée « corrigée » a été modifiée après la publication : la correction et son motif sont publiés avec l’édition.
Données : <a href="/api/v1/procedures/${encodeURIComponent(stableId)}/history">historique au format JSON</a>.</p>
${defs.map((d) => historyBlock(d, history, stats))}`;
}
