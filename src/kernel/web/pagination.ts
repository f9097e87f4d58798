import { html, type SafeHtml } from './html.ts';

/**
 * DSFR pagination: first, previous, a window of pages around the current one, next, last. (The catalogue and the
 * accounts keep their own copies of this component for now; new pages use this one.)
 */
export function pagination(current: number, pages: number, href: (page: number) => string): SafeHtml {
  if (pages <= 1) return html``;
  const from = Math.max(1, current - 2);
  const to = Math.min(pages, current + 2);
  const numbers: number[] = [];
  for (let p = from; p <= to; p++) numbers.push(p);
  const edge = (page: number, enabled: boolean, cls: string, label: string) =>
    enabled
      ? html`<li><a class="fr-pagination__link ${cls}" href="${href(page)}">${label}</a></li>`
      : html`<li><a class="fr-pagination__link ${cls}" aria-disabled="true" role="link">${label}</a></li>`;
  return html`<nav role="navigation" class="fr-pagination" aria-label="Pagination">
  <ul class="fr-pagination__list">
    ${edge(1, current > 1, 'fr-pagination__link--first', 'Première page')}
    ${edge(current - 1, current > 1, 'fr-pagination__link--prev fr-pagination__link--lg-label', 'Page précédente')}
    ${numbers.map((p) =>
      p === current
        ? html`<li><a class="fr-pagination__link" aria-current="page" title="Page ${p}">${p}</a></li>`
        : html`<li><a class="fr-pagination__link" href="${href(p)}" title="Page ${p}">${p}</a></li>`,
    )}
    ${edge(current + 1, current < pages, 'fr-pagination__link--next fr-pagination__link--lg-label', 'Page suivante')}
    ${edge(pages, current < pages, 'fr-pagination__link--last', 'Dernière page')}
  </ul>
</nav>`;
}
