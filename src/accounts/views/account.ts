import { html, type SafeHtml } from '../../kernel/web/html.ts';
import { csrfField, errorSummary, input, type FieldErrors } from '../../kernel/web/forms.ts';
import { formatDateTime } from '../../kernel/web/format.ts';
import { PASSWORD_MIN_LENGTH } from '../passwords.ts';
import type { GrantRow } from '../users.ts';
import { grantList } from './grants.ts';
import { describeUserAgent } from '../user-agent.ts';

export interface SessionRow {
  id: number;
  id_hash: string;
  created_at: Date;
  last_seen_at: Date;
  user_agent: string | null;
}

export interface AccountView {
  csrf: string;
  email: string;
  displayName: string;
  emailVerified: boolean;
  hasPassword: boolean;
  grants: GrantRow[];
  sessions: SessionRow[];
  currentSessionId: string;
  canInvite: boolean;
  /** Active API keys of the user: « Se déconnecter de tous les appareils » offers to revoke them too. */
  activeApiKeys: number;
  profile?: { values: { display_name?: string; email?: string }; errors: FieldErrors };
  password?: { errors: FieldErrors };
}

const PROFILE_LABELS = { display_name: 'Nom affiché', email: 'Adresse électronique' };
const PASSWORD_LABELS = {
  current_password: 'Mot de passe actuel',
  password: 'Nouveau mot de passe',
  password_confirmation: 'Confirmation',
};

export function accountPage(v: AccountView): SafeHtml {
  const profileErrors = v.profile?.errors ?? {};
  const passwordErrors = v.password?.errors ?? {};
  return html`<h1>Mon compte</h1>
${
  v.emailVerified
    ? ''
    : html`<div class="fr-alert fr-alert--warning fr-mb-4w"><h2 class="fr-alert__title">Adresse électronique non vérifiée</h2>
  <p>Votre adresse ${v.email} n’est pas encore vérifiée : les invitations qui lui sont adressées ne vous seront accordées qu’après vérification.</p>
  <form method="post" action="/compte/verification">${csrfField(v.csrf)}<button class="fr-btn fr-btn--sm fr-mt-2w" type="submit">M’envoyer le lien de vérification</button></form></div>`
}
<ul class="fr-btns-group fr-btns-group--inline-md">
  <li><a class="fr-btn fr-btn--secondary" href="/compte/cles-api">Mes clés d’API</a></li>
  ${v.canInvite ? html`<li><a class="fr-btn fr-btn--secondary" href="/compte/invitations">Inviter un utilisateur</a></li>` : ''}
</ul>

<h2>Mes droits</h2>
${grantList(v.grants)}

<h2>Profil</h2>
${errorSummary(profileErrors, PROFILE_LABELS)}
<form method="post" action="/compte/profil" novalidate>
  ${csrfField(v.csrf)}
  ${input({ name: 'display_name', label: PROFILE_LABELS.display_name, value: v.profile?.values.display_name ?? v.displayName, error: profileErrors.display_name, autocomplete: 'name', hint: '100 caractères au maximum.' })}
  ${input({ name: 'email', label: PROFILE_LABELS.email, type: 'email', value: v.profile?.values.email ?? v.email, error: profileErrors.email, required: true, autocomplete: 'email', hint: 'Une nouvelle adresse devra être vérifiée.' })}
  <button class="fr-btn" type="submit">Enregistrer le profil</button>
</form>

<h2>${v.hasPassword ? 'Changer de mot de passe' : 'Définir un mot de passe'}</h2>
${errorSummary(passwordErrors, PASSWORD_LABELS)}
<form method="post" action="/compte/mot-de-passe" novalidate>
  ${csrfField(v.csrf)}
  ${v.hasPassword ? input({ name: 'current_password', label: PASSWORD_LABELS.current_password, type: 'password', error: passwordErrors.current_password, required: true, autocomplete: 'current-password' }) : ''}
  ${input({ name: 'password', label: PASSWORD_LABELS.password, type: 'password', error: passwordErrors.password, required: true, autocomplete: 'new-password', hint: `${PASSWORD_MIN_LENGTH} caractères au minimum. Vos autres sessions seront fermées.` })}
  ${input({ name: 'password_confirmation', label: PASSWORD_LABELS.password_confirmation, type: 'password', error: passwordErrors.password_confirmation, required: true, autocomplete: 'new-password' })}
  <button class="fr-btn" type="submit">Enregistrer le mot de passe</button>
</form>

<h2>Mes sessions</h2>
<div class="fr-table vigie-table-scroll"><table>
  <caption>Appareils connectés à votre compte</caption>
  <thead><tr><th scope="col">Ouverte le</th><th scope="col">Dernière activité</th><th scope="col">Navigateur et système</th><th scope="col">Session</th></tr></thead>
  <tbody>${v.sessions.map((s) => sessionRow(s, s.id_hash === v.currentSessionId, v.csrf))}</tbody>
</table></div>
<form method="post" action="/compte/sessions/fermer">
  ${csrfField(v.csrf)}
  ${
    v.activeApiKeys > 0
      ? html`<div class="fr-checkbox-group fr-mb-2w">
    <input type="checkbox" id="revoquer-cles" name="revoquer_cles" value="oui">
    <label class="fr-label" for="revoquer-cles">Révoquer aussi mes clés d’API (${v.activeApiKeys === 1 ? '1 clé active' : `${v.activeApiKeys} clés actives`})
      <span class="fr-hint-text">Les sessions fermées ne ferment pas les clés d’API : une clé copiée ailleurs continue de fonctionner tant qu’elle n’est pas révoquée.</span></label>
  </div>`
      : ''
  }
  <button class="fr-btn fr-btn--secondary" type="submit">Se déconnecter de tous les appareils</button>
</form>`;
}

/** The current session is only marked; any other one can be revoked on its own. */
function sessionRow(s: SessionRow, current: boolean, csrf: string): SafeHtml {
  const opened = formatDateTime(s.created_at);
  const device = describeUserAgent(s.user_agent);
  const action = current
    ? html`<p class="fr-badge fr-badge--info fr-badge--no-icon">Cette session</p>`
    : html`<form method="post" action="/compte/sessions/${s.id}/revoquer">${csrfField(csrf)}<button class="fr-btn fr-btn--sm fr-btn--tertiary" type="submit">Révoquer<span class="fr-sr-only"> la session ouverte le ${opened} (${device})</span></button></form>`;
  return html`<tr><td>${opened}</td><td>${formatDateTime(s.last_seen_at)}</td><td>${device}</td><td>${action}</td></tr>`;
}
