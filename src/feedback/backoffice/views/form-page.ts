import { html, type SafeHtml } from '../../../kernel/web/html.ts';
import { formatDateTime, formatInteger } from '../../../kernel/web/format.ts';
import { csrfField, errorSummary, fieldId, input, type FieldErrors } from '../../../kernel/web/forms.ts';
import type { ButtonRow, FormRow, VersionRow } from '../../forms/queries.ts';
import { DEFAULT_INTRO, INTRO_MAX, type FormSettings } from '../../forms/settings.ts';
import { HELP_TRIED, HIDEABLE_HELP_OPTIONS, STEPS, TEMPLATE_LABELS } from '../../questionnaire/template.ts';
import { integrationBlock } from './integration.ts';

const STATUS_LABELS = { draft: 'Brouillon', published: 'En ligne', retired: 'Retirée' } as const;

function checkbox(name: string, value: string, label: string, checked: boolean, index: number, disabled = false): SafeHtml {
  const id = `${fieldId(name)}-${index}`;
  return html`<div class="fr-fieldset__element"><div class="fr-checkbox-group">
  <input type="checkbox" id="${id}" name="${name}" value="${value}"${checked ? html` checked` : ''}${disabled ? html` disabled` : ''}>
  <label class="fr-label" for="${id}">${label}</label>
</div></div>`;
}

function settingsForm(form: FormRow, settings: FormSettings, errors: FieldErrors, csrf: string, hasDraft: boolean): SafeHtml {
  const hideable = STEPS[form.template].filter((s) => s.hideable);
  return html`<form method="post" action="/avis/formulaires/${form.id}/brouillon" novalidate>
  ${csrfField(csrf)}
  ${errorSummary(errors)}
  ${
    hideable.length
      ? html`<fieldset class="fr-fieldset" id="${fieldId('hidden_steps')}"><legend class="fr-fieldset__legend">Étapes facultatives à masquer${form.locked ? html`<span class="fr-hint-text">Formulaire verrouillé : il alimente l’observatoire, ses questions d’indicateurs restent affichées.</span>` : ''}</legend>
    ${hideable.map((s, i) => checkbox('hidden_steps', s.id, `Masquer l’étape « ${s.title.fr} »`, settings.hiddenSteps.includes(s.id), i, form.locked))}
    ${errors.hidden_steps ? html`<div class="fr-messages-group"><p class="fr-message fr-message--error">${errors.hidden_steps}</p></div>` : ''}
  </fieldset>
  <fieldset class="fr-fieldset" id="${fieldId('hidden_help')}"><legend class="fr-fieldset__legend">Réponses de la question d’aide à masquer</legend>
    ${HIDEABLE_HELP_OPTIONS.map((id, i) => checkbox('hidden_help', id, HELP_TRIED.find((o) => o.id === id)!.label.fr, settings.hiddenHelpOptions.includes(id), i))}
    ${errors.hidden_help ? html`<div class="fr-messages-group"><p class="fr-message fr-message--error">${errors.hidden_help}</p></div>` : ''}
  </fieldset>`
      : ''
  }
  ${input({ name: 'intro_fr', label: 'Texte d’introduction (français)', hint: `Par défaut : « ${DEFAULT_INTRO.fr} » ; {procedure} est remplacé par le nom de la démarche. ${INTRO_MAX} caractères au maximum.`, value: settings.intro.fr ?? '', error: errors.intro_fr, textarea: true })}
  ${input({ name: 'intro_en', label: 'Texte d’introduction (anglais)', hint: `Par défaut : « ${DEFAULT_INTRO.en} ».`, value: settings.intro.en ?? '', error: errors.intro_en, textarea: true })}
  <div class="fr-fieldset__element"><div class="fr-checkbox-group">
    <input type="checkbox" id="champ-contact_email" name="contact_email" value="oui"${settings.contactEmail ? html` checked` : ''}>
    <label class="fr-label" for="champ-contact_email">Proposer une adresse e-mail de contact (facultative pour l’usager)</label>
  </div></div>
  <ul class="fr-btns-group fr-btns-group--inline-md fr-mt-2w"><li><button type="submit" class="fr-btn fr-btn--secondary">Enregistrer le brouillon</button></li></ul>
</form>
${
  hasDraft
    ? html`<form method="post" action="/avis/formulaires/${form.id}/publier">${csrfField(csrf)}
  <button type="submit" class="fr-btn">Publier le brouillon</button></form>`
    : ''
}`;
}

