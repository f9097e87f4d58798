import { html, join, raw, type SafeHtml } from '../../kernel/web/html.ts';
import { checkboxGroup, csrfField, errorSummary, input, select, type FieldErrors } from '../../kernel/web/forms.ts';
import { countOf, formatDate, formatDateTime, formatLongDateTime } from '../../kernel/web/format.ts';
import { AUDIT_TYPE_LABELS, AUDIT_TYPES, type Referential, type RgaaCriterion } from '../rgaa/referential.ts';
import { CONFORMITY_LABEL_TEXT, conformityMention, displayRate, type Conformity, type ResultStatus } from '../conformity/rate.ts';
import { inlineMarkdown } from '../referential-page/view.ts';
import { AUDIT_STATUS_LABELS, IMPACTS, PAGE_KINDS, type Impact } from './model.ts';
import type { AuditChange, AuditDetail, AuditFootprint, AuditRow, Cell, NcItem, PageRow } from './work.ts';
import type { AuditorInvitation, PendingInvitation } from './invitations.ts';
import type { AccessibilityStory } from '../../experiences/index.ts';
import type { AccessibilityVerbatim } from '../../feedback/index.ts';

export const BASE = '/audits-accessibilite';
export const STYLESHEET = html`<link rel="stylesheet" href="/assets/accessibilite-audits/audit.css">`;
export const GRID_SCRIPT = '/assets/accessibilite-audits/grid.js';

export const STATUS_LABELS: Record<ResultStatus, string> = { C: 'Conforme', NC: 'Non conforme', NA: 'Non applicable', NT: 'Non testé' };
const STATUS_BADGE: Record<ResultStatus, string> = { C: 'fr-badge--success', NC: 'fr-badge--error', NA: 'fr-badge--info', NT: '' };
export const IMPACT_LABELS: Record<Impact, string> = { mineur: 'Mineur', majeur: 'Majeur', bloquant: 'Bloquant' };
const KIND_LABELS = new Map<string, string>(PAGE_KINDS.map((k) => [k.kind, k.label]));

/** Assistive technologies, browsers and systems offered (free entries allowed beside them). */
export const ENVIRONMENT_SUGGESTIONS = {
  assistiveTechnology: ['NVDA', 'JAWS', 'VoiceOver (macOS)', 'VoiceOver (iOS)', 'TalkBack', 'Narrateur', 'Dragon', 'ZoomText'],
  browser: ['Firefox', 'Chrome', 'Edge', 'Safari'],
  operatingSystem: ['Windows', 'macOS', 'iOS', 'Android', 'Linux'],
};

export function kindLabel(kind: string): string {
  return KIND_LABELS.get(kind) ?? kind;
}

export function statusBadge(status: ResultStatus): SafeHtml {
  return html`<span class="fr-badge fr-badge--sm fr-badge--no-icon ${STATUS_BADGE[status]}">${STATUS_LABELS[status]}</span>`;
}

export function rateText(c: Conformity | null): string {
  if (!c || c.rate === null) return 'pas encore de taux (aucun critère applicable)';
  return `${displayRate(c.rate)} %`;
}

function progressBlock(c: Conformity): SafeHtml {
  const pct = c.cells ? Math.floor((c.tested / c.cells) * 100) : 0;
  return html`<p class="vigie-a11y-progress" id="progression">Avancement : ${c.tested} cellule${c.tested > 1 ? 's' : ''} testée${c.tested > 1 ? 's' : ''} sur ${c.cells} (${pct} %)
  <progress max="${c.cells || 1}" value="${c.tested}" aria-label="Avancement de l’audit">${pct} %</progress></p>`;
}

function conformityBlock(c: Conformity, status: AuditRow['status']): SafeHtml {
  const provisional = status === 'in_progress' && !c.complete;
  return html`<ul>
  <li>Taux de conformité${provisional ? ' (provisoire)' : ''} : <strong>${rateText(c)}</strong> (${c.respected} critère${c.respected > 1 ? 's' : ''} respecté${c.respected > 1 ? 's' : ''} sur ${c.applicable} applicable${c.applicable > 1 ? 's' : ''})</li>
  <li>${conformityMention(c.label)}</li>
  <li>Taux moyen des pages : ${c.averageRate === null ? 'aucun' : `${displayRate(c.averageRate)} %`}</li>
</ul>`;
}

export function auditNav(a: AuditRow, current: 'audit' | 'grille' | 'rapport'): SafeHtml {
  const link = (key: typeof current, href: string, label: string) =>
    html`<li class="fr-tabs__item"><a class="fr-link fr-mr-3w" href="${href}"${key === current ? html` aria-current="page"` : ''}>${label}</a></li>`;
  return html`<nav class="fr-mb-3w" aria-label="Sections de l’audit"><ul class="vigie-a11y-tabs">
  ${link('audit', `${BASE}/${a.id}`, 'Audit et échantillon')}${link('grille', `${BASE}/${a.id}/grille`, 'Grille')}${link('rapport', `${BASE}/${a.id}/rapport`, 'Rapport')}
</ul></nav>`;
}

// ——— Lists and creation ———

/** What users say about the procedure's accessibility: the experiences module's stories and the feedback's verbatims. */
export interface UserVoices {
  stories: { stories: AccessibilityStory[]; total: number };
  verbatims: { count: number; truncated: boolean; verbatims: AccessibilityVerbatim[] };
}

function userVoicesBlock(v: UserVoices): SafeHtml {
  return html`<h2 id="usagers">Ce que disent les usagers de l’accessibilité de la démarche</h2>
<h3>Témoignages publiés</h3>
${
  v.stories.total === 0
    ? html`<p>Aucun témoignage publié ne parle d’accessibilité.</p>`
    : html`<p>${countOf(v.stories.total, 'témoignage publié parle', 'témoignages publiés parlent')} d’accessibilité (handicap, lecteur d’écran, clavier…)${v.stories.total > v.stories.stories.length ? html`, les ${v.stories.stories.length} plus récents :` : ' :'}</p>
<ul>${v.stories.stories.map((s) => html`<li><blockquote class="fr-mb-1w">${s.body.length > 400 ? `${s.body.slice(0, 399)}…` : s.body}</blockquote> <a href="${s.href}">Lire le témoignage du ${formatDate(s.publishedAt)}${s.answered ? ' et sa réponse' : ''}</a></li>`)}</ul>`
}
<h3>Avis des usagers (douze derniers mois)</h3>
${
  v.verbatims.count === 0
    ? html`<p>Aucun commentaire d’avis ne parle d’accessibilité sur les douze derniers mois.</p>`
    : html`<p>${countOf(v.verbatims.count, 'commentaire d’avis parle', 'commentaires d’avis parlent')} d’accessibilité${v.verbatims.truncated ? ' parmi les 5 000 plus récents' : ''} (repérés par le lexique de la page des thèmes)${v.verbatims.count > v.verbatims.verbatims.length ? html`, les ${v.verbatims.verbatims.length} plus récents :` : ' :'}</p>
<ul>${v.verbatims.verbatims.map((r) => html`<li><blockquote class="fr-mb-1w">${r.text.length > 400 ? `${r.text.slice(0, 399)}…` : r.text}</blockquote> ${formatDate(r.createdAt.slice(0, 10))} · <a href="${r.themesHref}">Tous les thèmes de ce formulaire</a></li>`)}</ul>`
}`;
}

export function auditsListPage(o: {
  procedureId: number;
  procedureTitle: string;
  audits: AuditRow[];
  canEdit: boolean;
  csrfToken: string;
  importErrors?: string[];
  voices?: UserVoices;
}): SafeHtml {
  return html`<h1>Audits d’accessibilité</h1>
<p class="fr-text--lead">${o.procedureTitle}</p>
${o.canEdit ? html`<p><a class="fr-btn" href="${BASE}/demarches/${o.procedureId}/nouveau">Nouvel audit</a></p>` : ''}
${
  o.audits.length === 0
    ? html`<p>Aucun audit pour cette démarche.</p>`
    : html`<div class="fr-table"><table>
  <caption>Audits de la démarche</caption>
  <thead><tr><th scope="col">Audit</th><th scope="col">Type</th><th scope="col">Statut</th><th scope="col">Publié le</th></tr></thead>
  <tbody>${o.audits.map(
    (a) =>
      html`<tr><td><a href="${BASE}/${a.id}${o.canEdit ? '' : '/rapport'}">${a.name}</a></td><td>${AUDIT_TYPE_LABELS[a.type]}</td><td>${AUDIT_STATUS_LABELS[a.status]}</td><td>${a.publishedAt ? formatDate(a.publishedAt) : '—'}</td></tr>`,
  )}</tbody></table></div>`
}
${o.voices ? userVoicesBlock(o.voices) : ''}
${o.canEdit ? importForm(o.procedureId, o.csrfToken, o.importErrors) : ''}`;
}

