import { html, type SafeHtml } from '../../../kernel/web/html.ts';
import { formatInteger } from '../../../kernel/web/format.ts';
import { csrfField, errorSummary, input, select, type FieldErrors } from '../../../kernel/web/forms.ts';
import type { FormRow } from '../../forms/queries.ts';
import { TEMPLATE_LABELS } from '../../questionnaire/template.ts';

export interface FormsListData {
  forms: (FormRow & { buttons: number; reviews30: number })[];
  editable: { id: number; title: string }[];
  /** Ministry and administration dashboards in the user's scope. */
  dashboards: { kind: 'ministry' | 'administration'; label: string; href: string }[];
  csrf: string;
  errors?: FieldErrors;
  values?: Record<string, string>;
}

export function formsListPage(d: FormsListData): SafeHtml {
  const values = d.values ?? {};
  return html`<h1>Avis usagers « Je donne mon avis »</h1>
<p>Les formulaires d’avis des démarches de votre périmètre, leurs boutons et leurs réponses.</p>
${
  d.forms.length
    ? html`<div class="fr-table"><table>
  <caption>Formulaires d’avis (${formatInteger(d.forms.length)})</caption>
  <thead><tr><th scope="col">Démarche</th><th scope="col">Formulaire</th><th scope="col">Modèle</th><th scope="col">Version en ligne</th><th scope="col">Boutons</th><th scope="col">Avis (30 jours)</th></tr></thead>
  <tbody>${d.forms.map(
    (
      f,
    ) => html`<tr><td><a href="/avis/demarches/${f.procedureId}">${f.procedureTitle}</a></td><td><a href="/avis/formulaires/${f.id}">${f.name}</a>${f.locked ? html` <span class="fr-badge fr-badge--sm fr-badge--info">Verrouillé</span>` : ''}</td>
    <td>${TEMPLATE_LABELS[f.template]}</td><td>${f.publishedVersion ?? '–'}</td><td>${formatInteger(f.buttons)}</td><td>${formatInteger(f.reviews30)}</td></tr>`,
  )}</tbody>
</table></div>`
    : html`<p>Aucun formulaire d’avis dans votre périmètre pour l’instant.</p>`
}
${
  d.dashboards.length
    ? html`<h2>Tableaux de bord par ministère et par administration</h2>
<ul>${d.dashboards.map((l) => html`<li><a href="${l.href}">${l.kind === 'ministry' ? 'Ministère' : 'Administration'} : ${l.label}</a></li>`)}</ul>`
    : ''
}
${
  d.editable.length
    ? html`<h2>Créer un formulaire</h2>
<form method="post" action="/avis/formulaires" novalidate>
  ${csrfField(d.csrf)}
  ${errorSummary(d.errors ?? {})}
  ${select({ name: 'procedure_id', label: 'Démarche', required: true, placeholder: 'Choisir une démarche', options: d.editable.map((p) => ({ value: String(p.id), label: p.title })), value: values.procedure_id, error: d.errors?.procedure_id })}
  ${select({ name: 'template', label: 'Modèle', required: true, options: Object.entries(TEMPLATE_LABELS).map(([value, label]) => ({ value, label })), value: values.template ?? 'default', error: d.errors?.template })}
  ${input({ name: 'name', label: 'Nom du formulaire', required: true, value: values.name, error: d.errors?.name })}
  <button type="submit" class="fr-btn">Créer le formulaire</button>
</form>`
    : ''
}`;
}
