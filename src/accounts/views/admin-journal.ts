import { html, type SafeHtml } from '../../kernel/web/html.ts';
import { errorSummary, input, select, type FieldErrors } from '../../kernel/web/forms.ts';
import { formatDateTime } from '../../kernel/web/format.ts';
import { pagination } from '../../kernel/web/pagination.ts';
import { listHref } from './list-pages.ts';
import { OBJECT_TYPE_LABELS, changesList, eventSentence, type ObjectNames } from '../journal-events.ts';

function exportQuery(f: JournalFilters): string {
  const params = new URLSearchParams(Object.entries(f).filter(([, value]) => value !== ''));
  const text = params.toString();
  return text ? `?${text}` : '';
}

export interface JournalFilters {
  acteur: string;
  type: string;
  action: string;
  du: string;
  au: string;
}

export interface JournalRow {
  id: number;
  at: Date;
  actor_id: number | null;
  actor_label: string | null;
  /** The author's name today (display name, else address), else the label recorded at the time. */
  actor_name: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  before: unknown;
  after: unknown;
}

function author(r: JournalRow): SafeHtml {
  if (r.actor_id === null) return html`${r.actor_label === 'système' || !r.actor_label ? 'Vigie (automatique)' : r.actor_label}`;
  return html`<a href="/admin/utilisateurs/${r.actor_id}">${r.actor_name ?? r.actor_label ?? `compte n° ${r.actor_id}`}</a>`;
}

export function journalPage(v: {
  filters: JournalFilters;
  entityTypes: string[];
  rows: JournalRow[];
  names: ObjectNames;
  page: number;
  hasNext: boolean;
  errors: FieldErrors;
}): SafeHtml {
  const f = v.filters;
  return html`<h1>Journal d’audit</h1>
<p>Chaque modification faite dans Vigie, avec son auteur et sa date, la plus récente d’abord. Les entrées complètes
(valeurs avant et après en JSON) sont dans l’export : <a href="/admin/journal/export.json${exportQuery(f)}" download>télécharger le journal filtré (JSON)</a>.</p>
${errorSummary(v.errors, { du: 'Du', au: 'Au' })}
<form method="get" action="/admin/journal" class="fr-mb-4w">
  <fieldset class="fr-fieldset">
    <legend class="fr-fieldset__legend">Filtrer le journal</legend>
    <div class="fr-fieldset__element">${input({ name: 'acteur', label: 'Auteur (nom, adresse électronique ou partie)', value: f.acteur })}</div>
    <div class="fr-fieldset__element">${select({ name: 'type', label: 'Type d’objet', placeholder: 'Tous', value: f.type, options: v.entityTypes.map((t) => ({ value: t, label: OBJECT_TYPE_LABELS[t] ?? t })) })}</div>
    <div class="fr-fieldset__element">${input({ name: 'action', label: 'Action (par exemple user.login)', value: f.action })}</div>
    <div class="fr-fieldset__element">${input({ name: 'du', label: 'Du', type: 'date', value: f.du, error: v.errors.du, hint: 'Format attendu : AAAA-MM-JJ' })}</div>
    <div class="fr-fieldset__element">${input({ name: 'au', label: 'Au (inclus)', type: 'date', value: f.au, error: v.errors.au, hint: 'Format attendu : AAAA-MM-JJ' })}</div>
    <div class="fr-fieldset__element"><button class="fr-btn" type="submit">Filtrer</button></div>
  </fieldset>
</form>
${
  v.rows.length === 0
    ? html`<p>Aucune entrée ne correspond à ces critères.</p>`
    : html`<div class="fr-table vigie-table-scroll"><table>
  <caption>Entrées du journal, page ${v.page}</caption>
  <thead><tr><th scope="col">Date</th><th scope="col">Qui</th><th scope="col">Quoi</th><th scope="col">Changements</th></tr></thead>
  <tbody>${v.rows.map(
    (r) =>
      html`<tr><td class="vigie-nowrap">${formatDateTime(r.at)}</td><td>${author(r)}</td><td>${eventSentence(r, v.names)}</td><td>${changesList(r.before, r.after)}</td></tr>`,
  )}</tbody>
</table></div>`
}
${pagination(v.page, { hasNext: v.hasNext }, listHref('/admin/journal', { ...f }))}`;
}

export interface OutboxRow {
  id: number;
  at: Date;
  recipient: string;
  subject: string;
  body_text: string;
}

export function outboxPage(v: { smtpConfigured: boolean; rows: OutboxRow[]; page: number; hasNext: boolean }): SafeHtml {
  return html`<h1>Boîte d’envoi</h1>
${
  v.smtpConfigured
    ? html`<div class="fr-alert fr-alert--info fr-mb-3w"><p>Un serveur SMTP est configuré : les courriels sont envoyés et ne sont plus conservés ici. Seuls les courriels antérieurs apparaissent.</p></div>`
    : html`<p>Aucun serveur SMTP n’est configuré (développement) : les courriels que Vigie aurait envoyés sont conservés ici.</p>`
}
${
  v.rows.length === 0
    ? html`<p>Aucun courriel.</p>`
    : html`<div class="fr-table vigie-table-scroll"><table>
  <caption>Courriels conservés, les plus récents d’abord, page ${v.page}</caption>
  <thead><tr><th scope="col">Date</th><th scope="col">Destinataire</th><th scope="col">Objet et contenu</th></tr></thead>
  <tbody>${v.rows.map(
    (r) =>
      html`<tr><td class="vigie-nowrap">${formatDateTime(r.at)}</td><td>${r.recipient}</td><td><details><summary>${r.subject}</summary><pre class="vigie-mail">${r.body_text}</pre></details></td></tr>`,
  )}</tbody>
</table></div>`
}
${pagination(v.page, { hasNext: v.hasNext }, listHref('/admin/boite-envoi', {}))}`;
}