function buttonsSection(
  form: FormRow,
  buttons: ButtonRow[],
  publicUrl: string,
  canEdit: boolean,
  csrf: string,
  errors: FieldErrors,
  values: Record<string, string>,
): SafeHtml {
  return html`<h2 id="boutons">Boutons</h2>
${buttons.length === 0 ? html`<p>Aucun bouton pour ce formulaire.</p>` : ''}
${buttons.map(
  (b) => html`<section class="fr-mb-4w" aria-labelledby="bouton-${b.id}">
  <h3 id="bouton-${b.id}" class="fr-h5">${b.name}${b.isTest ? html` <span class="fr-badge fr-badge--sm fr-badge--info">Test</span>` : ''}${b.closedAt ? html` <span class="fr-badge fr-badge--sm fr-badge--warning">Fermé</span>` : ''}</h3>
  <p>Emplacement : ${b.placement || '–'} · Clics sur le bouton fermé : ${formatInteger(b.closedClicks)}</p>
  ${integrationBlock(publicUrl, b)}
  ${
    canEdit
      ? html`<ul class="fr-btns-group fr-btns-group--inline-sm">
    <li><form method="post" action="/avis/boutons/${b.id}/${b.closedAt ? 'rouvrir' : 'fermer'}">${csrfField(csrf)}<button type="submit" class="fr-btn fr-btn--sm fr-btn--secondary">${b.closedAt ? 'Rouvrir' : 'Fermer'} le bouton « ${b.name} »</button></form></li>
    <li><form method="post" action="/avis/boutons/${b.id}/supprimer">${csrfField(csrf)}<button type="submit" class="fr-btn fr-btn--sm fr-btn--tertiary">Supprimer le bouton « ${b.name} »</button></form></li>
  </ul>`
      : ''
  }
</section>`,
)}
${
  canEdit
    ? html`<h3 class="fr-h5">Ajouter un bouton</h3>
<form method="post" action="/avis/formulaires/${form.id}/boutons" novalidate>
  ${csrfField(csrf)}
  ${input({ name: 'name', label: 'Nom du bouton', required: true, value: values.name, error: errors.name })}
  ${input({ name: 'placement', label: 'Emplacement', hint: 'Par exemple : page de confirmation du dépôt.', value: values.placement, error: errors.placement })}
  <div class="fr-checkbox-group fr-mb-2w"><input type="checkbox" id="champ-is_test" name="is_test" value="oui"><label class="fr-label" for="champ-is_test">Bouton de test (ses avis ne comptent dans aucun indicateur)</label></div>
  <button type="submit" class="fr-btn">Ajouter le bouton</button>
</form>`
    : ''
}`;
}

export interface FormPageData {
  form: FormRow;
  versions: VersionRow[];
  buttons: ButtonRow[];
  draftSettings: FormSettings;
  canEdit: boolean;
  isAdmin: boolean;
  csrf: string;
  publicUrl: string;
  errors?: FieldErrors;
  buttonErrors?: FieldErrors;
  buttonValues?: Record<string, string>;
  blocked: { reason: string; count: number }[];
  alerts: SafeHtml;
}

const BLOCK_LABELS: Record<string, string> = {
  honeypot: 'Robot (champ piège rempli)',
  rate_limit: 'Trop d’envois depuis une même connexion',
  forged: 'Réponses ne correspondant pas au formulaire',
  stale: 'Version du formulaire périmée',
  expired: 'Formulaire expiré',
  replayed: 'Envoi rejoué',
};

export function formPage(d: FormPageData): SafeHtml {
  const { form } = d;
  const draft = d.versions.find((v) => v.status === 'draft');
  return html`<h1>${form.name}</h1>
<p>${TEMPLATE_LABELS[form.template]} · Démarche : <a href="/avis/demarches/${form.procedureId}">${form.procedureTitle}</a> · Version en ligne : ${form.publishedVersion ?? '–'}
${form.locked ? html` · <span class="fr-badge fr-badge--sm fr-badge--info">Verrouillé (observatoire)</span>` : ''}</p>
<ul class="fr-btns-group fr-btns-group--inline-md">
  <li><a class="fr-btn fr-btn--secondary" href="/avis/demarches/${form.procedureId}">Tableau de bord</a></li>
  <li><a class="fr-btn fr-btn--secondary" href="/avis/formulaires/${form.id}/reponses">Réponses</a></li>
  ${
    d.isAdmin
      ? html`<li><form method="post" action="/avis/formulaires/${form.id}/${form.locked ? 'deverrouiller' : 'verrouiller'}">${csrfField(d.csrf)}<button type="submit" class="fr-btn fr-btn--tertiary">${form.locked ? 'Déverrouiller' : 'Verrouiller (alimente l’observatoire)'}</button></form></li>`
      : ''
  }
</ul>
${
  d.canEdit
    ? html`<h2>Réglages${draft ? ` (brouillon de la version ${draft.version})` : ''}</h2>
<p>Chaque modification crée une nouvelle version en brouillon ; le questionnaire en ligne montre toujours la version publiée.</p>
${settingsForm(form, d.draftSettings, d.errors ?? {}, d.csrf, !!draft)}`
    : ''
}
<h2>Versions</h2>
<div class="fr-table"><table>
  <caption>Versions du formulaire et périodes en ligne</caption>
  <thead><tr><th scope="col">Version</th><th scope="col">Statut</th><th scope="col">Créée le</th><th scope="col">En ligne du</th><th scope="col">Au</th></tr></thead>
  <tbody>${d.versions.map((v) => html`<tr><td>${v.version}</td><td>${STATUS_LABELS[v.status]}</td><td>${formatDateTime(v.createdAt)}</td><td>${v.publishedAt ? formatDateTime(v.publishedAt) : '–'}</td><td>${v.retiredAt ? formatDateTime(v.retiredAt) : v.status === 'published' ? 'aujourd’hui' : '–'}</td></tr>`)}</tbody>
</table></div>
${buttonsSection(form, d.buttons, d.publicUrl, d.canEdit, d.csrf, d.buttonErrors ?? {}, d.buttonValues ?? {})}
${d.alerts}
<h2>Envois refusés (30 derniers jours)</h2>
${
  d.blocked.length
    ? html`<div class="fr-table"><table><caption>Envois refusés par motif</caption>
  <thead><tr><th scope="col">Motif</th><th scope="col">Nombre</th></tr></thead>
  <tbody>${d.blocked.map((b) => html`<tr><td>${BLOCK_LABELS[b.reason] ?? b.reason}</td><td>${formatInteger(b.count)}</td></tr>`)}</tbody></table></div>`
    : html`<p>Aucun envoi refusé.</p>`
}`;
}