function importForm(procedureId: number, csrfToken: string, errors?: string[]): SafeHtml {
  return html`<h2 id="importer">Importer une grille</h2>
${
  errors?.length
    ? html`<div class="fr-alert fr-alert--error fr-mb-3w" role="alert" id="erreurs-import" tabindex="-1"><h3 class="fr-alert__title">Le fichier n’a pas été importé : rien n’a été enregistré</h3>
  <ul>${errors.slice(0, 200).map((e) => html`<li>${e}</li>`)}</ul>${errors.length > 200 ? html`<p>… et ${errors.length - 200} autres erreurs.</p>` : ''}</div>`
    : ''
}
<p>Un fichier exporté d’un audit de Vigie (CSV, XLSX, ODS ou JSON) crée un nouvel audit « en cours » de cette démarche, avec le même échantillon, les mêmes résultats et les mêmes anomalies.</p>
<form method="post" action="${BASE}/demarches/${procedureId}/importer?_csrf=${encodeURIComponent(csrfToken)}" enctype="multipart/form-data">
  <div class="fr-upload-group fr-mb-2w">
    <label class="fr-label" for="fichier-grille">Fichier de la grille<span class="fr-hint-text">CSV, XLSX, ODS ou JSON.</span></label>
    <input class="fr-upload" type="file" id="fichier-grille" name="fichier" accept=".csv,.xlsx,.ods,.json" required>
  </div>
  <button class="fr-btn fr-btn--secondary" type="submit">Importer la grille</button>
</form>`;
}

export interface AuditFormValues {
  name?: string;
  type?: string;
  site_url?: string;
  audited_by?: string;
  tools?: string;
  started_on?: string;
  finished_on?: string;
  environments?: string[];
  env_at?: string;
  env_browser?: string;
  env_os?: string;
}

export const STANDARD_ENVIRONMENTS = [
  'NVDA|Firefox|Windows',
  'JAWS|Chrome|Windows',
  'VoiceOver (macOS)|Safari|macOS',
  'VoiceOver (iOS)|Safari|iOS',
  'TalkBack|Chrome|Android',
  '|Firefox|Windows',
];

export function environmentLabel(e: { assistiveTechnology: string | null; browser: string; operatingSystem: string }): string {
  return `${e.assistiveTechnology ?? 'Sans technologie d’assistance'} × ${e.browser} × ${e.operatingSystem}`;
}

function datalists(): SafeHtml {
  return html`<datalist id="liste-ta">${ENVIRONMENT_SUGGESTIONS.assistiveTechnology.map((v) => html`<option value="${v}"></option>`)}</datalist>
<datalist id="liste-navigateurs">${ENVIRONMENT_SUGGESTIONS.browser.map((v) => html`<option value="${v}"></option>`)}</datalist>
<datalist id="liste-systemes">${ENVIRONMENT_SUGGESTIONS.operatingSystem.map((v) => html`<option value="${v}"></option>`)}</datalist>`;
}

function freeEnvironmentFields(v: AuditFormValues, errors: FieldErrors): SafeHtml {
  return html`<div class="fr-grid-row fr-grid-row--gutters">
  <div class="fr-col-12 fr-col-md-4">${input({ name: 'env_at', label: 'Technologie d’assistance', hint: 'Vide : sans technologie d’assistance.', value: v.env_at, error: errors.env_at, attrs: html` list="liste-ta"` })}</div>
  <div class="fr-col-12 fr-col-md-4">${input({ name: 'env_browser', label: 'Navigateur', value: v.env_browser, error: errors.env_browser, attrs: html` list="liste-navigateurs"` })}</div>
  <div class="fr-col-12 fr-col-md-4">${input({ name: 'env_os', label: 'Système d’exploitation', value: v.env_os, error: errors.env_os, attrs: html` list="liste-systemes"` })}</div>
</div>${datalists()}`;
}

function fieldsBlock(v: AuditFormValues, errors: FieldErrors): SafeHtml {
  return html`${input({ name: 'name', label: 'Nom de l’audit', value: v.name, error: errors.name, required: true })}
${input({ name: 'site_url', label: 'Adresse du site audité', type: 'url', value: v.site_url, error: errors.site_url, hint: 'Par exemple https://www.exemple.gouv.fr/' })}
${input({ name: 'audited_by', label: 'Réalisé par', value: v.audited_by, error: errors.audited_by, hint: 'Organisme ou personne qui réalise l’audit.' })}
${input({ name: 'tools', label: 'Outils utilisés', value: v.tools, error: errors.tools, hint: 'Séparés par des virgules : Assistant RGAA, Colour Contrast Analyser, WAVE…' })}
<div class="fr-grid-row fr-grid-row--gutters">
  <div class="fr-col-12 fr-col-md-6">${input({ name: 'started_on', label: 'Début de l’audit', type: 'date', value: v.started_on, error: errors.started_on })}</div>
  <div class="fr-col-12 fr-col-md-6">${input({ name: 'finished_on', label: 'Fin de l’audit', type: 'date', value: v.finished_on, error: errors.finished_on })}</div>
</div>`;
}

export const AUDIT_FIELD_LABELS: Record<string, string> = {
  name: 'Nom de l’audit',
  type: 'Type d’audit',
  site_url: 'Adresse du site audité',
  audited_by: 'Réalisé par',
  tools: 'Outils utilisés',
  started_on: 'Début de l’audit',
  finished_on: 'Fin de l’audit',
  env_at: 'Technologie d’assistance',
  env_browser: 'Navigateur',
  env_os: 'Système d’exploitation',
  environments: 'Environnements de test',
};

export function newAuditPage(o: {
  procedureId: number;
  procedureTitle: string;
  values: AuditFormValues;
  errors: FieldErrors;
  csrfToken: string;
}): SafeHtml {
  const v = o.values;
  return html`<h1>Nouvel audit d’accessibilité</h1>
<p class="fr-text--lead">${o.procedureTitle}</p>
${errorSummary(o.errors, AUDIT_FIELD_LABELS)}
<form method="post" action="${BASE}/demarches/${o.procedureId}/nouveau" novalidate>
${csrfField(o.csrfToken)}
${fieldsBlock(v, o.errors)}
${select({
  name: 'type',
  label: 'Type d’audit',
  required: true,
  value: v.type ?? 'full',
  error: o.errors.type,
  options: AUDIT_TYPES.map((t) => ({
    value: t,
    label: `${AUDIT_TYPE_LABELS[t]} (${t === 'fast' ? 25 : t === 'complementary' ? 50 : 106} critères)`,
  })),
  hint: 'Seul un audit complet peut fonder une déclaration d’accessibilité.',
})}
${checkboxGroup({
  name: 'environments',
  legend: 'Environnements de test',
  hint: 'Technologie d’assistance × navigateur × système. Vous pourrez en ajouter d’autres ensuite.',
  values: v.environments ?? [],
  error: o.errors.environments,
  options: STANDARD_ENVIRONMENTS.map((e) => {
    const [at, browser, os] = e.split('|');
    return { value: e, label: environmentLabel({ assistiveTechnology: at || null, browser, operatingSystem: os }) };
  }),
})}
<fieldset class="fr-fieldset"><legend class="fr-fieldset__legend">Autre environnement (facultatif)</legend><div class="fr-fieldset__element">${freeEnvironmentFields(v, o.errors)}</div></fieldset>
<button class="fr-btn" type="submit">Créer l’audit</button>
</form>`;
}

// ——— The audit page: fields, environments, auditors, sample ———

