import { AFTER_SIGN_IN } from '../return-path.ts';
import { html, type SafeHtml } from '../../kernel/web/html.ts';
import { csrfField, errorSummary, input, type FieldErrors } from '../../kernel/web/forms.ts';

export interface LoginView {
  csrf: string;
  email?: string;
  returnTo: string;
  errors?: FieldErrors;
  failure?: string | null;
  oidcLabel?: string | null;
}

export function loginPage(v: LoginView): SafeHtml {
  const errors = v.errors ?? {};
  const oidcHref = `/connexion/oidc${v.returnTo !== AFTER_SIGN_IN ? `?retour=${encodeURIComponent(v.returnTo)}` : ''}`;
  return html`<div class="fr-grid-row fr-grid-row--center fr-my-7w"><div class="fr-col-12 fr-col-md-8 fr-col-lg-6">
  <h1>Se connecter à Vigie</h1>
  ${
    v.oidcLabel
      ? html`<h2 class="fr-h4">Avec votre compte professionnel</h2>
  <p><a class="fr-btn fr-btn--secondary" href="${oidcHref}">Se connecter avec ${v.oidcLabel}</a></p>
  <p class="fr-hr-or">ou</p>`
      : ''
  }
  <h2 class="fr-h4">Avec votre adresse électronique et votre mot de passe</h2>
  ${v.failure ? html`<div class="fr-alert fr-alert--error fr-mb-3w" role="alert" id="echec-connexion"><p>${v.failure}</p></div>` : ''}
  ${errorSummary(errors, { email: 'Adresse électronique', password: 'Mot de passe' })}
  <form method="post" action="/connexion" novalidate>
    ${csrfField(v.csrf)}
    <input type="hidden" name="retour" value="${v.returnTo}">
    ${input({ name: 'email', label: 'Adresse électronique', type: 'email', value: v.email, error: errors.email, required: true, autocomplete: 'username', hint: 'Format attendu : nom@exemple.gouv.fr' })}
    ${input({ name: 'password', label: 'Mot de passe', type: 'password', error: errors.password, required: true, autocomplete: 'current-password' })}
    <p><a class="fr-link" href="/mot-de-passe-oublie">Mot de passe oublié ?</a></p>
    <ul class="fr-btns-group"><li><button class="fr-btn" type="submit">Se connecter</button></li></ul>
  </form>
  <p class="fr-text--sm">Vous n’avez pas de compte ? L’accès à Vigie se fait sur invitation de l’équipe de pilotage ou de votre référent ministériel.</p>
</div></div>`;
}
