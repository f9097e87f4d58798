import { html, type SafeHtml } from '../../kernel/web/html.ts';
import { formatDate } from '../../kernel/web/format.ts';
import { renderMarkdown } from '../markdown.ts';
import { STATUS_LABELS } from '../challenge-file.ts';
import { ACTION_STATUS_LABELS, MOTIVE_LABELS, type Action, type Challenge, type ChallengeProcedure, type Member } from '../queries.ts';

const date = (d: string | null) => (d ? formatDate(d) : '–');
const safeUrl = (u: string) => /^https?:\/\//i.test(u) || u.startsWith('/');

/** A reference (URL or text) as a link when it is a web address, as text otherwise. */
export function reference(value: string, label: string): SafeHtml {
  if (!value) return html`–`;
  return safeUrl(value) ? html`<a href="${value}">${label}<span class="fr-sr-only"> : ${value}</span></a>` : html`${value}`;
}

export function challengeFacts(c: Challenge, procedures: ChallengeProcedure[]): SafeHtml {
  return html`<ul>
  <li>Statut : <strong>${STATUS_LABELS[c.status]}</strong></li>
  ${c.ministry ? html`<li>Ministère : ${c.ministry}</li>` : ''}
  ${c.direction ? html`<li>Direction : ${c.direction}</li>` : ''}
  ${c.place ? html`<li>Lieu : ${c.place}</li>` : ''}
  <li>Du ${date(c.start)} au ${date(c.end)}${c.launch ? html` ; mise en service des changements le ${date(c.launch)}` : ''}</li>
  ${c.positions.length ? html`<li>Postes à pourvoir : ${c.positions.join(', ')}</li>` : ''}
  <li>Démarches : ${procedures.length ? procedures.map((p, i) => html`${i ? ', ' : ''}<a href="/observatoire/demarches/${encodeURIComponent(p.stableId)}">${p.title}</a>`) : c.procedures.join(', ') || '–'}</li>
</ul>`;
}

export function actionsTable(actions: Action[]): SafeHtml {
  if (actions.length === 0) return html`<p>Aucune action pour l’instant.</p>`;
  return html`<div class="fr-table"><table>
  <caption>Actions du défi</caption>
  <thead><tr><th scope="col">Date</th><th scope="col">Action</th><th scope="col">Responsable</th><th scope="col">Statut</th><th scope="col">Motif</th><th scope="col">Jalon de la feuille de route</th></tr></thead>
  <tbody>${actions.map(
    (
      a,
    ) => html`<tr><td>${formatDate(a.date)}</td><th scope="row">${a.title}</th><td>${a.owner || '–'}</td><td>${ACTION_STATUS_LABELS[a.status]}</td>
    <td>${a.motiveKind ? html`${MOTIVE_LABELS[a.motiveKind]} : ${reference(a.motiveRef, 'voir')}` : '–'}</td><td>${reference(a.milestoneUrl, 'jalon')}</td></tr>`,
  )}</tbody>
</table></div>`;
}

export function teamList(members: Member[]): SafeHtml {
  if (members.length === 0) return html`<p>L’équipe n’est pas encore constituée.</p>`;
  return html`<ul>${members.map((m) => html`<li>${m.name}${m.role ? ` (${m.role})` : ''}</li>`)}</ul>`;
}

/** The public page of a défi (the effect section is given by the caller). */
export function challengePage(
  c: Challenge,
  procedures: ChallengeProcedure[],
  members: Member[],
  actions: Action[],
  effect: SafeHtml,
): SafeHtml {
  return html`<h1>${c.title}</h1>
${c.description ? html`<p class="fr-text--lead">${c.description}</p>` : ''}
${challengeFacts(c, procedures)}
<div class="vigie-markdown">${renderMarkdown(c.body)}</div>
<h2>Équipe</h2>
${teamList(members)}
<h2>Actions</h2>
${actionsTable(actions)}
${effect}`;
}
