import { html, type SafeHtml } from '../../kernel/web/html.ts';
import { formatDateTime } from '../../kernel/web/format.ts';
import type { Revision } from '../editions/correct.ts';
import type { IndicatorDefinition } from '../rules/repository.ts';

/** The corrections of a published edition, public: who, when, why and each cell's before/after. */
export function revisionsSection(revisions: Revision[], defs: IndicatorDefinition[]): SafeHtml {
  if (revisions.length === 0) return html``;
  const label = new Map(defs.map((d) => [d.slug, d.label]));
  return html`<section class="fr-mt-6w" aria-labelledby="titre-corrections">
  <h2 id="titre-corrections">Corrections de cette édition</h2>
  ${revisions.map(
    (r) => html`<h3 class="fr-h6">Révision ${r.number} du ${formatDateTime(r.createdAt)}, par ${r.author}</h3>
    <p>Motif : ${r.reason}</p>
    <div class="fr-table"><table>
      <caption>Cellules modifiées par la révision ${r.number}</caption>
      <thead><tr><th scope="col">Démarche</th><th scope="col">Indicateur</th><th scope="col">Avant</th><th scope="col">Après</th></tr></thead>
      <tbody>${r.diff.map(
        (d) => html`<tr><th scope="row">${d.title ?? `Démarche ${d.procedureId}`}</th><td>${label.get(d.indicator) ?? d.indicator}</td>
          <td>${d.before.label}${d.before.raw !== null ? ` (${d.before.raw})` : ''}</td><td>${d.after.label}${d.after.raw !== null ? ` (${d.after.raw})` : ''}</td></tr>`,
      )}</tbody>
    </table></div>`,
  )}
</section>`;
}
