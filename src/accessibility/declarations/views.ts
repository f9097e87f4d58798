import { html, type SafeHtml } from '../../kernel/web/html.ts';
import { csrfField, errorSummary, input, type FieldErrors } from '../../kernel/web/forms.ts';
import { formatDate } from '../../kernel/web/format.ts';
import type { DeclarationContent } from './content.ts';
import type { DeclarationRow, DraftFields } from './queries.ts';
import { EXPIRY_REASON_TEXT, type Validity } from './validity.ts';

const list = (items: string[], empty: string): SafeHtml =>
  items.length === 0 ? html`<p>${empty}</p>` : html`<ul>${items.map((i) => html`<li>${i}</li>`)}</ul>`;

/** « valide jusqu’au … » or why it is not. */
export function validityText(v: Validity): SafeHtml {
  if (v.valid) {
    return html`<span class="fr-badge fr-badge--success fr-badge--no-icon">Valide</span> <span>jusqu’au ${formatDate(v.expiresOn)} (${EXPIRY_REASON_TEXT[v.reason]})${v.expiresSoon ? html`, <strong>à renouveler dans ${v.daysLeft} jours</strong>` : ''}.</span>`;
  }
  return html`<span class="fr-badge fr-badge--error fr-badge--no-icon">Plus valide</span> <span>depuis le ${formatDate(v.expiresOn)} (${EXPIRY_REASON_TEXT[v.reason]}) : elle doit être mise à jour.</span>`;
}

/**
 * The declaration in the mandatory format, every section in the legal order (shared/reference/rgaa-obligations/
 * declaration-accessibilite.md). `headingLevel` 1 on the public page.
 */
