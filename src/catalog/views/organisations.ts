import { html, type SafeHtml } from '../../kernel/web/html.ts';
import { formatInteger } from '../../kernel/web/format.ts';
import { csrfField, errorSummary, input, select, type FieldErrors } from '../../kernel/web/forms.ts';
import type { AdministrationRow, MinistryRow } from '../queries/organisations.ts';
import { ADMINISTRATION_KIND_LABELS, options } from '../model.ts';

export function ministriesPage(rows: MinistryRow[], o: { canManage: boolean; csrfToken: string }): SafeHtml {
  return html`<h1>Ministères</h1>
${o.canManage ? html`<ul class="fr-btns-group fr-btns-group--inline-md"><li><a class="fr-btn fr-icon-add-line fr-btn--icon-left" href="/catalogue/ministeres/nouveau">Ajouter un ministère</a></li></ul>` : ''}
<div class="fr-table vigie-table-scroll"><table>
  <caption>Ministères du catalogue</caption>
  <thead><tr><th scope="col">Ministère</th><th scope="col">Code</th><th scope="col">Nom court</th><th scope="col">Administrations</th><th scope="col">Démarches actives</th>${o.canManage ? html`<th scope="col">Actions</th>` : ''}</tr></thead>
  <tbody>${rows.map(
    (m) => html`<tr>
    <td><a href="/catalogue?ministere=${encodeURIComponent(m.code)}">${m.name}</a>${m.archived_at ? html` <p class="fr-badge fr-badge--sm">Archivé</p>` : ''}</td>
    <td><code>${m.code}</code></td><td>${m.short_name ?? ''}</td>
    <td>${formatInteger(m.administrations)}</td><td>${formatInteger(m.procedures)}</td>
    ${
      o.canManage
        ? html`<td><a class="fr-link" href="/catalogue/ministeres/${m.id}/modifier">Modifier<span class="fr-sr-only"> ${m.name}</span></a>
        <form method="post" action="/catalogue/ministeres/${m.id}/${m.archived_at ? 'restaurer' : 'archiver'}" class="vigie-inline-form">${csrfField(o.csrfToken)}
        <button type="submit" class="fr-btn fr-btn--sm fr-btn--tertiary-no-outline">${m.archived_at ? 'Restaurer' : 'Archiver'}<span class="fr-sr-only"> ${m.name}</span></button></form></td>`
        : ''
    }
  </tr>`,
  )}</tbody>
</table></div>`;
}

export interface MinistryFormValues {
  code?: string;
  name?: string;
  short_name?: string;
}

export function ministryFormPage(o: {
  title: string;
  action: string;
  values: MinistryFormValues;
  errors: FieldErrors;
  csrfToken: string;
}): SafeHtml {
  return html`<h1>${o.title}</h1>
${errorSummary(o.errors, { code: 'Code', name: 'Nom', short_name: 'Nom court' })}
<form method="post" action="${o.action}" novalidate>
  ${csrfField(o.csrfToken)}
  ${input({ name: 'name', label: 'Nom', value: o.values.name, error: o.errors.name, required: true, hint: 'Par exemple Ministère de l’Intérieur' })}
  ${input({ name: 'short_name', label: 'Nom court', value: o.values.short_name, error: o.errors.short_name, hint: 'Par exemple Intérieur' })}
  ${input({ name: 'code', label: 'Code', value: o.values.code, error: o.errors.code, required: true, hint: 'Minuscules, chiffres et tirets, utilisé dans les imports et les filtres (par exemple interieur)' })}
  <ul class="fr-btns-group fr-btns-group--inline-md">
    <li><button type="submit" class="fr-btn">Enregistrer</button></li>
    <li><a class="fr-btn fr-btn--secondary" href="/catalogue/ministeres">Annuler</a></li>
  </ul>
</form>`;
}

