import { html, type SafeHtml } from '../../kernel/web/html.ts';
import { formatDateTime, formatInteger } from '../../kernel/web/format.ts';
import { csrfField } from '../../kernel/web/forms.ts';
import type { HistoryEntry, ProcedureRow } from '../queries/procedures.ts';
import { FRANCECONNECT_LABELS, HELP_CHANNEL_LABELS, ONLINE_STATUS_LABELS, USER_CATEGORY_LABELS } from '../model.ts';

function link(url: string | null): SafeHtml | string {
  return url ? html`<a href="${url}" rel="noopener">${url}</a>` : '–';
}

const ACTIONS: Record<string, string> = {
  'procedure.create': 'Création',
  'procedure.update': 'Modification',
  'procedure.archive': 'Archivage',
  'procedure.restore': 'Restauration',
};

const SNAPSHOT_LABELS: Record<string, string> = {
  stableId: 'Identifiant stable',
  title: 'Intitulé',
  slug: 'Slug',
  description: 'Description',
  administrationId: 'Administration',
  url: 'Adresse en ligne',
  infoUrl: 'Page d’information',
  userCategories: 'Publics',
  volumeTotal: 'Volume annuel total',
  volumeOnline: 'Volume annuel en ligne',
  onlineStatus: 'Statut en ligne',
  franceconnect: 'FranceConnect',
  inScope: 'Top 250',
  helpChannels: 'Canaux d’aide',
  archived: 'Archivage',
};

/** The fields an audit entry changed, by their French names. */
function changedFields(entry: HistoryEntry): string {
  if (!entry.before || !entry.after) return '';
  const keys = Object.keys(entry.after).filter((k) => JSON.stringify(entry.before![k]) !== JSON.stringify(entry.after![k]));
  return keys.map((k) => SNAPSHOT_LABELS[k] ?? k).join(', ');
}

function history(entries: HistoryEntry[]): SafeHtml {
  if (!entries.length) return html`<p>Aucune modification enregistrée depuis la création du catalogue.</p>`;
  return html`<div class="fr-table vigie-table-scroll"><table>
  <caption>Dernières modifications de la démarche</caption>
  <thead><tr><th scope="col">Date</th><th scope="col">Auteur</th><th scope="col">Action</th><th scope="col">Champs modifiés</th></tr></thead>
  <tbody>${entries.map((e) => html`<tr><td>${formatDateTime(e.at)}</td><td>${e.actor_label ?? ''}</td><td>${ACTIONS[e.action] ?? e.action}</td><td>${changedFields(e)}</td></tr>`)}</tbody>
</table></div>`;
}

export function procedureDetailPage(
  p: ProcedureRow,
  o: { canEdit: boolean; canArchive: boolean; csrfToken: string; history: HistoryEntry[] },
): SafeHtml {
  const share = p.volume_total && p.volume_online !== null ? Math.round((p.volume_online / p.volume_total) * 1000) / 10 : null;
  return html`<h1>${p.title}</h1>
${p.archived_at ? html`<div class="fr-alert fr-alert--info fr-alert--sm fr-mb-3w"><p>Cette démarche est archivée depuis le ${formatDateTime(p.archived_at)}.</p></div>` : ''}
<p><code>${p.stable_id}</code> · ${p.administration_name} · ${p.ministry_name}</p>
${
  o.canEdit || o.canArchive
    ? html`<ul class="fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left">
  ${o.canEdit ? html`<li><a class="fr-btn fr-icon-edit-line" href="/catalogue/demarches/${p.id}/modifier">Modifier</a></li>` : ''}
  ${
    o.canArchive
      ? html`<li><form method="post" action="/catalogue/demarches/${p.id}/${p.archived_at ? 'restaurer' : 'archiver'}">${csrfField(o.csrfToken)}
      <button type="submit" class="fr-btn fr-btn--secondary ${p.archived_at ? 'fr-icon-refresh-line' : 'fr-icon-archive-line'}">${p.archived_at ? 'Restaurer' : 'Archiver'}</button></form></li>`
      : ''
  }
</ul>`
    : ''
}
<p><a class="fr-link" href="/audits-accessibilite/demarches/${p.id}">Audits d’accessibilité (RGAA) de la démarche</a></p>
<p><a class="fr-link" href="/surveillance/demarches/${p.id}">Surveillance de la démarche : disponibilité, incidents, analyses automatiques</a></p>
<h2>Description</h2>
<p>${p.description || 'Aucune description.'}</p>
<h2>Informations</h2>
<dl class="vigie-definitions">
  <dt class="fr-text--bold fr-mb-0">Identifiant stable</dt><dd class="fr-mb-1w"><code>${p.stable_id}</code></dd>
  <dt class="fr-text--bold fr-mb-0">Slug</dt><dd class="fr-mb-1w"><code>${p.slug}</code></dd>
  <dt class="fr-text--bold fr-mb-0">Administration</dt><dd class="fr-mb-1w">${p.administration_name}</dd>
  <dt class="fr-text--bold fr-mb-0">Ministère</dt><dd class="fr-mb-1w">${p.ministry_name}</dd>
  <dt class="fr-text--bold fr-mb-0">Adresse de la démarche en ligne</dt><dd class="fr-mb-1w">${link(p.url)}</dd>
  <dt class="fr-text--bold fr-mb-0">Page d’information</dt><dd class="fr-mb-1w">${link(p.info_url)}</dd>
  <dt class="fr-text--bold fr-mb-0">Publics</dt><dd class="fr-mb-1w">${p.user_categories.length ? p.user_categories.map((c) => USER_CATEGORY_LABELS[c]).join(', ') : '–'}</dd>
  <dt class="fr-text--bold fr-mb-0">Volume annuel total</dt><dd class="fr-mb-1w">${formatInteger(p.volume_total)}</dd>
  <dt class="fr-text--bold fr-mb-0">Volume annuel en ligne</dt><dd class="fr-mb-1w">${formatInteger(p.volume_online)}${share !== null ? ` (${String(share).replace('.', ',')} %)` : ''}</dd>
  <dt class="fr-text--bold fr-mb-0">Statut de dématérialisation</dt><dd class="fr-mb-1w">${ONLINE_STATUS_LABELS[p.online_status]}</dd>
  <dt class="fr-text--bold fr-mb-0">FranceConnect</dt><dd class="fr-mb-1w">${FRANCECONNECT_LABELS[p.franceconnect]}</dd>
  <dt class="fr-text--bold fr-mb-0">Top 250</dt><dd class="fr-mb-1w">${p.in_scope ? 'Oui' : 'Non'}</dd>
  <dt class="fr-text--bold fr-mb-0">Dernière modification</dt><dd class="fr-mb-1w">${formatDateTime(p.updated_at)}</dd>
</dl>
<h2>Canaux d’aide</h2>
${
  p.help_channels.length
    ? html`<div class="fr-table fr-table--no-caption"><table>
  <caption>Canaux d’aide de la démarche</caption>
  <thead><tr><th scope="col">Type</th><th scope="col">Libellé</th><th scope="col">Coordonnées</th><th scope="col">Horaires</th></tr></thead>
  <tbody>${p.help_channels.map((c) => html`<tr><td>${HELP_CHANNEL_LABELS[c.kind] ?? c.kind}</td><td>${c.label}</td><td>${c.value}</td><td>${c.hours}</td></tr>`)}</tbody>
</table></div>`
    : html`<p>Aucun canal d’aide renseigné.</p>`
}
<h2>Historique</h2>
${history(o.history)}`;
}
