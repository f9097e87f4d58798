import { html, type SafeHtml } from '../../kernel/web/html.ts';
import { formatInteger } from '../../kernel/web/format.ts';
import { filtersQuery, type CatalogFilters } from '../filters.ts';
import { PAGE_SIZE, type ProcedureListRow } from '../queries/procedures.ts';
import { ONLINE_STATUS_LABELS, USER_CATEGORY_LABELS, options } from '../model.ts';
import { pageCount, pagination } from '../../kernel/web/pagination.ts';
import { sortableTable } from '../../kernel/web/sortable-table.ts';

export interface ListContext {
  filters: CatalogFilters;
  rows: ProcedureListRow[];
  total: number;
  ministries: { code: string; name: string }[];
  administrations: { code: string; name: string }[];
  canCreate: boolean;
  notice?: string;
}

const SORT_LABELS: Record<CatalogFilters['sort'], string> = {
  titre: 'Intitulé',
  administration: 'Administration',
  volume: 'Volume annuel',
  statut: 'Statut en ligne',
};

function selectFilter(
  id: string,
  name: string,
  label: string,
  value: string,
  choices: { value: string; label: string }[],
  all: string,
): SafeHtml {
  return html`<div class="fr-select-group">
    <label class="fr-label" for="${id}">${label}</label>
    <select class="fr-select" id="${id}" name="${name}">
      <option value="">${all}</option>
      ${choices.map((c) => html`<option value="${c.value}"${c.value === value ? html` selected` : ''}>${c.label}</option>`)}
    </select>
  </div>`;
}

export function procedureListPage(ctx: ListContext): SafeHtml {
  const { filters, rows, total } = ctx;
  const pages = pageCount(total, PAGE_SIZE);
  const exportQuery = filtersQuery({ ...filters, page: 1 });
  return html`<h1>Catalogue des démarches</h1>
<ul class="fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left">
  ${
    ctx.canCreate
      ? html`<li><a class="fr-btn fr-icon-add-line" href="/catalogue/demarches/nouvelle">Ajouter une démarche</a></li>
  <li><a class="fr-btn fr-btn--secondary fr-icon-upload-line" href="/catalogue/import">Importer un fichier</a></li>`
      : ''
  }
  <li><a class="fr-btn fr-btn--tertiary fr-icon-download-line" href="/catalogue/export.csv${exportQuery}">Exporter en CSV</a></li>
  <li><a class="fr-btn fr-btn--tertiary fr-icon-download-line" href="/catalogue/export.xlsx${exportQuery}">Exporter en XLSX</a></li>
</ul>
<p class="fr-text--sm"><a class="fr-link" href="/catalogue/ministeres">Ministères</a> · <a class="fr-link" href="/catalogue/administrations">Administrations</a></p>
<form method="get" action="/catalogue" class="fr-mb-4w" role="search" aria-label="Rechercher et filtrer les démarches">
  <div class="fr-grid-row fr-grid-row--gutters">
    <div class="fr-col-12 fr-col-md-6">
      <div class="fr-input-group">
        <label class="fr-label" for="filtre-q">Rechercher<span class="fr-hint-text">Dans l’intitulé ou l’identifiant, sans tenir compte des accents</span></label>
        <input class="fr-input" type="search" id="filtre-q" name="q" value="${filters.q}">
      </div>
    </div>
    <div class="fr-col-12 fr-col-md-3">${selectFilter(
      'filtre-ministere',
      'ministere',
      'Ministère',
      filters.ministere,
      ctx.ministries.map((m) => ({ value: m.code, label: m.name })),
      'Tous les ministères',
    )}</div>
    <div class="fr-col-12 fr-col-md-3">${selectFilter(
      'filtre-administration',
      'administration',
      'Administration',
      filters.administration,
      ctx.administrations.map((a) => ({ value: a.code, label: a.name })),
      'Toutes les administrations',
    )}</div>
    <div class="fr-col-12 fr-col-md-3">${selectFilter('filtre-public', 'public', 'Public', filters.public, options(USER_CATEGORY_LABELS), 'Tous les publics')}</div>
    <div class="fr-col-12 fr-col-md-3">${selectFilter('filtre-statut', 'statut', 'Statut en ligne', filters.statut, options(ONLINE_STATUS_LABELS), 'Tous les statuts')}</div>
    <div class="fr-col-12 fr-col-md-3">${selectFilter(
      'filtre-top250',
      'top250',
      'Top 250',
      filters.top250,
      [
        { value: 'oui', label: 'Dans le Top 250' },
        { value: 'non', label: 'Hors Top 250' },
      ],
      'Toutes',
    )}</div>
    <div class="fr-col-12 fr-col-md-3">${selectFilter(
      'filtre-archives',
      'archives',
      'Démarches archivées',
      filters.archives,
      [
        { value: 'inclus', label: 'Inclure les archivées' },
        { value: 'seulement', label: 'Seulement les archivées' },
      ],
      'Masquer les archivées',
    )}</div>
  </div>
  <input type="hidden" name="tri" value="${filters.sort}">
  <input type="hidden" name="ordre" value="${filters.ordre}">
  <ul class="fr-btns-group fr-btns-group--inline-md">
    <li><button type="submit" class="fr-btn">Appliquer</button></li>
    <li><a class="fr-btn fr-btn--secondary" href="/catalogue">Réinitialiser</a></li>
  </ul>
</form>
<p role="status" id="nombre-resultats">${total === 0 ? 'Aucune démarche ne correspond.' : total === 1 ? '1 démarche' : `${formatInteger(total)} démarches`}${pages > 1 ? ` — page ${filters.page} sur ${pages}` : ''}</p>
${
  rows.length
    ? html`${sortableTable<ProcedureListRow, CatalogFilters['sort']>({
        caption: html`Démarches du catalogue${filters.q ? ` correspondant à « ${filters.q} »` : ''}`,
        wrapperClass: 'fr-table--no-caption vigie-table-scroll',
        sort: { key: filters.sort, order: filters.ordre },
        href: (sort, ordre) => `/catalogue${filtersQuery(filters, { sort, ordre, page: 1 })}`,
        firstOrder: (sort) => (sort === 'volume' ? 'desc' : 'asc'),
        rows,
        columns: [
          {
            label: SORT_LABELS.titre,
            sortKey: 'titre',
            cell: (r) =>
              html`<a href="/catalogue/demarches/${r.id}">${r.title}</a>${r.archived_at ? html` <p class="fr-badge fr-badge--sm">Archivée</p>` : ''}`,
          },
          { label: SORT_LABELS.administration, sortKey: 'administration', cell: (r) => r.administration_name },
          { label: 'Identifiant', cell: (r) => html`<code>${r.stable_id}</code>` },
          { label: SORT_LABELS.volume, sortKey: 'volume', cell: (r) => formatInteger(r.volume_total), cellClass: 'vigie-nowrap' },
          { label: SORT_LABELS.statut, sortKey: 'statut', cell: (r) => ONLINE_STATUS_LABELS[r.online_status] },
          { label: 'Top 250', cell: (r) => (r.in_scope ? 'Oui' : 'Non') },
        ],
      })}
${pagination(filters.page, { pages }, (page) => `/catalogue${filtersQuery(filters, { page })}`)}`
    : ''
}`;
}
