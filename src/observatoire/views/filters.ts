import { html, type SafeHtml } from '../../kernel/web/html.ts';
import { input, select } from '../../kernel/web/forms.ts';
import { COLOURS, COLOUR_LABELS } from '../rules/model.ts';
import { ONLINE_STATUS_SHORT_LABELS, USER_CATEGORY_LABELS, options } from '../../catalog/index.ts';
import type { IndicatorDefinition } from '../rules/repository.ts';
import type { TableQuery } from '../table/filters.ts';
import type { FilterOptions } from '../table/options.ts';

/** The filters of the table: a GET form, so every view is a plain shareable URL (no JavaScript needed). */
export function filterForm(o: {
  action: string;
  query: TableQuery;
  options: FilterOptions;
  defs: IndicatorDefinition[];
  errors: Record<string, string>;
}): SafeHtml {
  const q = o.query;
  const messages = Object.values(o.errors);
  return html`${messages.length ? html`<div class="fr-alert fr-alert--error fr-mb-3w" role="alert"><h2 class="fr-alert__title">Cette adresse contient des paramètres invalides</h2><ul>${messages.map((m) => html`<li>${m}</li>`)}</ul><p>Les paramètres invalides sont ignorés.</p></div>` : ''}
<form method="get" action="${o.action}" class="fr-mb-4w" aria-labelledby="titre-filtres">
  <h2 class="fr-h5" id="titre-filtres">Filtrer les démarches</h2>
  <div class="fr-grid-row fr-grid-row--gutters">
    <div class="fr-col-12 fr-col-md-4">${input({ name: 'q', label: 'Rechercher une démarche', type: 'search', value: q.q, hint: 'Les accents et majuscules sont ignorés.', error: o.errors.q })}</div>
    <div class="fr-col-12 fr-col-md-4">${select({ name: 'ministere', label: 'Ministère', placeholder: 'Tous les ministères', value: q.ministry ? String(q.ministry) : '', options: o.options.ministries.map((m) => ({ value: String(m.id), label: m.name })), error: o.errors.ministere })}</div>
    <div class="fr-col-12 fr-col-md-4">${select({ name: 'administration', label: 'Administration', placeholder: 'Toutes les administrations', value: q.administration ? String(q.administration) : '', options: o.options.administrations.map((a) => ({ value: String(a.id), label: `${a.name} (${a.ministryName})` })), error: o.errors.administration })}</div>
    <div class="fr-col-12 fr-col-md-3">${select({ name: 'categorie', label: "Catégorie d'usagers", placeholder: 'Toutes', value: q.category ?? '', options: options(USER_CATEGORY_LABELS), error: o.errors.categorie })}</div>
    <div class="fr-col-12 fr-col-md-3">${select({ name: 'en_ligne', label: 'Réalisable en ligne', placeholder: 'Tous les statuts', value: q.online ?? '', options: options(ONLINE_STATUS_SHORT_LABELS), error: o.errors.en_ligne })}</div>
    <div class="fr-col-12 fr-col-md-3">${select({ name: 'indicateur', label: 'Niveau de l’indicateur', placeholder: 'Aucun', value: q.indicator ?? '', options: o.defs.map((d) => ({ value: d.slug, label: d.label })), error: o.errors.indicateur })}</div>
    <div class="fr-col-12 fr-col-md-3">${select({ name: 'niveau', label: 'Niveau', placeholder: 'Tous les niveaux', value: q.level ?? '', options: COLOURS.map((c) => ({ value: c, label: COLOUR_LABELS[c] })), error: o.errors.niveau })}</div>
  </div>
  ${q.sort !== 'titre' ? html`<input type="hidden" name="tri" value="${q.sort}">` : ''}
  ${q.order !== 'asc' ? html`<input type="hidden" name="ordre" value="${q.order}">` : ''}
  <ul class="fr-btns-group fr-btns-group--inline-md fr-mt-2w">
    <li><button type="submit" class="fr-btn">Filtrer</button></li>
    <li><a class="fr-btn fr-btn--secondary" href="${o.action}">Effacer les filtres</a></li>
  </ul>
</form>`;
}