export function auditPage(o: {
  audit: AuditDetail;
  conformity: Conformity;
  csrfToken: string;
  canManage: boolean;
  missingKinds: string[];
  values: AuditFormValues;
  errors: FieldErrors;
  changes: AuditChange[] | null;
  links: { id: number; createdAt: Date; revokedAt: Date | null }[];
  newLink: string | null;
  scansAvailable: boolean;
  invitations?: PendingInvitation[];
}): SafeHtml {
  const a = o.audit;
  const invitations = o.invitations ?? [];
  const open = a.status === 'in_progress';
  const csrf = csrfField(o.csrfToken);
  const processName = new Map(a.processes.map((p) => [p.id, p.name]));
  return html`${STYLESHEET}
<h1>${a.name}</h1>
<p class="fr-text--lead">${a.procedureTitle} — ${AUDIT_TYPE_LABELS[a.type]}, RGAA ${a.rgaaVersion} — <span class="fr-badge ${open ? 'fr-badge--new' : 'fr-badge--success'}">${AUDIT_STATUS_LABELS[a.status]}</span></p>
${auditNav(a, 'audit')}
${errorSummary(o.errors, AUDIT_FIELD_LABELS)}
<h2>Avancement et conformité</h2>
${progressBlock(o.conformity)}
${conformityBlock(o.conformity, a.status)}
${
  a.type === 'full' && o.missingKinds.length
    ? html`<div class="fr-alert fr-alert--warning fr-mb-3w"><h3 class="fr-alert__title">Échantillon incomplet</h3><p>Un audit complet doit comprendre, quand elles existent : ${join(
        o.missingKinds.map((k) => kindLabel(k)),
        ', ',
      )}.</p></div>`
    : ''
}
${
  open
    ? html`<form method="post" action="${BASE}/${a.id}/publier" class="fr-mb-3w">${csrf}
  <button class="fr-btn" type="submit"${o.conformity.complete && a.pages.length ? '' : html` aria-describedby="publier-aide"`}>Publier l’audit</button>
  ${o.conformity.complete && a.pages.length ? '' : html`<p class="fr-hint-text" id="publier-aide">L’audit reste « en cours » tant que toutes les cellules ne sont pas testées.</p>`}
</form>`
    : html`<p>Publié le ${a.publishedAt ? formatLongDateTime(a.publishedAt) : ''}. Un audit publié ne peut plus être modifié.</p>
<form method="post" action="${BASE}/${a.id}/reauditer" class="fr-mb-3w">${csrf}
  ${input({ name: 'name', label: 'Nom du ré-audit', value: `Ré-audit — ${a.name}`.slice(0, 200), required: true })}
  <button class="fr-btn fr-btn--secondary" type="submit">Lancer un ré-audit à partir de celui-ci</button>
</form>`
}
${o.changes ? changesBlock(o.changes) : ''}

<h2>Informations</h2>
${
  open
    ? html`<form method="post" action="${BASE}/${a.id}/modifier" novalidate>${csrf}<input type="hidden" name="version" value="${a.version}">
${fieldsBlock(o.values, o.errors)}
<button class="fr-btn fr-btn--secondary" type="submit">Enregistrer les informations</button></form>`
    : html`<ul><li>Site : ${a.siteUrl ?? '—'}</li><li>Réalisé par : ${a.auditedBy || '—'}</li><li>Outils : ${a.tools.join(', ') || '—'}</li><li>Dates : ${a.startedOn ? formatDate(a.startedOn) : '—'} – ${a.finishedOn ? formatDate(a.finishedOn) : '—'}</li></ul>`
}

<h2>Environnements de test</h2>
${
  a.environments.length === 0
    ? html`<p>Aucun environnement.</p>`
    : html`<ul>${a.environments.map(
        (e) =>
          html`<li>${environmentLabel(e)}${open ? html` <form method="post" action="${BASE}/${a.id}/environnements/retirer" class="vigie-inline-form">${csrf}<input type="hidden" name="environment_id" value="${e.id}"><button class="fr-btn fr-btn--sm fr-btn--tertiary-no-outline" type="submit">Retirer<span class="fr-sr-only"> ${environmentLabel(e)}</span></button></form>` : ''}</li>`,
      )}</ul>`
}
${open ? html`<form method="post" action="${BASE}/${a.id}/environnements" novalidate>${csrf}${freeEnvironmentFields(o.values, o.errors)}<button class="fr-btn fr-btn--secondary" type="submit">Ajouter l’environnement</button></form>` : ''}

<h2>Auditeurs extérieurs</h2>
<p>L’équipe de la démarche peut modifier l’audit. Un auditeur extérieur reçoit un droit sur cet audit seulement.</p>
${
  a.auditors.length === 0
    ? html`<p>Aucun auditeur extérieur.</p>`
    : html`<ul>${a.auditors.map(
        (u) =>
          html`<li>${u.displayName || u.email} (${u.email})${o.canManage ? html` <form method="post" action="${BASE}/${a.id}/auditeurs/retirer" class="vigie-inline-form">${csrf}<input type="hidden" name="user_id" value="${u.userId}"><button class="fr-btn fr-btn--sm fr-btn--tertiary-no-outline" type="submit">Retirer le droit<span class="fr-sr-only"> de ${u.email}</span></button></form>` : ''}</li>`,
      )}</ul>`
}
${
  invitations.length && o.canManage
    ? html`<p>Invitations en attente (la personne n’a pas encore créé son compte) :</p><ul>${invitations.map(
        (i) =>
          html`<li>${i.email}, lien valable jusqu’au ${formatDateTime(i.expiresAt)} <form method="post" action="${BASE}/${a.id}/auditeurs/invitations/annuler" class="vigie-inline-form">${csrf}<input type="hidden" name="invitation_id" value="${i.id}"><button class="fr-btn fr-btn--sm fr-btn--tertiary-no-outline" type="submit">Annuler l’invitation<span class="fr-sr-only"> de ${i.email}</span></button></form></li>`,
      )}</ul>`
    : ''
}
${
  open && o.canManage
    ? html`<form method="post" action="${BASE}/${a.id}/auditeurs" novalidate>${csrf}
${input({ name: 'email', label: 'Adresse électronique de l’auditeur', type: 'email', error: o.errors.email, hint: 'Elle recevra un courriel. Sans compte Vigie, elle reçoit un lien d’invitation, valable 7 jours et une seule fois, pour créer son compte : le droit porte sur cet audit seulement.' })}
<button class="fr-btn fr-btn--secondary" type="submit">Donner le droit d’auditeur</button></form>`
    : ''
}

<h2 id="echantillon">Échantillon</h2>
${
  a.pages.length === 0
    ? html`<p>Aucune page dans l’échantillon.</p>`
    : html`<div class="fr-table"><table>
<caption>Pages de l’échantillon</caption>
<thead><tr><th scope="col">Page</th><th scope="col">Type</th><th scope="col">Processus</th><th scope="col">Adresse</th>${open ? html`<th scope="col">Action</th>` : ''}</tr></thead>
<tbody>${a.pages.map(
        (
          p,
          i,
        ) => html`<tr><td><a href="${BASE}/${a.id}/grille?page=${p.id}">${p.name}</a></td><td>${kindLabel(p.kind)}</td><td>${p.processId ? processName.get(p.processId) : '—'}</td><td>${p.url ?? '—'}</td>
  ${
    open
      ? html`<td><a class="fr-btn fr-btn--sm fr-btn--tertiary" href="${BASE}/${a.id}/pages/modifier?page=${p.id}">Modifier<span class="fr-sr-only"> ${p.name}</span></a>
  ${i > 0 ? html`<form method="post" action="${BASE}/${a.id}/pages/deplacer" class="vigie-inline-form">${csrf}<input type="hidden" name="page_id" value="${p.id}"><input type="hidden" name="sens" value="haut"><button class="fr-btn fr-btn--sm fr-btn--tertiary" type="submit">Monter<span class="fr-sr-only"> ${p.name}</span></button></form>` : ''}
  ${i < a.pages.length - 1 ? html`<form method="post" action="${BASE}/${a.id}/pages/deplacer" class="vigie-inline-form">${csrf}<input type="hidden" name="page_id" value="${p.id}"><input type="hidden" name="sens" value="bas"><button class="fr-btn fr-btn--sm fr-btn--tertiary" type="submit">Descendre<span class="fr-sr-only"> ${p.name}</span></button></form>` : ''}
  <form method="post" action="${BASE}/${a.id}/pages/retirer" class="vigie-inline-form">${csrf}<input type="hidden" name="page_id" value="${p.id}"><button class="fr-btn fr-btn--sm fr-btn--tertiary" type="submit">Retirer<span class="fr-sr-only"> ${p.name}</span></button></form></td>`
      : ''
  }</tr>`,
      )}</tbody></table></div>`
}
${
  open
    ? html`<h3>Ajouter une page</h3>
<form method="post" action="${BASE}/${a.id}/pages" novalidate>${csrf}
${input({ name: 'page_name', label: 'Nom de la page', error: o.errors.page_name, required: true })}
${input({ name: 'page_url', label: 'Adresse de la page', type: 'url', error: o.errors.page_url })}
${select({ name: 'kind', label: 'Type de page', required: true, error: o.errors.kind, options: PAGE_KINDS.map((k) => ({ value: k.kind, label: k.mandatory ? `${k.label} (obligatoire)` : k.label })) })}
${select({ name: 'process_id', label: 'Processus', placeholder: 'Aucun', error: o.errors.process_id, options: a.processes.map((p) => ({ value: String(p.id), label: p.name })), hint: 'Les étapes d’un même processus sont validées ensemble.' })}
<button class="fr-btn fr-btn--secondary" type="submit">Ajouter la page</button></form>
<h3>Ajouter un processus</h3>
<form method="post" action="${BASE}/${a.id}/processus" novalidate>${csrf}
${input({ name: 'process_name', label: 'Nom du processus', error: o.errors.process_name, required: true, hint: 'Par exemple « Déposer une demande » : ses étapes sont des pages de l’échantillon.' })}
<button class="fr-btn fr-btn--secondary" type="submit">Ajouter le processus</button></form>`
    : ''
}

<h2>Exports</h2>
<ul>
  <li><a href="${BASE}/${a.id}/export/csv" download>Grille en CSV</a></li>
  <li><a href="${BASE}/${a.id}/export/xlsx" download>Grille en XLSX</a></li>
  <li><a href="${BASE}/${a.id}/export/ods" download>Grille en ODS</a></li>
  <li><a href="${BASE}/${a.id}/export/json" download>Grille en JSON</a></li>
</ul>
${open && o.scansAvailable ? html`<h2>Scans automatiques</h2><p><a href="${BASE}/${a.id}/scans">Importer les résultats d’un scan automatique</a></p>` : ''}
${o.canManage ? shareLinksBlock(a, o.links, o.newLink, csrf) : ''}
${open && o.canManage ? html`<h2>Supprimer l’audit</h2><p>La suppression est définitive ; la page suivante dit tout ce qu’elle efface et demande confirmation.</p><p><a class="fr-btn fr-btn--secondary" href="${BASE}/${a.id}/supprimer">Supprimer cet audit…</a></p>` : ''}`;
}