export function administrationsPage(
  rows: AdministrationRow[],
  o: { canManage: (row: AdministrationRow) => boolean; canCreate: boolean; csrfToken: string },
): SafeHtml {
  const anyAction = rows.some(o.canManage);
  return html`<h1>Administrations</h1>
${o.canCreate ? html`<ul class="fr-btns-group fr-btns-group--inline-md"><li><a class="fr-btn fr-icon-add-line fr-btn--icon-left" href="/catalogue/administrations/nouvelle">Ajouter une administration</a></li></ul>` : ''}
<div class="fr-table vigie-table-scroll"><table>
  <caption>Administrations (directions et opérateurs) du catalogue</caption>
  <thead><tr><th scope="col">Administration</th><th scope="col">Code</th><th scope="col">Type</th><th scope="col">Ministère</th><th scope="col">Démarches actives</th>${anyAction ? html`<th scope="col">Actions</th>` : ''}</tr></thead>
  <tbody>${rows.map(
    (a) => html`<tr>
    <td><a href="/catalogue?administration=${encodeURIComponent(a.code)}">${a.name}</a>${a.archived_at ? html` <p class="fr-badge fr-badge--sm">Archivée</p>` : ''}</td>
    <td><code>${a.code}</code></td><td>${ADMINISTRATION_KIND_LABELS[a.kind]}</td><td>${a.ministry_name}</td><td>${formatInteger(a.procedures)}</td>
    ${
      anyAction
        ? html`<td>${
            o.canManage(a)
              ? html`<a class="fr-link" href="/catalogue/administrations/${a.id}/modifier">Modifier<span class="fr-sr-only"> ${a.name}</span></a>
        <form method="post" action="/catalogue/administrations/${a.id}/${a.archived_at ? 'restaurer' : 'archiver'}" class="vigie-inline-form">${csrfField(o.csrfToken)}
        <button type="submit" class="fr-btn fr-btn--sm fr-btn--tertiary-no-outline">${a.archived_at ? 'Restaurer' : 'Archiver'}<span class="fr-sr-only"> ${a.name}</span></button></form>`
              : ''
          }</td>`
        : ''
    }
  </tr>`,
  )}</tbody>
</table></div>`;
}

export interface AdministrationFormValues {
  code?: string;
  name?: string;
  kind?: string;
  ministry_id?: string;
}

export function administrationFormPage(o: {
  title: string;
  action: string;
  values: AdministrationFormValues;
  errors: FieldErrors;
  ministries: { id: number; name: string }[];
  csrfToken: string;
}): SafeHtml {
  return html`<h1>${o.title}</h1>
${errorSummary(o.errors, { code: 'Code', name: 'Nom', kind: 'Type', ministry_id: 'Ministère' })}
<form method="post" action="${o.action}" novalidate>
  ${csrfField(o.csrfToken)}
  ${input({ name: 'name', label: 'Nom', value: o.values.name, error: o.errors.name, required: true, hint: 'Par exemple Agence nationale des titres sécurisés (ANTS)' })}
  ${input({ name: 'code', label: 'Code', value: o.values.code, error: o.errors.code, required: true, hint: 'Minuscules, chiffres et tirets, utilisé dans les imports (par exemple ants)' })}
  ${select({ name: 'kind', label: 'Type', options: options(ADMINISTRATION_KIND_LABELS), value: o.values.kind ?? 'direction', error: o.errors.kind, required: true })}
  ${select({ name: 'ministry_id', label: 'Ministère', options: o.ministries.map((m) => ({ value: String(m.id), label: m.name })), value: o.values.ministry_id ?? '', placeholder: '— Choisir un ministère —', error: o.errors.ministry_id, required: true })}
  <ul class="fr-btns-group fr-btns-group--inline-md">
    <li><button type="submit" class="fr-btn">Enregistrer</button></li>
    <li><a class="fr-btn fr-btn--secondary" href="/catalogue/administrations">Annuler</a></li>
  </ul>
</form>`;
}
