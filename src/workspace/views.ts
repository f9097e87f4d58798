import { html, type SafeHtml } from '../kernel/web/html.ts';
import { countOf, editionPhrase, formatDate, formatDateTime } from '../kernel/web/format.ts';
import { ROLE_LABELS, type CurrentUser } from '../kernel/auth/scope.ts';
import { LISTED, needsAttention, type ProcedureAttention, type Workspace } from './attention.ts';

function one(value: number): string {
  return new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 }).format(value);
}

/** What needs attention on one procedure, each item a link to where it is dealt with. */
function items(p: ProcedureAttention, w: Workspace): SafeHtml {
  const lines: SafeHtml[] = [];
  for (const r of p.newReviews) {
    if (r.count === 0) continue;
    const since = r.since ? `depuis votre dernière visite (${formatDateTime(r.since)})` : 'ces 30 derniers jours';
    lines.push(
      html`<li><a href="/avis/formulaires/${r.formId}/reponses">${countOf(r.count, 'nouvel avis', 'nouveaux avis')}</a> ${since} · ${r.formName}</li>`,
    );
  }
  for (const a of p.alerts) {
    lines.push(
      html`<li><a href="/avis/demarches/${p.id}">Alerte : satisfaction sous ${one(a.threshold)} / 10</a> le ${formatDate(a.at)} · ${a.formName}</li>`,
    );
  }
  if (p.missingValues.length && w.draftEdition) {
    lines.push(
      html`<li><a href="/observatoire/admin/valeurs/${p.id}">${countOf(p.missingValues.length, 'valeur manquante', 'valeurs manquantes')}</a> pour l’${editionPhrase(w.draftEdition.name)} : ${p.missingValues.join(', ')}</li>`,
    );
  }
  for (const d of p.drafts) {
    lines.push(
      html`<li><a href="/avis/formulaires/${d.formId}">Brouillon non publié</a> du questionnaire ${d.formName} (version ${d.version}, du ${formatDate(d.createdAt)})</li>`,
    );
  }
  return lines.length ? html`<ul class="fr-mb-0">${lines}</ul>` : html`<p class="fr-mb-0">Rien à traiter.</p>`;
}

function roles(user: CurrentUser): string {
  const labels = [...new Set(user.grants.map((g) => ROLE_LABELS[g.role]))];
  return labels.join(', ');
}

/** « Mes démarches »: where a signed-in person lands, with what needs their attention first. */
export function workspacePage(user: CurrentUser, w: Workspace): SafeHtml {
  const pending = w.procedures.filter(needsAttention);
  const reviews = pending.reduce((n, p) => n + p.newReviews.reduce((m, r) => m + r.count, 0), 0);
  const alerts = pending.reduce((n, p) => n + p.alerts.length, 0);
  const missing = pending.filter((p) => p.missingValues.length > 0).length;
  const drafts = pending.reduce((n, p) => n + p.drafts.length, 0) + w.draftEditions.length;
  const admin = user.grants.some((g) => g.role === 'admin');
  // Values and drafts are for those who may change a procedure; a reader's page leaves them out.
  const editor = user.grants.some((g) => g.role !== 'procedure_reader');
  if (user.grants.length === 0) {
    return html`<h1>Mes démarches</h1>
<p>Aucune démarche ne vous est confiée pour l’instant : la personne qui gère votre administration peut vous inviter (rôle et périmètre).</p>
<p>En attendant, l’<a href="/observatoire">observatoire</a> est public.</p>`;
  }
  return html`<h1>Mes démarches</h1>
<p>${user.displayName || user.email} — ${roles(user)} : ${admin ? `tout le catalogue (${countOf(w.total, 'démarche')})` : countOf(w.total, 'démarche')}.</p>
<h2>À traiter</h2>
<ul>
  <li>${countOf(reviews, 'nouvel avis', 'nouveaux avis')}</li>
  <li>${countOf(alerts, 'alerte', 'alertes')} de satisfaction (30 derniers jours)</li>
  ${
    editor
      ? html`<li>${w.draftEdition ? html`${countOf(missing, 'démarche', 'démarches')} avec des valeurs manquantes pour l’${editionPhrase(w.draftEdition.name)} (fin de la fenêtre : ${formatDate(w.draftEdition.windowEnd)})` : 'Aucune édition en préparation : pas de valeur en retard'}</li>
  <li>${countOf(drafts, 'brouillon', 'brouillons')} à publier</li>`
      : ''
  }
</ul>
${
  w.draftEditions.length
    ? html`<h2>Éditions en préparation</h2><ul>${w.draftEditions.map((e) => html`<li><a href="/observatoire/admin/editions/${e.id}">${e.name}</a> (fenêtre jusqu’au ${formatDate(e.windowEnd)})</li>`)}</ul>`
    : ''
}
<h2>${admin ? 'Démarches qui demandent votre attention' : 'Vos démarches'}</h2>
${
  w.procedures.length === 0
    ? html`<p>${admin ? 'Aucune démarche ne demande votre attention.' : 'Aucune démarche dans votre périmètre.'}</p>`
    : html`<div class="fr-table vigie-table-scroll"><table>
  <caption>${admin ? 'Démarches avec de nouveaux avis, une alerte, des valeurs manquantes ou un brouillon' : 'Vos démarches, celles qui demandent votre attention d’abord'}${w.procedures.length === LISTED ? ` (les ${LISTED} premières)` : ''}</caption>
  <thead><tr><th scope="col">Démarche</th><th scope="col">Administration</th><th scope="col">À traiter</th></tr></thead>
  <tbody>${w.procedures.map((p) => html`<tr><th scope="row"><a href="/catalogue/demarches/${p.id}">${p.title}</a></th><td>${p.administration}</td><td>${items(p, w)}</td></tr>`)}</tbody>
</table></div>`
}
<p><a href="/catalogue">Tout le catalogue</a> · <a href="/avis">Avis des usagers</a> · <a href="/observatoire">Observatoire</a></p>`;
}
