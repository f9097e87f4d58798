import { html, type SafeHtml } from '../../kernel/web/html.ts';
import { errorSummary, input, select, type FieldErrors } from '../../kernel/web/forms.ts';
import { formatDateTime } from '../../kernel/web/format.ts';
import { pagination } from './pagination.ts';

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
  actor_label: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  before: unknown;
  after: unknown;
}

function details(row: JournalRow): string {
  const parts: string[] = [];
  if (row.before !== null && row.before !== undefined) parts.push(`avant : ${JSON.stringify(row.before)}`);
  if (row.after !== null && row.after !== undefined) parts.push(`après : ${JSON.stringify(row.after)}`);
  const text = parts.join(' ; ');
  return text.length > 400 ? text.slice(0, 400) + '…' : text;
}

export function journalPage(v: { filters: JournalFilters; entityTypes: string[]; rows: JournalRow[]; page: number; hasNext: boolean; errors: FieldErrors }): SafeHtml {
  const f = v.filters;
  return html`<h1>Journal d’audit</h1>
<p>Chaque modification faite dans Vigie, avec son auteur et sa date, la plus récente d’abord.</p>
${errorSummary(v.errors, { du: 'Du', au: 'Au' })}
<form method="get" action="/admin/journal" class="fr-mb-4w">
  <fieldset class="fr-fieldset">
    <legend class="fr-fieldset__legend">Filtrer le journal</legend>
    <div class="fr-fieldset__element">${input({ name: 'acteur', label: 'Auteur (adresse électronique ou partie)', value: f.acteur })}</div>
    <div class="fr-fieldset__element">${select({ name: 'type', label: 'Type d’objet', placeholder: 'Tous', value: f.type, options: v.entityTypes.map((t) => ({ value: t, label: t })) })}</div>
    <div class="fr-fieldset__element">${input({ name: 'action', label: 'Action (par exemple user.login)', value: f.action })}</div>
    <div class="fr-fieldset__element">${input({ name: 'du', label: 'Du', type: 'date', value: f.du, error: v.errors.du, hint: 'Format attendu : AAAA-MM-JJ' })}</div>
    <div class="fr-fieldset__element">${input({ name: 'au', label: 'Au (inclus)', type: 'date', value: f.au, error: v.errors.au, hint: 'Format attendu : AAAA-MM-JJ' })}</div>
    <div class="fr-fieldset__element"><button class="fr-btn" type="submit">Filtrer</button></div>
  </fieldset>
</form>
${v.rows.length === 0
  ? html`<p>Aucune entrée ne correspond à ces critères.</p>`
  : html`<div class="fr-table vigie-table-scroll"><table>
  <caption>Entrées du journal, page ${v.page}</caption>
  <thead><tr><th scope="col">Date</th><th scope="col">Auteur</th><th scope="col">Action</th><th scope="col">Objet</th><th scope="col">Détails</th></tr></thead>
  <tbody>${v.rows.map(
    (r) => html`<tr><td class="vigie-nowrap">${formatDateTime(r.at)}</td><td>${r.actor_label ?? '–'}</td><td>${r.action}</td><td>${r.entity_type}${r.entity_id ? ` n° ${r.entity_id}` : ''}</td><td>${details(r)}</td></tr>`,
  )}</tbody>
</table></div>`}
${pagination('/admin/journal', { ...f }, v.page, v.hasNext)}`;
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
${v.smtpConfigured
  ? html`<div class="fr-alert fr-alert--info fr-mb-3w"><p>Un serveur SMTP est configuré : les courriels sont envoyés et ne sont plus conservés ici. Seuls les courriels antérieurs apparaissent.</p></div>`
  : html`<p>Aucun serveur SMTP n’est configuré (développement) : les courriels que Vigie aurait envoyés sont conservés ici.</p>`}
${v.rows.length === 0
  ? html`<p>Aucun courriel.</p>`
  : html`<div class="fr-table vigie-table-scroll"><table>
  <caption>Courriels conservés, les plus récents d’abord, page ${v.page}</caption>
  <thead><tr><th scope="col">Date</th><th scope="col">Destinataire</th><th scope="col">Objet et contenu</th></tr></thead>
  <tbody>${v.rows.map(
    (r) => html`<tr><td class="vigie-nowrap">${formatDateTime(r.at)}</td><td>${r.recipient}</td><td><details><summary>${r.subject}</summary><pre class="vigie-mail">${r.body_text}</pre></details></td></tr>`,
  )}</tbody>
</table></div>`}
${pagination('/admin/boite-envoi', {}, v.page, v.hasNext)}`;
}
