import { escapeHtml, html, htmlText, raw, type SafeHtml } from './html.ts';

/**
 * The DSFR table whose column headers sort it on the server: each sortable header is a link to the same list sorted
 * by that column (the list's filters kept, back to page 1), so it works without JavaScript; the active column carries
 * `aria-sort` and a visible ▲/▼, and every link says in words what it does (« trier par ordre croissant »).
 */
export type SortOrder = 'asc' | 'desc';

export interface SortState<K extends string = string> {
  key: K;
  order: SortOrder;
}

export interface SortableColumn<R, K extends string = string> {
  /** Header text. */
  label: string;
  /** Sorts the table when set: the key the list's URL carries (`?tri=…`). */
  sortKey?: K;
  /** The cell of one row (for the first column, inside `<th scope="row">` when `rowHeader`). */
  cell: (row: R) => SafeHtml | string | number;
  /** `class` of the cell. */
  cellClass?: string;
}

export interface SortableTableOptions<R, K extends string = string> {
  caption: SafeHtml | string;
  columns: SortableColumn<R, K>[];
  rows: readonly R[];
  sort: SortState<K>;
  /** The URL of the list sorted by `key` in `order`, its filters kept and back to its first page. */
  href: (key: K, order: SortOrder) => string;
  /** The first order when a column becomes the sort (default ascending; figures usually start descending). */
  firstOrder?: (key: K) => SortOrder;
  /** The first column holds the row's header (`<th scope="row">`). */
  rowHeader?: boolean;
  /** Classes of the `fr-table` wrapper, besides `fr-table` (e.g. `fr-table--no-caption vigie-table-scroll`). */
  wrapperClass?: string;
}

/** A sortable column header: a link to the list sorted by this column, `aria-sort` when it is the active one. */
export function sortHeader<K extends string>(
  label: string,
  key: K,
  sort: SortState<K>,
  href: (key: K, order: SortOrder) => string,
  firstOrder: SortOrder = 'asc',
): SafeHtml {
  const active = sort.key === key;
  const next: SortOrder = active ? (sort.order === 'asc' ? 'desc' : 'asc') : firstOrder;
  const state = active ? (sort.order === 'asc' ? 'croissant' : 'décroissant') : '';
  return html`<th scope="col"${active ? html` aria-sort="${sort.order === 'asc' ? 'ascending' : 'descending'}"` : ''}>
    <a href="${href(key, next)}">${label}${active ? html`<span aria-hidden="true"> ${sort.order === 'asc' ? '▲' : '▼'}</span>` : ''}<span class="fr-sr-only">${state ? ` (trié par ordre ${state}), ` : ', '}trier par ordre ${next === 'asc' ? 'croissant' : 'décroissant'}</span></a>
  </th>`;
}

/**
 * The whole table: caption, headers (sortable ones as links), one row per item. The rows are built as one string (the
 * cell's tags once per column, each cell's value escaped as `html` does): a `html` template per cell made a 50-row
 * catalogue page 50 % slower to render than its hand-written table (bench/per-request.ts, docs/performance.md).
 */
export function sortableTable<R, K extends string = string>(o: SortableTableOptions<R, K>): SafeHtml {
  const header = (c: SortableColumn<R, K>) =>
    c.sortKey !== undefined
      ? sortHeader(c.label, c.sortKey, o.sort, o.href, o.firstOrder?.(c.sortKey) ?? 'asc')
      : html`<th scope="col">${c.label}</th>`;
  const opening = o.columns.map((c, i) => {
    const tag = i === 0 && o.rowHeader ? 'th scope="row"' : 'td';
    return `<${tag}${c.cellClass ? ` class="${escapeHtml(c.cellClass)}"` : ''}>`;
  });
  const closing = o.columns.map((_, i) => (i === 0 && o.rowHeader ? '</th>' : '</td>'));
  let body = '';
  for (const row of o.rows) {
    body += '<tr>\n      ';
    for (let i = 0; i < o.columns.length; i++) body += opening[i] + htmlText(o.columns[i].cell(row)) + closing[i];
    body += '\n    </tr>';
  }
  return html`<div class="fr-table${o.wrapperClass ? ` ${o.wrapperClass}` : ''}"><table>
  <caption>${o.caption}</caption>
  <thead><tr>
    ${o.columns.map(header)}
  </tr></thead>
  <tbody>
    ${raw(body)}
  </tbody>
</table></div>`;
}
