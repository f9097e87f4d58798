import type { CurrentUser } from '../../kernel/auth/scope.ts';
import { hasAnyGrant } from '../../kernel/auth/scope.ts';
import { html } from '../../kernel/web/html.ts';

export function homePage(user: CurrentUser | null) {
  return html`<h1>Vigie, la qualité des démarches en ligne</h1>
<p class="fr-text--lead">Vigie mesure et fait progresser la qualité des démarches administratives en ligne : sont-elles réalisables en ligne,
les usagers en sont-ils satisfaits, sont-elles accessibles, disponibles et rapides, l’aide est-elle joignable ?</p>
<div class="fr-grid-row fr-grid-row--gutters">
  <div class="fr-col-12 fr-col-md-6">
    <div class="fr-card fr-enlarge-link">
      <div class="fr-card__body"><div class="fr-card__content">
        <h2 class="fr-card__title"><a href="/observatoire">L’observatoire</a></h2>
        <p class="fr-card__desc">Le tableau public des démarches essentielles et de leurs indicateurs de qualité, édition par édition.</p>
      </div></div>
    </div>
  </div>
  <div class="fr-col-12 fr-col-md-6">
    <div class="fr-card fr-enlarge-link">
      <div class="fr-card__body"><div class="fr-card__content">
        ${
          hasAnyGrant(user)
            ? html`<h2 class="fr-card__title"><a href="/catalogue">Le catalogue des démarches</a></h2>
            <p class="fr-card__desc">Les ministères, administrations et démarches de votre périmètre.</p>`
            : html`<h2 class="fr-card__title"><a href="/connexion">Espace des administrations</a></h2>
            <p class="fr-card__desc">Équipes de démarche, référents et équipe de pilotage : connectez-vous pour suivre vos démarches.</p>`
        }
      </div></div>
    </div>
  </div>
</div>`;
}
