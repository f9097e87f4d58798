import { html, type SafeHtml } from '../../kernel/web/html.ts';

export const PAGE_SIZE = 50;

/** The page number from a query string: 1 for anything that is not a small positive integer. */
export function pageFrom(query: unknown): number {
  const value = Number((query as Record<string, unknown> | undefined)?.page);
  return Number.isSafeInteger(value) && value >= 1 && value <= 100000 ? value : 1;
}

/** Previous/next links keeping the other filters of the page. */
export function pagination(basePath: string, params: Record<string, string>, page: number, hasNext: boolean): SafeHtml {
  if (page === 1 && !hasNext) return html``;
  const href = (p: number) => {
    const search = new URLSearchParams({ ...Object.fromEntries(Object.entries(params).filter(([, v]) => v)), page: String(p) });
    return `${basePath}?${search}`;
  };
  return html`<nav role="navigation" class="fr-pagination fr-mt-3w" aria-label="Pagination">
  <ul class="fr-pagination__list">
    <li>${page > 1 ? html`<a class="fr-pagination__link fr-pagination__link--prev fr-pagination__link--lg-label" href="${href(page - 1)}">Page précédente</a>` : html`<a class="fr-pagination__link fr-pagination__link--prev fr-pagination__link--lg-label" aria-disabled="true" role="link">Page précédente</a>`}</li>
    <li><a class="fr-pagination__link" aria-current="page" title="Page ${page}">${page}</a></li>
    <li>${hasNext ? html`<a class="fr-pagination__link fr-pagination__link--next fr-pagination__link--lg-label" href="${href(page + 1)}">Page suivante</a>` : html`<a class="fr-pagination__link fr-pagination__link--next fr-pagination__link--lg-label" aria-disabled="true" role="link">Page suivante</a>`}</li>
  </ul>
</nav>`;
}