function shareLinksBlock(
  a: AuditRow,
  links: { id: number; createdAt: Date; revokedAt: Date | null }[],
  newLink: string | null,
  csrf: SafeHtml,
): SafeHtml {
  return html`<h2>Liens de partage du rapport</h2>
<p>Un lien de partage donne accès au rapport sans compte${a.status === 'published' ? '' : ', une fois l’audit publié'}. L’équipe peut le révoquer à tout moment.</p>
${newLink ? html`<div class="fr-alert fr-alert--success fr-mb-3w"><p>Nouveau lien, à copier maintenant (il ne sera plus affiché) :</p><p><code id="nouveau-lien">${newLink}</code></p></div>` : ''}
${
  links.length
    ? html`<ul>${links.map(
        (l) =>
          html`<li>Lien créé le ${formatLongDateTime(l.createdAt)} — ${l.revokedAt ? `révoqué le ${formatLongDateTime(l.revokedAt)}` : html`actif <form method="post" action="${BASE}/${a.id}/liens/revoquer" class="vigie-inline-form">${csrf}<input type="hidden" name="link_id" value="${l.id}"><button class="fr-btn fr-btn--sm fr-btn--tertiary" type="submit">Révoquer<span class="fr-sr-only"> le lien créé le ${formatLongDateTime(l.createdAt)}</span></button></form>`}</li>`,
      )}</ul>`
    : ''
}
<form method="post" action="${BASE}/${a.id}/liens">${csrf}<button class="fr-btn fr-btn--secondary" type="submit">Créer un lien de partage</button></form>`;
}

function changesBlock(changes: AuditChange[]): SafeHtml {
  const fixed = changes.filter((c) => c.kind === 'fixed');
  const added = changes.filter((c) => c.kind === 'new_nc');
  const other = changes.filter((c) => c.kind === 'other');
  const list = (items: AuditChange[]) =>
    html`<ul>${items.map((c) => html`<li>${c.pageName}, critère ${c.criterion} : ${STATUS_LABELS[c.before]} → ${STATUS_LABELS[c.after]}</li>`)}</ul>`;
  return html`<h2>Changements depuis l’audit précédent</h2>
${changes.length === 0 ? html`<p>Aucun résultat n’a changé depuis l’audit précédent.</p>` : ''}
${fixed.length ? html`<h3>${countOf(fixed.length, 'non-conformité corrigée', 'non-conformités corrigées')}</h3>${list(fixed)}` : ''}
${added.length ? html`<h3>${countOf(added.length, 'nouvelle non-conformité', 'nouvelles non-conformités')}</h3>${list(added)}` : ''}
${other.length ? html`<h3>${countOf(other.length, 'autre changement', 'autres changements')}</h3>${list(other)}` : ''}`;
}

// ——— The grid ———

export interface GridFilters {
  page: PageRow;
  theme: number | null;
  status: ResultStatus | null;
}

