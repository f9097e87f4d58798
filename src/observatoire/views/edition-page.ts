import { html, type SafeHtml } from '../../kernel/web/html.ts';
import { countOf, editionPhrase, formatDate, formatInteger } from '../../kernel/web/format.ts';
import type { Edition } from '../editions/drafts.ts';
import type { Revision } from '../editions/correct.ts';
import type { IndicatorDefinition } from '../rules/repository.ts';
import { MAX_PER_PAGE, tableQueryString, type TableQuery } from '../table/filters.ts';
import type { FilterOptions } from '../table/options.ts';
import type { TableRow } from '../table/query.ts';
import { filterForm } from './filters.ts';
import { resultsCards, resultsTable, tablePagination, type TableStatistics } from './table.ts';
import { MANUAL_LEGEND } from './cells.ts';
import { revisionsSection } from './revisions.ts';
import { indicatorHelpModals } from './indicator-help.ts';
import type { RuleSet } from '../rules/model.ts';

export const STYLESHEET = html`<link rel="stylesheet" href="/assets/observatoire/observatoire.css">`;
/** Turns the column headers' help links into buttons opening the indicators' modals (progressive enhancement). */
export const HELP_MODAL_SCRIPT = '/assets/observatoire/help-modal.js';

export function observatoireLinks(): SafeHtml {
  return html`<ul class="fr-btns-group fr-btns-group--inline-md fr-btns-group--sm fr-mb-3w">
  <li><a class="fr-btn fr-btn--tertiary" href="/observatoire/editions">Éditions précédentes</a></li>
  <li><a class="fr-btn fr-btn--tertiary" href="/observatoire/comparaison">Comparer deux éditions</a></li>
  <li><a class="fr-btn fr-btn--tertiary" href="/observatoire/tableaux-de-bord">Tableaux de bord</a></li>
  <li><a class="fr-btn fr-btn--tertiary" href="/observatoire/aide">Aide et méthode</a></li>
</ul>`;
}

export interface EditionPageData {
  edition: Edition;
  isLatest: boolean;
  base: string;
  defs: IndicatorDefinition[];
  query: TableQuery;
  errors: Record<string, string>;
  options: FilterOptions;
  total: number;
  rows: TableRow[];
  revisions: Revision[];
  /** The rule set the edition was published with: the help modals show its levels. */
  rules: RuleSet;
  /** Interval, n and « incertain » of the page's measured cells (issue 15). */
  stats?: TableStatistics;
}

/**
 * The first visit shows one light page of the table; the whole table is one click away: every procedure on one page
 * when there are at most MAX_PER_PAGE, else the largest page (and the exports above hold every row).
 */
function fullTableLink(d: EditionPageData): SafeHtml {
  if (d.total <= d.query.perPage || d.query.perPage >= MAX_PER_PAGE) return html``;
  const href = `${d.base}${tableQueryString(d.query, { perPage: MAX_PER_PAGE, page: 1 })}#resultats`;
  const label =
    d.total <= MAX_PER_PAGE
      ? `Afficher les ${formatInteger(d.total)} démarches sur une seule page`
      : `Afficher ${MAX_PER_PAGE} démarches par page`;
  return html`<p class="fr-mt-2w"><a class="fr-link" href="${href}">${label}</a></p>`;
}

export function editionPage(d: EditionPageData): SafeHtml {
  const qs = tableQueryString(d.query, { page: 1, perPage: 50 });
  const exportQs = qs;
  const first = (d.query.page - 1) * d.query.perPage + 1;
  const caption = `Démarches de l’${editionPhrase(d.edition.name)} et niveau de chaque indicateur (${countOf(d.total, 'démarche')}${d.total > d.rows.length ? `, lignes ${first} à ${first + d.rows.length - 1}` : ''})`;
  return html`${STYLESHEET}
<h1>${d.isLatest ? 'Observatoire de la qualité des démarches en ligne' : `Observatoire : ${editionPhrase(d.edition.name)}`}</h1>
<p class="fr-text--lead">${d.edition.name} (${d.edition.period}), publiée le ${formatDate(d.edition.publishedAt)}.
Avis des usagers recueillis du ${formatDate(d.edition.windowStart)} au ${formatDate(d.edition.windowEnd)}.
Règles de niveaux : version ${d.edition.ruleVersion}.${d.revisions.length ? html` <a href="#titre-corrections">Cette édition a été corrigée (${d.revisions.length} révision${d.revisions.length > 1 ? 's' : ''}).</a>` : ''}</p>
${observatoireLinks()}
${filterForm({ action: d.base, query: d.query, options: d.options, defs: d.defs, errors: d.errors })}
<h2 id="resultats">Résultats</h2>
<p>${d.total === 0 ? 'Aucune démarche ne correspond à ces filtres.' : `${formatInteger(d.total)} démarche${d.total > 1 ? 's' : ''}.`}
Télécharger ces résultats :
<a class="fr-link" href="/observatoire/editions/${d.edition.id}/export.csv${exportQs}">CSV</a>,
<a class="fr-link" href="/observatoire/editions/${d.edition.id}/export.xlsx${exportQs}">tableur XLSX</a>,
<a class="fr-link" href="/observatoire/editions/${d.edition.id}/export.json${exportQs}">JSON</a>
(<a class="fr-link" href="/observatoire/aide/donnees">description des colonnes</a>).</p>
<p class="fr-text--sm">Sous chaque valeur mesurée à partir des avis : son intervalle de confiance à 95 % et le nombre de réponses ; « incertain » quand l’intervalle chevauche un seuil de niveau (<a class="fr-link" href="/aide/statistiques">comprendre les intervalles</a>).
${MANUAL_LEGEND}</p>
${d.rows.length ? html`${resultsTable({ defs: d.defs, rows: d.rows, query: d.query, base: d.base, caption, ruleVersion: d.rules.version, helpModals: true, stats: d.stats })}${resultsCards(d.defs, d.rows, { ruleVersion: d.rules.version, helpModals: true, stats: d.stats })}${indicatorHelpModals(d.defs, d.rules)}` : ''}
${tablePagination(d.base, d.query, d.total)}
${fullTableLink(d)}
${revisionsSection(d.revisions, d.defs)}`;
}