export function declarationBody(c: DeclarationContent, validity: Validity | null): SafeHtml {
  const service = c.scope.service;
  const e = c.engagement;
  return html`${validity ? html`<div class="fr-callout fr-mb-4w"><p class="fr-callout__text">${validityText(validity)}</p></div>` : ''}
<p>${e.organisation} s’engage à rendre ses services en ligne accessibles conformément à l’article 47 de la loi n° 2005-102 du 11 février 2005.</p>
${e.text ? html`<p>${e.text}</p>` : ''}
<p>À cette fin, il met en œuvre la stratégie et les actions suivantes :
${e.multiYearPlanUrl ? html`<a href="${e.multiYearPlanUrl}">schéma pluriannuel de mise en accessibilité</a>` : 'schéma pluriannuel non publié dans Vigie'}${e.actionPlanUrl ? html`, <a href="${e.actionPlanUrl}">plan d’action de l’année en cours et bilan de l’année précédente</a>` : ''}.</p>
<p>Cette déclaration d’accessibilité s’applique à ${service}${c.scope.url ? html` (<a href="${c.scope.url}">${c.scope.url}</a>)` : ''}.</p>

<h2 id="etat-de-conformite">État de conformité</h2>
<p>${service} est <strong>${c.conformity.labelText}</strong> avec le référentiel général d’amélioration de l’accessibilité (${c.conformity.referential}).</p>

<h3 id="resultats-des-tests">Résultats des tests</h3>
<p>L’audit de conformité réalisé ${c.results.auditedBy === 'en interne' ? 'en interne' : html`par ${c.results.auditedBy}`} révèle que :</p>
<ul>
  <li>${c.results.rate === null ? 'aucun critère RGAA n’est applicable' : html`<strong>${c.results.rate} %</strong> des critères RGAA sont respectés (${c.results.respected} sur ${c.results.applicable} critères applicables)`} ;</li>
  ${c.results.averageRate !== null ? html`<li>le taux moyen de conformité du service en ligne s’élève à ${c.results.averageRate} %.</li>` : ''}
</ul>
<p><a href="${c.results.auditSummaryUrl}">Résumé de l’audit (JSON)</a></p>

<h2 id="contenus-non-accessibles">Contenus non accessibles</h2>
<p>Les contenus listés ci-dessous ne sont pas accessibles pour les raisons suivantes.</p>
<h3>Non-conformités</h3>
${c.nonAccessible.nonConformities.length === 0 ? html`<p>Aucune non-conformité relevée.</p>` : html`<ul>${c.nonAccessible.nonConformities.map((n) => html`<li>Critère ${n.criterion} : ${n.title} (${n.pages.join(', ')})${n.items.length ? html`<ul>${n.items.map((i) => html`<li>${i}</li>`)}</ul>` : ''}</li>`)}</ul>`}
${c.nonAccessible.notes.length ? html`<p>Précisions et alternatives :</p>${list(c.nonAccessible.notes, '')}` : ''}
<h3>Dérogations pour charge disproportionnée</h3>
${list(c.nonAccessible.derogations, 'Aucune dérogation n’est invoquée.')}
<h3>Contenus non soumis à l’obligation d’accessibilité</h3>
${list(c.nonAccessible.exempted, 'Aucun.')}

<h2 id="etablissement">Établissement de cette déclaration d’accessibilité</h2>
<p>Cette déclaration a été établie le ${formatDate(c.establishment.establishedOn)}. Elle a été mise à jour le ${formatDate(c.establishment.updatedOn)}.</p>
<h3>Technologies utilisées pour la réalisation du service</h3>
${list(c.establishment.technologies, 'Non précisées.')}
<h3>Environnement de test</h3>
<p>Agents utilisateurs, technologies d’assistance et outils utilisés pour vérifier l’accessibilité :</p>
${list(c.establishment.environments, 'Non précisé.')}
<h3>Outils utilisés lors de l’évaluation</h3>
${list(c.establishment.tools, 'Non précisés.')}
<h3>Pages du site ayant fait l’objet de la vérification de conformité</h3>
<ul>${c.establishment.pages.map((p) => html`<li>${p.name}${p.url ? html` : ${p.url}` : ''}</li>`)}</ul>

<h2 id="contact">Retour d’information et contact</h2>
<p>Si vous n’arrivez pas à accéder à un contenu ou à un service, vous pouvez contacter le responsable de ${service} pour être orienté vers une alternative accessible ou obtenir le contenu sous une autre forme.</p>
<ul>
  ${c.contact.email ? html`<li>Envoyer un message : <a href="mailto:${c.contact.email}">${c.contact.email}</a></li>` : ''}
  ${c.contact.formUrl ? html`<li>Formulaire en ligne : <a href="${c.contact.formUrl}">${c.contact.formUrl}</a></li>` : ''}
  ${c.contact.pageUrl ? html`<li>Contacter ${c.contact.entity} : <a href="${c.contact.pageUrl}">${c.contact.pageUrl}</a></li>` : ''}
</ul>

<h2 id="voies-de-recours">Voies de recours</h2>
<p>Cette procédure est à utiliser dans le cas suivant : vous avez signalé au responsable du site internet un défaut d’accessibilité qui vous empêche d’accéder à un contenu ou à un des services du portail et vous n’avez pas obtenu de réponse satisfaisante.</p>
${list(c.remedies.defenseurDesDroits, '')}`;
}

/** The mention and link the procedure's site pastes in its footer. */
export function footerSnippet(c: DeclarationContent, url: string): string {
  return `<a href="${url}">${c.conformity.mention}</a>`;
}

const FIELD_LABELS: Record<keyof DraftFields, { label: string; hint?: string; textarea?: boolean; type?: 'email' | 'url' }> = {
  organisation_name: { label: 'Nom de l’organisme' },
  service_name: { label: 'Nom du service auquel la déclaration s’applique' },
  engagement: { label: 'Engagement (texte ajouté à la phrase légale)', textarea: true },
  technologies: { label: 'Technologies utilisées', hint: 'Une par ligne, par exemple HTML5, CSS, JavaScript.', textarea: true },
  contact_email: {
    label: 'Adresse électronique de contact',
    type: 'email',
    hint: 'Une adresse électronique ou un formulaire de contact est obligatoire.',
  },
  contact_form_url: { label: 'Adresse du formulaire de contact', type: 'url' },
  contact_page_url: { label: 'Page des coordonnées de l’entité responsable', type: 'url' },
  non_conformity_notes: {
    label: 'Non-conformités : précisions et alternatives accessibles',
    hint: 'Une par ligne. Les non-conformités de l’audit sont reprises automatiquement.',
    textarea: true,
  },
  derogations: {
    label: 'Dérogations pour charge disproportionnée (motivées)',
    hint: 'Une par ligne, avec l’alternative proposée.',
    textarea: true,
  },
  exempted_contents: { label: 'Contenus non soumis à l’obligation d’accessibilité', hint: 'Un par ligne.', textarea: true },
};

