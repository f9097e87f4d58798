import { html, type SafeHtml } from '../../kernel/web/html.ts';
import { csrfField, errorSummary, input, type FieldErrors } from '../../kernel/web/forms.ts';
import { formatDateTime } from '../../kernel/web/format.ts';
import type { InvitationView } from '../invitations.ts';
import { INVITATION_DAYS } from '../invitations.ts';
import { grantFields, type GrantChoices, type GrantValues } from './grant-form.ts';
import { grantLabel } from './grants.ts';

export interface InvitationsView {
  csrf: string;
  choices: GrantChoices;
  invitations: InvitationView[];
  values?: GrantValues & { email?: string };
  errors?: FieldErrors;
}

function status(i: InvitationView, csrf: string): SafeHtml | string {
  if (i.accepted) return 'Acceptée';
  if (!i.usable) return 'Expirée ou annulée';
  return html`En attente
    <form method="post" action="/compte/invitations/${i.id}/annuler">${csrfField(csrf)}<button class="fr-btn fr-btn--sm fr-btn--tertiary" type="submit">Annuler<span class="fr-sr-only"> l’invitation de ${i.email}</span></button></form>`;
}

export function invitationsPage(v: InvitationsView): SafeHtml {
  const errors = v.errors ?? {};
  return html`<h1>Inviter un utilisateur</h1>
<p>La personne invitée reçoit un courriel avec un lien valable ${INVITATION_DAYS} jours, utilisable une seule fois. Le rôle lui est accordé dès qu’elle accepte.</p>
${errorSummary(errors, { email: 'Adresse électronique', role: 'Rôle', ministry_id: 'Ministère', administration_id: 'Administration', procedure: 'Démarche' })}
<form method="post" action="/compte/invitations" novalidate>
  ${csrfField(v.csrf)}
  ${input({ name: 'email', label: 'Adresse électronique de la personne invitée', type: 'email', value: v.values?.email, error: errors.email, required: true, hint: 'Format attendu : nom@exemple.gouv.fr' })}
  ${grantFields(v.choices, v.values ?? {}, errors)}
  <button class="fr-btn" type="submit">Envoyer l’invitation</button>
</form>
<h2 class="fr-mt-6w">Invitations envoyées</h2>
${
  v.invitations.length === 0
    ? html`<p>Aucune invitation envoyée.</p>`
    : html`<div class="fr-table vigie-table-scroll"><table>
  <caption>Invitations envoyées, les plus récentes d’abord</caption>
  <thead><tr><th scope="col">Adresse</th><th scope="col">Rôle</th><th scope="col">Invité par</th><th scope="col">Expire le</th><th scope="col">État</th></tr></thead>
  <tbody>${v.invitations.map((i) => html`<tr><td>${i.email}</td><td>${grantLabel(i)}</td><td>${i.inviter ?? '–'}</td><td>${formatDateTime(i.expires_at)}</td><td>${status(i, v.csrf)}</td></tr>`)}</tbody>
</table></div>`
}`;
}
