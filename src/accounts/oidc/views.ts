import { html, type SafeHtml } from '../../kernel/web/html.ts';
import type { OidcRefusal } from './identity.ts';

/** Why the sign-in stopped, in words the agent can act on. */
export function refusalMessage(reason: OidcRefusal | 'expired' | 'cancelled' | 'invalid', label: string, email: string | null): string {
  switch (reason) {
    case 'unknown-email':
      return (
        `Aucun compte Vigie n’est associé à l’adresse ${email ?? ''} et aucune invitation n’est en attente pour elle. ` +
        `Demandez à votre référent ministériel ou à l’équipe de pilotage de vous inviter, puis reconnectez-vous avec ${label}.`
      );
    case 'unverified-email':
      return (
        `${label} ne nous a pas transmis d’adresse électronique vérifiée : nous ne pouvons pas retrouver votre compte Vigie. ` +
        'Connectez-vous avec votre adresse électronique et votre mot de passe, ou contactez l’équipe de pilotage.'
      );
    case 'disabled':
      return 'Ce compte Vigie est désactivé. Contactez l’équipe de pilotage si vous pensez qu’il s’agit d’une erreur.';
    case 'expired':
      return `La demande de connexion a expiré ou n’a pas été faite depuis ce navigateur. Recommencez la connexion avec ${label}.`;
    case 'cancelled':
      return `La connexion a été annulée ou refusée par ${label}. Vous pouvez recommencer.`;
    case 'invalid':
      return `La réponse de ${label} n’a pas pu être vérifiée : vous n’êtes pas connecté. Recommencez la connexion.`;
  }
}

export function refusalPage(title: string, message: string, label: string): SafeHtml {
  return html`<div class="fr-grid-row fr-grid-row--center fr-my-7w"><div class="fr-col-12 fr-col-md-8">
  <h1>${title}</h1>
  <div class="fr-alert fr-alert--error fr-mb-4w" role="alert"><p>${message}</p></div>
  <ul class="fr-btns-group fr-btns-group--inline-md">
    <li><a class="fr-btn" href="/connexion/oidc">Se connecter avec ${label}</a></li>
    <li><a class="fr-btn fr-btn--secondary" href="/connexion">Autres moyens de connexion</a></li>
  </ul>
</div></div>`;
}
