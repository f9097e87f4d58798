import { html, type SafeHtml } from '../../kernel/web/html.ts';
import { pageCount, pagination } from '../../kernel/web/pagination.ts';
import type { IndicatorDefinition } from '../rules/repository.ts';
import { tableQueryString, type TableQuery } from '../table/filters.ts';
import type { TableRow } from '../table/query.ts';
import { cellContent } from './cells.ts';
import { helpControl } from './indicator-help.ts';
import type { CellStatistic } from '../statistics/edition-statistics.ts';

/** procedure id → indicator → statistic (interval, n, « incertain ») of the cells shown. */
export type TableStatistics = Map<number, Map<string, CellStatistic>>;

export { helpHref } from './indicator-help.ts';

function sortLink(base: string, q: TableQuery, column: string, columnLabel: string): SafeHtml {
  const active = q.sort === column;
  const next = active && q.order === 'asc' ? 'desc' : 'asc';
  const href = `${base}${tableQueryString(q, { sort: column, order: next, page: 1 })}`;
  return html`<a class="obs-sort fr-link fr-link--sm" href="${href}">${next === 'asc' ? 'Tri croissant' : 'Tri décroissant'}<span class="fr-sr-only"> par ${columnLabel}</span></a>`;
}

function ariaSort(q: TableQuery, column: string): SafeHtml {
  if (q.sort !== column) return html``;
  return html` aria-sort="${q.order === 'asc' ? 'ascending' : 'descending'}"`;
}

export function procedureHref(stableId: string): string {
  return `/observatoire/demarches/${encodeURIComponent(stableId)}`;
}

/**
 * The procedures × indicators table: caption, column and row headers, aria-sort and sort links that work without JS.
 * Each indicator header has a help link to the levels of `ruleVersion`; with `helpModals` the link opens the modal
 * rendered by `indicatorHelpModals` when JavaScript runs.
 */
export function resultsTable(o: {
  defs: IndicatorDefinition[];
  rows: TableRow[];
  query: TableQuery;
  base: string;
  caption: string;
  sortable?: boolean;
  ruleVersion?: number | null;
  helpModals?: boolean;
  stats?: TableStatistics;
}): SafeHtml {
  const sortable = o.sortable !== false;
  return html`<div class="fr-table fr-table--no-caption obs-table-wrap" id="tableau-observatoire">
  <table class="obs-table">
    <caption>${o.caption}</caption>
    <thead><tr>
      <th scope="col"${ariaSort(o.query, 'titre')}>Démarche${sortable ? sortLink(o.base, o.query, 'titre', 'démarche') : ''}</th>
      <th scope="col"${ariaSort(o.query, 'ministere')}>Ministère et administration${sortable ? sortLink(o.base, o.query, 'ministere', 'ministère') : ''}</th>
      ${o.defs.map(
        (d) => html`<th scope="col"${ariaSort(o.query, d.slug)}>${d.shortLabel}
        ${helpControl(d, o.ruleVersion ?? null, o.helpModals === true)}
        ${sortable ? sortLink(o.base, o.query, d.slug, d.label) : ''}</th>`,
      )}
    </tr></thead>
    <tbody>
      ${o.rows.map(
        (r) => html`<tr>
        <th scope="row"><a href="${procedureHref(r.procedure.stableId)}">${r.procedure.title}</a></th>
        <td>${r.procedure.ministryName}<br><span class="fr-text--sm">${r.procedure.administrationName}</span></td>
        ${o.defs.map((d) => html`<td>${cellContent(d, r.values[d.slug], o.stats?.get(r.procedure.procedureId)?.get(d.slug))}</td>`)}
      </tr>`,
      )}
    </tbody>
  </table>
</div>`;
}

/**
 * The same rows as cards, shown instead of the table on small screens. Each indicator's name carries the same help
 * control as the column header: a link to its help section, opening the page's one modal of that indicator when
 * `helpModals` (no modal per card).
 */
export function resultsCards(
  defs: IndicatorDefinition[],
  rows: TableRow[],
  o: { ruleVersion?: number | null; helpModals?: boolean; stats?: TableStatistics } = {},
): SafeHtml {
  return html`<ul class="obs-cards">
  ${rows.map(
    (r) => html`<li class="fr-card fr-mb-2w"><div class="fr-card__body"><div class="fr-card__content">
      <h3 class="fr-card__title"><a href="${procedureHref(r.procedure.stableId)}">${r.procedure.title}</a></h3>
      <p class="fr-card__desc">${r.procedure.ministryName} – ${r.procedure.administrationName}</p>
      <dl class="obs-card-values">
        ${defs.map((d) => html`<div><dt>${d.label}${helpControl(d, o.ruleVersion ?? null, o.helpModals === true)}</dt><dd>${cellContent(d, r.values[d.slug], o.stats?.get(r.procedure.procedureId)?.get(d.slug))}</dd></div>`)}
      </dl>
    </div></div></li>`,
  )}
</ul>`;
}

/** DSFR pagination; every page has its own URL (the view's query string plus the page number). */
export function tablePagination(base: string, q: TableQuery, total: number): SafeHtml {
  return pagination(q.page, { pages: pageCount(total, q.perPage) }, (page) => `${base}${tableQueryString(q, { page })}`);
}
