import { html, type SafeHtml } from './html.ts';

/**
 * The page number from a query value: 1 for anything that is not a small positive integer (a list never fails on a
 * bad `?page=`; it shows its first page).
 */
export function pageFrom(value: unknown): number {
  const page = Number(value);
  return Number.isSafeInteger(page) && page >= 1 && page <= 100000 ? page : 1;
}

/** Number of pages for `total` rows shown `perPage` at a time (at least 1). */
export function pageCount(total: number, perPage: number): number {
  return Math.max(1, Math.ceil(total / perPage));
}

/**
 * How far the list goes: `pages` when the total is known (first, previous, a window of two pages around the current
 * one with « … » over gaps, next, last), or `hasNext` when the list is read one row beyond the page and its total is
 * not counted (previous, current, next).
 */
export type PageExtent = { pages: number } | { hasNext: boolean };

/** The pages shown around `current`: always the first and the last, and two on each side of the current one. */
export function pageWindow(current: number, pages: number): number[] {
  return [...new Set([1, current - 2, current - 1, current, current + 1, current + 2, pages])]
    .filter((p) => p >= 1 && p <= pages)
    .sort((a, b) => a - b);
}

/** DSFR pagination; every page has its own URL, built by `href` (which keeps the list's filters). */
export function pagination(current: number, extent: PageExtent, href: (page: number) => string): SafeHtml {
  const known = 'pages' in extent;
  const last = known ? extent.pages : current + (extent.hasNext ? 1 : 0);
  if (last <= 1 && current <= 1) return html``;
  const hasNext = current < last;
  const link = (page: number, enabled: boolean, cls: string, label: string) =>
    enabled
      ? html`<li><a class="fr-pagination__link ${cls}" href="${href(page)}">${label}</a></li>`
      : html`<li><a class="fr-pagination__link ${cls}" aria-disabled="true" role="link">${label}</a></li>`;
  const numbers = known ? pageWindow(current, last) : [current];
  return html`<nav role="navigation" class="fr-pagination fr-mt-3w" aria-label="Pagination">
  <ul class="fr-pagination__list">
    ${known ? link(1, current > 1, 'fr-pagination__link--first', 'Première page') : ''}
    ${link(current - 1, current > 1, 'fr-pagination__link--prev fr-pagination__link--lg-label', 'Page précédente')}
    ${numbers.map(
      (p, i) =>
        html`${i > 0 && p - numbers[i - 1] > 1 ? html`<li><span class="fr-pagination__link" aria-hidden="true">…</span></li>` : ''}${
          p === current
            ? html`<li><a class="fr-pagination__link" aria-current="page" title="Page ${p}">${p}</a></li>`
            : html`<li><a class="fr-pagination__link" href="${href(p)}" title="Page ${p}">${p}</a></li>`
        }`,
    )}
    ${link(current + 1, hasNext, 'fr-pagination__link--next fr-pagination__link--lg-label', 'Page suivante')}
    ${known ? link(last, hasNext, 'fr-pagination__link--last', 'Dernière page') : ''}
  </ul>
</nav>`;
}