export function editorPage(input_: {
  procedure: { id: number; title: string; stableId: string };
  row: DeclarationRow | null;
  fields: DraftFields | null;
  auditAvailable: { id: number; name: string } | null;
  preview: DeclarationContent | null;
  published: { content: DeclarationContent; validity: Validity } | null;
  publicUrl: string;
  csrf: string;
  errors?: FieldErrors;
  conflict?: boolean;
}): SafeHtml {
  const { procedure, row, fields, csrf, errors = {} } = input_;
  const base = `/rgaa/demarches/${procedure.id}/declaration`;
  return html`<h1>Déclaration d’accessibilité : ${procedure.title}</h1>
${errorSummary(errors, { audit: 'Audit', contact_email: 'Contact', redesigned_on: 'Refonte' })}
${input_.conflict ? html`<div class="fr-alert fr-alert--warning fr-mb-3w" role="alert"><h2 class="fr-alert__title">Quelqu’un a enregistré cette déclaration entre-temps</h2><p>Vos valeurs sont gardées dans le formulaire ci-dessous ; les valeurs enregistrées sont affichées dans l’aperçu. Enregistrez à nouveau pour garder les vôtres.</p></div>` : ''}
<h2>Publication</h2>
${
  input_.published
    ? html`<p>Publiée à l’adresse stable <a href="${input_.publicUrl}">${input_.publicUrl}</a> (et en JSON : <a href="/api/v1/accessibility/declarations/${procedure.stableId}">/api/v1/accessibility/declarations/${procedure.stableId}</a>).</p>
<p>${validityText(input_.published.validity)}</p>
<div class="fr-input-group"><label class="fr-label" for="mention-pied-de-page">Mention et lien à coller dans le pied de page du site</label>
<textarea class="fr-input" id="mention-pied-de-page" readonly rows="2">${footerSnippet(input_.published.content, input_.publicUrl)}</textarea></div>
<form method="post" action="${base}/refonte" class="fr-mb-3w">${csrfField(csrf)}
${input({ name: 'redesigned_on', label: 'Refonte substantielle du site : date', type: 'date', value: row?.redesigned_on ?? '', hint: 'À partir de cette date, la déclaration n’est plus valide. Laisser vide pour retirer le signalement.', error: errors.redesigned_on })}
<button class="fr-btn fr-btn--secondary" type="submit">Enregistrer la refonte</button></form>`
    : html`<p>Pas encore publiée.</p>`
}
<h2>Audit</h2>
${
  input_.auditAvailable
    ? html`<p>Dernier audit complet publié : ${input_.auditAvailable.name}.${row?.audit_id === input_.auditAvailable.id ? ' La déclaration en est issue.' : ''}</p>
<form method="post" action="${base}/generer">${csrfField(csrf)}<button class="fr-btn fr-btn--secondary" type="submit">${row ? 'Reprendre les résultats du dernier audit' : 'Générer la déclaration depuis cet audit'}</button></form>`
    : html`<p id="${'champ-audit'}">Aucun audit complet publié pour cette démarche : seul un audit complet (106 critères) publié permet une déclaration.</p>`
}
${
  row && fields
    ? html`<h2>Informations que l’audit ne connaît pas</h2>
<form method="post" action="${base}" novalidate>${csrfField(csrf)}<input type="hidden" name="version" value="${row.version}">
${(Object.keys(FIELD_LABELS) as (keyof DraftFields)[]).map((name) => {
  const f = FIELD_LABELS[name];
  return input({ name, label: f.label, hint: f.hint, textarea: f.textarea, type: f.type, value: fields[name], error: errors[name] });
})}
<button class="fr-btn" type="submit">Enregistrer le brouillon</button></form>
<form method="post" action="${base}/publier" class="fr-mt-3w">${csrfField(csrf)}<button class="fr-btn" type="submit">Publier la déclaration</button></form>`
    : ''
}
${input_.preview ? html`<h2>Aperçu du brouillon</h2><div class="fr-card fr-p-3w">${declarationBody(input_.preview, null)}</div>` : ''}`;
}