/** Glossary anchors a criterion's title and tests link to. */
function glossaryAnchors(c: RgaaCriterion): string[] {
  const text = [c.title, ...c.tests.flatMap((t) => t.lines)].join(' ');
  return [...new Set([...text.matchAll(/\]\(#([a-z0-9-]+)\)/g)].map((m) => m[1]))];
}

function stripTags(markup: string): string {
  return markup
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, '’')
    .replace(/\s+/g, ' ')
    .trim();
}

function markdownBlock(text: string): SafeHtml {
  return join(
    text
      .split(/\n+/)
      .filter((l) => l.trim())
      .map((l) => html`<p class="fr-text--sm fr-mb-1v">${inlineMarkdown(l.replace(/^\s*[-*]\s+/, '• ').replace(/^#+\s*/, ''))}</p>`),
  );
}

/**
 * A criterion's RGAA tests, each with its methodology, and the glossary terms they use. `full`: with the methodology
 * and the terms' definitions (the cell page); in the grid, the tests and the terms' names only, the rest one link
 * away (« Détail du critère »): 106 criteria with every methodology and definition weighed 780 KB a page.
 */
export function criterionHelp(rgaa: Referential, c: RgaaCriterion, full = true): SafeHtml {
  const glossary = glossaryOf(rgaa);
  const terms = glossaryAnchors(c)
    .map((a) => glossary.get(a))
    .filter((g) => g !== undefined);
  return html`<details class="vigie-a11y-help"${full ? html` open` : ''}><summary>${full ? 'Tests, méthodologie et glossaire' : 'Tests et glossaire'} du critère ${c.id}</summary>
  ${c.tests.map(
    (
      t,
    ) => html`<h4 class="fr-text--md fr-mt-2w fr-mb-1v">Test ${t.id}</h4>${t.lines.map((l) => html`<p class="fr-text--sm fr-mb-1v">${inlineMarkdown(l)}</p>`)}
  ${full && t.methodology ? html`<div class="vigie-a11y-method"><p class="fr-text--sm fr-mb-1v"><strong>Méthodologie</strong></p>${markdownBlock(t.methodology)}</div>` : ''}`,
  )}
  ${
    terms.length
      ? full
        ? html`<h4 class="fr-text--md fr-mt-2w fr-mb-1v">Glossaire</h4><dl>${terms.map((g) => html`<dt class="fr-text--sm"><strong>${g!.title}</strong></dt><dd class="fr-text--sm">${stripTags(g!.body).slice(0, 1200)}</dd>`)}</dl>`
        : html`<p class="fr-text--sm fr-mt-1w">Glossaire : ${join(
            terms.map((g) => g!.title),
            ', ',
          )} (définitions et méthodologie dans le détail du critère).</p>`
      : ''
  }
</details>`;
}

const glossaries = new WeakMap<Referential, Map<string, Referential['glossary'][number]>>();
function glossaryOf(rgaa: Referential): Map<string, Referential['glossary'][number]> {
  let g = glossaries.get(rgaa);
  if (!g) glossaries.set(rgaa, (g = new Map(rgaa.glossary.map((x) => [x.anchor, x]))));
  return g;
}

export function statusSelect(id: string, criterion: string, value: ResultStatus, extra: SafeHtml = html``): SafeHtml {
  return html`<div class="fr-select-group"><label class="fr-label" for="${id}">Statut du critère ${criterion}</label>
  <select class="fr-select" id="${id}" name="status"${extra}>${(['NT', 'C', 'NC', 'NA'] as const).map((s) => html`<option value="${s}"${s === value ? html` selected` : ''}>${STATUS_LABELS[s]}</option>`)}</select></div>`;
}

export function cellForm(o: {
  audit: AuditRow;
  page: PageRow;
  criterion: RgaaCriterion;
  cell: Cell;
  csrf: SafeHtml;
  open: boolean;
  returnTo: string;
}): SafeHtml {
  const { audit: a, page, criterion: c, cell } = o;
  const id = `c-${c.id.replace('.', '-')}`;
  if (!o.open) {
    return html`<p>${statusBadge(cell.status)}${cell.note ? html` — ${cell.note}` : ''}</p>`;
  }
  return html`<form method="post" action="${BASE}/${a.id}/grille" class="vigie-a11y-cell" data-cell="${page.id}:${c.id}">${o.csrf}
  <input type="hidden" name="page_id" value="${page.id}"><input type="hidden" name="criterion" value="${c.id}">
  <input type="hidden" name="version" value="${cell.version}"><input type="hidden" name="retour" value="${o.returnTo}">
  ${statusSelect(`${id}-statut`, c.id, cell.status)}
  <div class="fr-input-group"><label class="fr-label" for="${id}-note">Note du critère ${c.id}<span class="fr-hint-text">Piste d’amélioration d’un critère conforme, ou raison d’une non-applicabilité.</span></label>
  <textarea class="fr-input" id="${id}-note" name="note" rows="2" maxlength="5000">${cell.note}</textarea></div>
  <div class="fr-checkbox-group fr-mb-2w"><input type="checkbox" id="${id}-toutes" name="all_pages" value="1"><label class="fr-label" for="${id}-toutes">Appliquer aussi aux autres pages encore non testées</label></div>
  <button class="fr-btn fr-btn--sm" type="submit">Enregistrer le critère ${c.id}</button>
  <p class="vigie-a11y-saved fr-text--sm" role="status" aria-live="polite"></p>
</form>`;
}

function itemsSummary(a: AuditRow, page: PageRow, c: RgaaCriterion, cell: Cell): SafeHtml {
  const href = `${BASE}/${a.id}/cellule?page=${page.id}&critere=${c.id}`;
  const shown = cell.status === 'NC' ? cell.items : [];
  return html`${
    shown.length
      ? html`<ul class="fr-text--sm">${shown.map((i) => html`<li>${i.origin === 'automatic' ? html`<span class="fr-badge fr-badge--sm fr-badge--purple-glycine">automatique${i.confirmed ? '' : ', à confirmer'}</span> ` : ''}${i.description}${i.impact ? ` (impact ${IMPACT_LABELS[i.impact].toLowerCase()})` : ''}${i.quickWin ? ' — gain rapide' : ''}</li>`)}</ul>`
      : ''
  }
  <p><a class="fr-btn fr-btn--sm fr-btn--tertiary" href="${href}">${cell.status === 'NC' ? `Anomalies du critère ${c.id} (${shown.length})` : `Détail du critère ${c.id}`}<span class="fr-sr-only"> sur la page ${page.name}</span></a></p>`;
}

export function gridPage(o: {
  audit: AuditDetail;
  rgaa: Referential;
  criteria: RgaaCriterion[];
  filters: GridFilters;
  cells: Map<string, Cell>;
  conformity: Conformity;
  csrfToken: string;
  notice?: string | null;
}): SafeHtml {
  const a = o.audit;
  const open = a.status === 'in_progress';
  const csrf = csrfField(o.csrfToken);
  const f = o.filters;
  const query = `page=${f.page.id}&theme=${f.theme ?? 'toutes'}${f.status ? `&statut=${f.status}` : ''}`;
  const returnTo = `${BASE}/${a.id}/grille?${query}`;
  const shown = o.criteria.filter(
    (c) => (f.theme === null || c.themeNumber === f.theme) && (f.status === null || o.cells.get(c.id)?.status === f.status),
  );
  const themes = o.rgaa.themes.filter((t) => o.criteria.some((c) => c.themeNumber === t.number));
  return html`${STYLESHEET}
<h1>Grille : ${f.page.name}</h1>
<p class="fr-text--lead">${a.name} — ${a.procedureTitle}</p>
${auditNav(a, 'grille')}
${progressBlock(o.conformity)}
<p>Taux de conformité${open && !o.conformity.complete ? ' (provisoire)' : ''} : ${rateText(o.conformity)}.</p>
<form method="get" action="${BASE}/${a.id}/grille" class="vigie-a11y-filters fr-mb-3w">
  <div class="fr-grid-row fr-grid-row--gutters">
  <div class="fr-col-12 fr-col-md-4">${select({ name: 'page', label: 'Page', value: String(f.page.id), options: a.pages.map((p) => ({ value: String(p.id), label: `${p.position}. ${p.name}` })) })}</div>
  <div class="fr-col-12 fr-col-md-4">${select({ name: 'theme', label: 'Thématique', value: f.theme ? String(f.theme) : 'toutes', options: [{ value: 'toutes', label: 'Toutes' }, ...themes.map((t) => ({ value: String(t.number), label: `${t.number}. ${t.title}` }))] })}</div>
  <div class="fr-col-12 fr-col-md-4">${select({ name: 'statut', label: 'Statut', value: f.status ?? '', placeholder: 'Tous', options: (['NT', 'C', 'NC', 'NA'] as const).map((s) => ({ value: s, label: STATUS_LABELS[s] })) })}</div>
  </div>
  <button class="fr-btn fr-btn--secondary" type="submit">Filtrer la grille</button>
</form>
${f.page.url ? html`<p>Adresse : <a href="${f.page.url}" rel="noopener">${f.page.url}</a>${f.page.kind === 'transverse' ? '' : ''}</p>` : ''}
${f.page.kind === 'transverse' ? html`<p>Éléments transverses : une non-conformité saisie ici vaut pour chaque page de l’échantillon.</p>` : ''}
${!open ? html`<p>Cet audit est publié : la grille est en lecture seule.</p>` : ''}
<p>${countOf(shown.length, 'critère affiché', 'critères affichés')} sur ${o.criteria.length}.</p>
${themes.length > 1 ? html`<nav aria-label="Thématiques de la grille" class="fr-mb-2w"><p class="fr-text--sm fr-mb-1w">Thématiques :</p><ul class="vigie-a11y-themes">${themes.map((t) => html`<li>${f.theme === t.number ? html`<a aria-current="page" href="${BASE}/${a.id}/grille?page=${f.page.id}&theme=${t.number}${f.status ? `&statut=${f.status}` : ''}">${t.number}. ${t.title}</a>` : html`<a href="${BASE}/${a.id}/grille?page=${f.page.id}&theme=${t.number}${f.status ? `&statut=${f.status}` : ''}">${t.number}. ${t.title}</a>`}</li>`)}<li>${f.theme === null ? html`<a aria-current="page" href="${BASE}/${a.id}/grille?page=${f.page.id}&theme=toutes${f.status ? `&statut=${f.status}` : ''}">Toutes</a>` : html`<a href="${BASE}/${a.id}/grille?page=${f.page.id}&theme=toutes${f.status ? `&statut=${f.status}` : ''}">Toutes</a>`}</li></ul></nav>` : ''}
${themes
  .filter((t) => shown.some((c) => c.themeNumber === t.number))
  .map(
    (t) => html`<h2 class="fr-h4 fr-mt-4w">${t.number}. ${t.title}</h2>
${shown
  .filter((c) => c.themeNumber === t.number)
  .map((c) => {
    const cell = o.cells.get(c.id)!;
    return html`<section class="vigie-a11y-criterion fr-mb-3w" id="critere-${c.id.replace('.', '-')}" aria-labelledby="titre-${c.id.replace('.', '-')}">
  <h3 class="fr-text--lg fr-mb-1w" id="titre-${c.id.replace('.', '-')}">Critère ${c.id} <span class="vigie-a11y-current">${statusBadge(cell.status)}</span></h3>
  <p class="fr-text--sm">${inlineMarkdown(c.title)} (niveau ${c.level})</p>
  ${criterionHelp(o.rgaa, c, false)}
  ${cellForm({ audit: a, page: f.page, criterion: c, cell, csrf, open, returnTo })}
  ${itemsSummary(a, f.page, c, cell)}
</section>`;
  })}`,
  )}
<script type="module" src="${GRID_SCRIPT}"></script>`;
}

// ——— One cell: its items ———

export interface ItemFormValues {
  description?: string;
  impact?: string;
  quick_win?: string;
  recommendation?: string;
  image_alt?: string;
}

export const ITEM_FIELD_LABELS: Record<string, string> = {
  description: 'Description',
  impact: 'Impact pour l’usager',
  recommendation: 'Recommandation',
  image: 'Capture d’écran',
  image_alt: 'Texte alternatif de la capture',
};

function itemFields(prefix: string, v: ItemFormValues, errors: FieldErrors): SafeHtml {
  return html`${input({ name: `${prefix}description`, label: 'Description', textarea: true, value: v.description, error: errors.description, required: true })}
${select({ name: `${prefix}impact`, label: 'Impact pour l’usager', value: v.impact ?? '', placeholder: 'Non renseigné', error: errors.impact, options: IMPACTS.map((i) => ({ value: i.impact, label: i.label })) })}
<div class="fr-checkbox-group fr-mb-2w"><input type="checkbox" id="${prefix}quick-win" name="quick_win" value="1"${v.quick_win ? html` checked` : ''}><label class="fr-label" for="${prefix}quick-win">Gain rapide (correction simple)</label></div>
${input({ name: `${prefix}recommendation`, label: 'Recommandation', textarea: true, value: v.recommendation, error: errors.recommendation })}
<div class="fr-upload-group fr-mb-2w${errors.image ? ' fr-input-group--error' : ''}"><label class="fr-label" for="${prefix}image">Capture d’écran (facultative)<span class="fr-hint-text">PNG, JPEG, GIF ou WebP, 2 Mo au maximum.</span></label>
<input class="fr-upload" type="file" id="${prefix}image" name="image" accept="image/png,image/jpeg,image/gif,image/webp"${errors.image ? html` aria-describedby="${prefix}image-erreur" aria-invalid="true"` : ''}>
${errors.image ? html`<p class="fr-error-text" id="${prefix}image-erreur">${errors.image}</p>` : ''}</div>
${input({ name: `${prefix}image_alt`, label: 'Texte alternatif de la capture', value: v.image_alt, error: errors.image_alt })}`;
}

export function cellPage(o: {
  audit: AuditDetail;
  rgaa: Referential;
  page: PageRow;
  criterion: RgaaCriterion;
  cell: Cell;
  csrfToken: string;
  values: ItemFormValues;
  errors: FieldErrors;
  notice?: string | null;
}): SafeHtml {
  const { audit: a, page, criterion: c, cell } = o;
  const open = a.status === 'in_progress';
  const csrf = csrfField(o.csrfToken);
  const returnTo = `${BASE}/${a.id}/cellule?page=${page.id}&critere=${c.id}`;
  const q = `?_csrf=${encodeURIComponent(o.csrfToken)}`;
  return html`${STYLESHEET}
<h1>Critère ${c.id} — ${page.name}</h1>
<p class="fr-text--lead">${inlineMarkdown(c.title)}</p>
${auditNav(a, 'grille')}
<p><a class="fr-link fr-icon-arrow-left-line fr-link--icon-left" href="${BASE}/${a.id}/grille?page=${page.id}#critere-${c.id.replace('.', '-')}">Retour à la grille de ${page.name}</a></p>
${errorSummary(o.errors, ITEM_FIELD_LABELS)}
${criterionHelp(o.rgaa, c)}
<h2>Résultat</h2>
${cellForm({ audit: a, page, criterion: c, cell, csrf, open, returnTo })}
<h2>Anomalies</h2>
${cell.status !== 'NC' && cell.items.length ? html`<p>Le critère n’est pas non conforme sur cette page : ses anomalies sont conservées mais n’apparaissent pas dans le rapport.</p>` : ''}
${cell.items.length === 0 ? html`<p>Aucune anomalie.</p>` : cell.items.map((i, n) => itemBlock(a, i, n + 1, cell.version, csrf, q, open))}
${
  open
    ? html`<h3>Ajouter une anomalie</h3>
<form method="post" action="${BASE}/${a.id}/anomalies${q}" enctype="multipart/form-data" novalidate>
<input type="hidden" name="page_id" value="${page.id}"><input type="hidden" name="criterion" value="${c.id}">
${itemFields('', o.values, o.errors)}
<button class="fr-btn" type="submit">Ajouter l’anomalie</button>
</form>`
    : ''
}`;
}

function itemBlock(a: AuditRow, i: NcItem, n: number, version: number, csrf: SafeHtml, q: string, open: boolean): SafeHtml {
  const hidden = html`<input type="hidden" name="item_id" value="${i.id}"><input type="hidden" name="version" value="${version}">`;
  return html`<div class="fr-card fr-mb-3w fr-p-2w"><h3 class="fr-text--lg">Anomalie ${n}${i.origin === 'automatic' ? html` <span class="fr-badge fr-badge--sm fr-badge--purple-glycine">automatique${i.confirmed ? '' : ', à confirmer'}</span>` : ''}</h3>
  ${i.hasImage ? html`<img class="vigie-a11y-shot" src="${BASE}/${a.id}/anomalies/image?item=${i.id}" alt="${i.imageAlt}">` : ''}
  ${
    open
      ? html`<form method="post" action="${BASE}/${a.id}/anomalies/modifier${q}" enctype="multipart/form-data" novalidate>${hidden}
    ${itemFields(`i${i.id}-`, { description: i.description, impact: i.impact ?? '', quick_win: i.quickWin ? '1' : '', recommendation: i.recommendation, image_alt: i.imageAlt }, {})}
    <button class="fr-btn fr-btn--sm fr-btn--secondary" type="submit">Enregistrer l’anomalie ${n}</button></form>
    <div class="fr-btns-group fr-btns-group--inline fr-mt-1w">
    ${i.origin === 'automatic' && !i.confirmed ? html`<form method="post" action="${BASE}/${a.id}/anomalies/confirmer">${csrf}${hidden}<button class="fr-btn fr-btn--sm" type="submit">Confirmer l’anomalie ${n}</button></form>` : ''}
    <form method="post" action="${BASE}/${a.id}/anomalies/supprimer">${csrf}${hidden}<button class="fr-btn fr-btn--sm fr-btn--tertiary" type="submit">${i.origin === 'automatic' && !i.confirmed ? 'Écarter' : 'Supprimer'} l’anomalie ${n}</button></form></div>`
      : html`<p>${i.description}</p><p>Impact : ${i.impact ? IMPACT_LABELS[i.impact] : 'non renseigné'}${i.quickWin ? ' — gain rapide' : ''}</p>${i.recommendation ? html`<p>Recommandation : ${i.recommendation}</p>` : ''}`
  }
</div>`;
}

/** A stale save: the other person's value (kept), and the refused one with a way to save it anyway. */
export function conflictPage(o: {
  audit: AuditRow;
  page: PageRow;
  criterion: RgaaCriterion;
  mine: { status: ResultStatus; note: string };
  theirs: Cell;
  csrfToken: string;
  returnTo: string;
}): SafeHtml {
  const { audit: a, page, criterion: c } = o;
  return html`<h1>Critère ${c.id} : modifié entre-temps</h1>
<div class="fr-alert fr-alert--warning fr-mb-3w"><p>${o.theirs.updatedBy ?? 'Une autre personne'} a enregistré ce critère sur la page « ${page.name} » pendant que vous le modifiiez. Votre valeur n’a pas été enregistrée ; la sienne est conservée. Choisissez celle à garder.</p></div>
<div class="fr-grid-row fr-grid-row--gutters">
<div class="fr-col-12 fr-col-md-6"><h2>Valeur enregistrée (${o.theirs.updatedBy ?? 'autre auditeur'})</h2>
  <p id="valeur-enregistree">${statusBadge(o.theirs.status)}</p><p>${o.theirs.note || 'Sans note.'}</p>
  <p><a class="fr-btn fr-btn--secondary" href="${o.returnTo}">Garder cette valeur</a></p></div>
<div class="fr-col-12 fr-col-md-6"><h2>Votre valeur (non enregistrée)</h2>
  <p id="votre-valeur">${statusBadge(o.mine.status)}</p><p>${o.mine.note || 'Sans note.'}</p>
  <form method="post" action="${BASE}/${a.id}/grille">${csrfField(o.csrfToken)}
    <input type="hidden" name="page_id" value="${page.id}"><input type="hidden" name="criterion" value="${c.id}">
    <input type="hidden" name="version" value="${o.theirs.version}"><input type="hidden" name="retour" value="${o.returnTo}">
    <input type="hidden" name="status" value="${o.mine.status}"><input type="hidden" name="note" value="${o.mine.note}">
    <button class="fr-btn" type="submit">Enregistrer ma valeur à la place</button>
  </form></div>
</div>`;
}

// ——— The report ———

export function reportPage(o: {
  audit: AuditDetail;
  rgaa: Referential;
  criteria: RgaaCriterion[];
  conformity: Conformity;
  cells: Map<number, Map<string, Cell>>;
  shared: boolean;
}): SafeHtml {
  const a = o.audit;
  const c = o.conformity;
  const pageRate = new Map(c.pages.map((p) => [Number(p.id), p]));
  const themes = o.rgaa.themes.filter((t) => o.criteria.some((x) => x.themeNumber === t.number));
  const byTheme = themes.map((t) => {
    const ids = o.criteria.filter((x) => x.themeNumber === t.number).map((x) => x.id);
    let conform = 0;
    let nonConform = 0;
    let na = 0;
    let nt = 0;
    for (const id of ids) {
      const statuses = a.pages.map((p) => o.cells.get(p.id)?.get(id)?.status ?? 'NT');
      if (statuses.includes('NC')) nonConform++;
      else if (statuses.includes('C')) conform++;
      else if (statuses.every((s) => s === 'NA')) na++;
      else nt++;
    }
    return { t, conform, nonConform, na, nt };
  });
  const ncs = a.pages.flatMap((p) =>
    o.criteria.map((x) => ({ page: p, criterion: x, cell: o.cells.get(p.id)?.get(x.id) })).filter((e) => e.cell?.status === 'NC'),
  );
  const improvements = a.pages.flatMap((p) =>
    o.criteria
      .map((x) => ({ page: p, criterion: x, cell: o.cells.get(p.id)?.get(x.id) }))
      .filter((e) => e.cell?.status === 'C' && e.cell.note),
  );
  return html`${STYLESHEET}
<h1>Rapport d’audit d’accessibilité</h1>
<p class="fr-text--lead">${a.procedureTitle} — ${a.name}</p>
${o.shared ? '' : auditNav(a, 'rapport')}
${a.status === 'in_progress' ? html`<div class="fr-alert fr-alert--info fr-mb-3w"><p>Audit en cours : ce rapport est provisoire.</p></div>` : ''}
<p class="vigie-print-hide"><button class="fr-btn fr-btn--secondary" type="button" id="imprimer" hidden>Imprimer le rapport</button></p>
<h2>Résultat</h2>
<p class="fr-h3">${rateText(c)} — ${CONFORMITY_LABEL_TEXT[c.label]}</p>
${conformityBlock(c, a.status)}
<h2>Contexte de l’audit</h2>
<ul>
  <li>Type : ${AUDIT_TYPE_LABELS[a.type]} (${o.criteria.length} critères du RGAA ${a.rgaaVersion})</li>
  <li>Site : ${a.siteUrl ?? '—'}</li>
  <li>Réalisé par : ${a.auditedBy || '—'}</li>
  <li>Dates : ${a.startedOn ? formatDate(a.startedOn) : '—'} – ${a.finishedOn ? formatDate(a.finishedOn) : '—'}${a.publishedAt ? `, publié le ${formatDate(a.publishedAt)}` : ''}</li>
  <li>Outils : ${a.tools.join(', ') || '—'}</li>
</ul>
<h3>Environnements de test</h3>
${a.environments.length ? html`<ul>${a.environments.map((e) => html`<li>${environmentLabel(e)}</li>`)}</ul>` : html`<p>Non renseignés.</p>`}
<h3>Échantillon</h3>
<div class="fr-table"><table><caption>Pages de l’échantillon et leur taux</caption>
<thead><tr><th scope="col">Page</th><th scope="col">Type</th><th scope="col">Adresse</th><th scope="col">Taux de la page</th></tr></thead>
<tbody>${a.pages.map((p) => {
    const r = pageRate.get(p.id);
    return html`<tr><td>${p.name}</td><td>${kindLabel(p.kind)}</td><td>${p.url ?? '—'}</td><td>${p.kind === 'transverse' ? 'vaut pour chaque page' : r?.rate === null || r === undefined ? '—' : `${displayRate(r.rate)} %`}</td></tr>`;
  })}</tbody></table></div>
<h2>Résultats par thématique</h2>
<div class="fr-table"><table><caption>Critères par thématique</caption>
<thead><tr><th scope="col">Thématique</th><th scope="col">Conformes</th><th scope="col">Non conformes</th><th scope="col">Non applicables</th><th scope="col">Non testés</th></tr></thead>
<tbody>${byTheme.map((r) => html`<tr><th scope="row">${r.t.number}. ${r.t.title}</th><td>${r.conform}</td><td>${r.nonConform}</td><td>${r.na}</td><td>${r.nt}</td></tr>`)}</tbody></table></div>
<h2>Non-conformités</h2>
${
  ncs.length === 0
    ? html`<p>Aucune non-conformité.</p>`
    : a.pages
        .filter((p) => ncs.some((e) => e.page.id === p.id))
        .map(
          (p) => html`<h3>${p.name}</h3>
${ncs
  .filter((e) => e.page.id === p.id)
  .map(
    (e) => html`<div class="vigie-a11y-nc"><h4 class="fr-text--md">Critère ${e.criterion.id} — ${inlineMarkdown(e.criterion.title)}</h4>
${
  e.cell!.items.filter((i) => i.confirmed).length === 0
    ? html`<p>Non conforme (aucune anomalie détaillée).</p>`
    : html`<ul>${e
        .cell!.items.filter((i) => i.confirmed)
        .map(
          (i) =>
            html`<li><p class="fr-mb-1v">${i.description}</p><p class="fr-mb-1v fr-text--sm">Impact : ${i.impact ? IMPACT_LABELS[i.impact] : 'non renseigné'}${i.quickWin ? ' — gain rapide' : ''}${i.origin === 'automatic' ? ' — relevée par un scan automatique' : ''}</p>${i.recommendation ? html`<p class="fr-text--sm">Recommandation : ${i.recommendation}</p>` : ''}</li>`,
        )}</ul>`
}</div>`,
  )}`,
        )
}
${improvements.length ? html`<h2>Pistes d’amélioration</h2><ul>${improvements.map((e) => html`<li>${e.page.name}, critère ${e.criterion.id} : ${e.cell!.note}</li>`)}</ul>` : ''}
<script type="module" src="${GRID_SCRIPT}"></script>`;
}

export function scansPage(o: {
  audit: AuditRow;
  scans: { scanId: number; pageUrl: string; finishedAt: Date; findingCount: number; matches: string | null }[];
  csrfToken: string;
}): SafeHtml {
  const a = o.audit;
  return html`<h1>Scans automatiques</h1>
<p class="fr-text--lead">${a.name}</p>
${auditNav(a, 'audit')}
<p>Les résultats d’un scan deviennent des anomalies « automatiques » sur la page de l’échantillon de même adresse, à confirmer ou écarter par un auditeur. Le critère d’une page encore non testée passe « non conforme ».</p>
${
  o.scans.length === 0
    ? html`<p>Aucun scan terminé pour cette démarche.</p>`
    : html`<div class="fr-table"><table><caption>Derniers scans des pages de la démarche</caption>
<thead><tr><th scope="col">Page scannée</th><th scope="col">Terminé le</th><th scope="col">Résultats</th><th scope="col">Page de l’échantillon</th><th scope="col">Action</th></tr></thead>
<tbody>${o.scans.map(
        (
          s,
        ) => html`<tr><td>${s.pageUrl}</td><td>${formatLongDateTime(s.finishedAt)}</td><td>${s.findingCount}</td><td>${s.matches ?? 'aucune'}</td>
  <td>${s.matches ? html`<form method="post" action="${BASE}/${a.id}/scans/importer">${csrfField(o.csrfToken)}<input type="hidden" name="scan_id" value="${s.scanId}"><button class="fr-btn fr-btn--sm" type="submit">Importer<span class="fr-sr-only"> le scan de ${s.pageUrl}</span></button></form>` : ''}</td></tr>`,
      )}</tbody></table></div>`
}`;
}

export { raw };

/** The public page of an outside auditor's invitation link. */
export const INVITATION_BASE = '/invitation-auditeur';

/** The page of an outside auditor's invitation link (public): create the account, or accept when signed in. */
export function auditorInvitationPage(o: {
  invitation: AuditorInvitation;
  token: string;
  csrfToken: string;
  accountExists: boolean;
  signedInAsInvitee: boolean;
  loginHref: string;
  values?: { display_name?: string };
  errors?: FieldErrors;
}): SafeHtml {
  const i = o.invitation;
  const errors = o.errors ?? {};
  const action = `${INVITATION_BASE}/${encodeURIComponent(o.token)}`;
  const intro = html`<h1>Invitation à auditer « ${i.auditName} »</h1>
<p>${i.inviter ? html`${i.inviter} vous invite` : 'Vous êtes invité'} à réaliser l’audit d’accessibilité « ${i.auditName} » de la démarche « ${i.procedureTitle} », avec l’adresse <strong>${i.email}</strong>. Le droit d’auditeur porte sur cet audit seulement.</p>
<p>Ce lien est valable jusqu’au ${formatDateTime(i.expiresAt)} et ne sert qu’une fois.</p>`;
  if (o.accountExists) {
    return html`${intro}
${
  o.signedInAsInvitee
    ? html`<form method="post" action="${action}">${csrfField(o.csrfToken)}<button class="fr-btn" type="submit">Accepter l’invitation</button></form>`
    : html`<p>Un compte Vigie existe déjà pour cette adresse : connectez-vous avec ce compte, puis acceptez l’invitation.</p>
<p><a class="fr-btn" href="${o.loginHref}">Se connecter</a></p>`
}`;
  }
  return html`${intro}
<p>Pour accepter, créez votre compte : choisissez votre nom affiché et votre mot de passe (12 caractères au moins).</p>
${errorSummary(errors, { display_name: 'Nom affiché', password: 'Mot de passe', password_confirmation: 'Confirmation du mot de passe' })}
<form method="post" action="${action}" novalidate>${csrfField(o.csrfToken)}
${input({ name: 'display_name', label: 'Nom affiché', value: o.values?.display_name, error: errors.display_name, autocomplete: 'name', hint: 'Prénom et nom, tels que l’équipe de la démarche les verra.' })}
${input({ name: 'password', label: 'Mot de passe', type: 'password', error: errors.password, autocomplete: 'new-password', hint: '12 caractères au moins.' })}
${input({ name: 'password_confirmation', label: 'Confirmation du mot de passe', type: 'password', error: errors.password_confirmation, autocomplete: 'new-password' })}
<button class="fr-btn" type="submit">Créer mon compte et accepter</button></form>`;
}

/** The form changing one page of the sample (name, address, kind, process). */
export function pageEditPage(o: {
  audit: AuditDetail;
  page: PageRow;
  values: { page_name?: string; page_url?: string; kind?: string; process_id?: string };
  errors: FieldErrors;
  csrfToken: string;
}): SafeHtml {
  const a = o.audit;
  const v = o.values;
  return html`<h1>Modifier la page « ${o.page.name} »</h1>
<p>Audit « ${a.name} ». Les résultats de la grille de cette page sont conservés.</p>
${errorSummary(o.errors, { page_name: 'Nom de la page', page_url: 'Adresse de la page', kind: 'Type de page', process_id: 'Processus' })}
<form method="post" action="${BASE}/${a.id}/pages/modifier" novalidate>${csrfField(o.csrfToken)}<input type="hidden" name="page_id" value="${o.page.id}">
${input({ name: 'page_name', label: 'Nom de la page', value: v.page_name, error: o.errors.page_name, required: true })}
${input({ name: 'page_url', label: 'Adresse de la page', type: 'url', value: v.page_url, error: o.errors.page_url })}
${select({ name: 'kind', label: 'Type de page', required: true, value: v.kind, error: o.errors.kind, options: PAGE_KINDS.map((k) => ({ value: k.kind, label: k.mandatory ? `${k.label} (obligatoire)` : k.label })) })}
${select({ name: 'process_id', label: 'Processus', placeholder: 'Aucun', value: v.process_id, error: o.errors.process_id, options: a.processes.map((p) => ({ value: String(p.id), label: p.name })) })}
<ul class="fr-btns-group fr-btns-group--inline"><li><button class="fr-btn" type="submit">Enregistrer la page</button></li><li><a class="fr-btn fr-btn--secondary" href="${BASE}/${a.id}#echantillon">Annuler</a></li></ul></form>`;
}

/** The confirmation of an audit's deletion: everything it will erase, counted, or why it cannot be deleted. */
export function deleteAuditPage(o: { audit: AuditRow; footprint: AuditFootprint; csrfToken: string }): SafeHtml {
  const a = o.audit;
  const f = o.footprint;
  if (f.blocker) {
    return html`<h1>Supprimer l’audit « ${a.name} »</h1>
<div class="fr-alert fr-alert--error fr-mb-3w"><h2 class="fr-alert__title">Cet audit ne peut pas être supprimé</h2><p>${f.blocker}</p></div>
<p><a href="${BASE}/${a.id}">Revenir à l’audit</a></p>`;
  }
  const line = (n: number, one: string, many: string) => html`<li>${countOf(n, one, many)}</li>`;
  return html`<h1>Supprimer l’audit « ${a.name} »</h1>
<div class="fr-alert fr-alert--warning fr-mb-3w"><h2 class="fr-alert__title">La suppression est définitive</h2><p>Rien ne pourra être récupéré. Pensez à exporter la grille avant, si besoin.</p></div>
<p>Seront effacés, avec l’audit « ${a.name} » (${a.procedureTitle}) :</p>
<ul>
${line(f.pages, 'page de l’échantillon', 'pages de l’échantillon')}
${line(f.tested, 'résultat de critère saisi', 'résultats de critères saisis')}
${line(f.items, 'anomalie', 'anomalies')}
${line(f.images, 'capture d’écran', 'captures d’écran')}
${line(f.environments, 'environnement de test', 'environnements de test')}
${line(f.auditors, 'droit d’auditeur extérieur', 'droits d’auditeurs extérieurs')}
${line(f.shareLinks, 'lien de partage du rapport', 'liens de partage du rapport')}
${line(f.invitations, 'invitation en attente', 'invitations en attente')}
</ul>
<p>Le journal garde une trace de la suppression (nom de l’audit, auteur, date et ces nombres).</p>
<form method="post" action="${BASE}/${a.id}/supprimer">${csrfField(o.csrfToken)}<input type="hidden" name="confirme" value="oui">
<ul class="fr-btns-group fr-btns-group--inline"><li><button class="fr-btn" type="submit">Supprimer définitivement l’audit</button></li><li><a class="fr-btn fr-btn--secondary" href="${BASE}/${a.id}">Annuler</a></li></ul></form>`;
}
