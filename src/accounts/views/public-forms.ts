import { html, type SafeHtml } from '../../kernel/web/html.ts';
import { csrfField, errorSummary, input, type FieldErrors } from '../../kernel/web/forms.ts';
import { PASSWORD_MIN_LENGTH } from '../passwords.ts';

const narrow = (content: SafeHtml) =>
  html`<div class="fr-grid-row fr-grid-row--center fr-my-7w"><div class="fr-col-12 fr-col-md-8 fr-col-lg-6">${content}</div></div>`;

const PASSWORD_LABELS = {
  display_name: 'Nom affiché',
  password: 'Mot de passe',
  password_confirmation: 'Confirmation du mot de passe',
  email: 'Adresse électronique',
};

function passwordFields(errors: FieldErrors): SafeHtml {
  return html`${input({ name: 'password', label: PASSWORD_LABELS.password, type: 'password', error: errors.password, required: true, autocomplete: 'new-password', hint: `${PASSWORD_MIN_LENGTH} caractères au minimum. Une phrase de passe facile à retenir convient très bien.` })}
  ${input({ name: 'password_confirmation', label: PASSWORD_LABELS.password_confirmation, type: 'password', error: errors.password_confirmation, required: true, autocomplete: 'new-password' })}`;
}

export function forgotPasswordPage(csrf: string, email = '', errors: FieldErrors = {}): SafeHtml {
  return narrow(html`<h1>Mot de passe oublié</h1>
  <p>Saisissez l’adresse électronique de votre compte : si elle correspond à un compte, vous recevrez un lien pour choisir un nouveau mot de passe, valable 1 heure.</p>
  ${errorSummary(errors, PASSWORD_LABELS)}
  <form method="post" action="/mot-de-passe-oublie" novalidate>
    ${csrfField(csrf)}
    ${input({ name: 'email', label: PASSWORD_LABELS.email, type: 'email', value: email, error: errors.email, required: true, autocomplete: 'email', hint: 'Format attendu : nom@exemple.gouv.fr' })}
    <button class="fr-btn" type="submit">Recevoir le lien</button>
  </form>`);
}

export function forgotPasswordSentPage(): SafeHtml {
  return narrow(html`<h1>Vérifiez votre messagerie</h1>
  <p>Si un compte actif correspond à cette adresse, un courriel vient de lui être envoyé avec un lien valable 1 heure.
  Pensez à regarder dans les courriels indésirables.</p>
  <p><a class="fr-link" href="/connexion">Retour à la connexion</a></p>`);
}

export function invalidLinkPage(): SafeHtml {
  return narrow(html`<h1>Lien invalide ou expiré</h1>
  <p>Ce lien n’est plus valable : il a déjà servi, il a expiré, ou il est incomplet.</p>
  <ul class="fr-btns-group fr-btns-group--inline-md">
    <li><a class="fr-btn" href="/mot-de-passe-oublie">Demander un nouveau lien</a></li>
    <li><a class="fr-btn fr-btn--secondary" href="/connexion">Se connecter</a></li>
  </ul>`);
}

export function resetPasswordPage(csrf: string, token: string, errors: FieldErrors = {}, activeApiKeys = 0): SafeHtml {
  const keys = activeApiKeys === 1 ? 'votre clé d’API active sera révoquée' : `vos ${activeApiKeys} clés d’API actives seront révoquées`;
  return narrow(html`<h1>Choisir un nouveau mot de passe</h1>
  <p>Le nouveau mot de passe ferme toutes les sessions ouvertes sur votre compte${activeApiKeys > 0 ? `, et ${keys} (vous pourrez en créer de nouvelles)` : ''}.</p>
  ${errorSummary(errors, PASSWORD_LABELS)}
  <form method="post" action="/reinitialisation-mot-de-passe" novalidate>
    ${csrfField(csrf)}
    <input type="hidden" name="jeton" value="${token}">
    ${passwordFields(errors)}
    <button class="fr-btn" type="submit">Enregistrer le mot de passe</button>
  </form>`);
}

export function verifyEmailPage(csrf: string, token: string, email: string): SafeHtml {
  return narrow(html`<h1>Vérifier mon adresse électronique</h1>
  <p>Confirmez que l’adresse ${email} est bien la vôtre.</p>
  <form method="post" action="/verification-adresse">
    ${csrfField(csrf)}
    <input type="hidden" name="jeton" value="${token}">
    <button class="fr-btn" type="submit">Confirmer mon adresse</button>
  </form>`);
}

export interface InvitationPageView {
  csrf: string;
  token: string;
  email: string;
  what: string;
  inviter: string | null;
  /** An account exists for the address: sign in (as that account) and accept. */
  existingAccount: boolean;
  signedInAsInvitee: boolean;
  values?: { display_name?: string };
  errors?: FieldErrors;
}

export function invitationPage(v: InvitationPageView): SafeHtml {
  const errors = v.errors ?? {};
  const action = `/invitation/${encodeURIComponent(v.token)}`;
  const intro = html`<h1>Invitation à rejoindre Vigie</h1>
  <p>${v.inviter ? html`${v.inviter} vous invite` : 'Vous êtes invité'} à rejoindre Vigie avec l’adresse <strong>${v.email}</strong>, avec le rôle : ${v.what}.</p>`;
  if (v.existingAccount) {
    return narrow(html`${intro}
    ${
      v.signedInAsInvitee
        ? html`<form method="post" action="${action}">${csrfField(v.csrf)}<button class="fr-btn" type="submit">Accepter l’invitation</button></form>`
        : html`<p>Un compte existe déjà pour cette adresse : connectez-vous avec ce compte pour accepter l’invitation.</p>
    <p><a class="fr-btn" href="/connexion?retour=${encodeURIComponent(action)}">Se connecter</a></p>`
    }`);
  }
  return narrow(html`${intro}
  <p>Pour accepter, choisissez votre mot de passe : votre compte sera créé avec cette adresse.</p>
  ${errorSummary(errors, PASSWORD_LABELS)}
  <form method="post" action="${action}" novalidate>
    ${csrfField(v.csrf)}
    ${input({ name: 'display_name', label: PASSWORD_LABELS.display_name, value: v.values?.display_name, error: errors.display_name, autocomplete: 'name', hint: 'Prénom et nom, tels que vos collègues les verront.' })}
    ${passwordFields(errors)}
    <button class="fr-btn" type="submit">Créer mon compte</button>
  </form>`);
}

/** The unlock link of the lock-out notice shows a button: mail scanners that open links do not spend the token. */
export function unlockPage(csrf: string, token: string, email: string): SafeHtml {
  return narrow(html`<h1>Débloquer mon compte</h1>
  <p>La connexion par mot de passe au compte ${email} est bloquée après plusieurs échecs. Si c’est vous qui vous êtes
  trompé de mot de passe, vous pouvez la débloquer dès maintenant.</p>
  <p>Un nouvel échec bloquera de nouveau le compte, plus longtemps. Si vous ne retrouvez pas votre mot de passe,
  <a href="/mot-de-passe-oublie">choisissez-en un nouveau</a>.</p>
  <form method="post" action="/deblocage-compte">
    ${csrfField(csrf)}
    <input type="hidden" name="jeton" value="${token}">
    <button class="fr-btn" type="submit">Débloquer mon compte</button>
  </form>`);
}
