import type { CurrentUser } from '../../kernel/auth/scope.ts';
import { html } from '../../kernel/web/html.ts';
import { NAV_ITEMS } from '../../kernel/web/navigation.ts';

export function accessibilityPage() {
  return html`<h1>Déclaration d’accessibilité</h1>
<p>L’équipe de Vigie s’engage à rendre son service accessible conformément à l’article 47 de la loi n° 2005-102 du 11 février 2005.</p>
<h2>État de conformité</h2>
<p>Vigie est <strong>partiellement conforme</strong> avec le référentiel général d’amélioration de l’accessibilité (RGAA), version 4.1.2 :
aucun audit complet n’a encore été réalisé. Chaque page est contrôlée automatiquement (axe-core) à chaque modification du code ;
un contrôle automatique ne remplace pas un audit.</p>
<h2>Établissement de cette déclaration</h2>
<p>Technologies utilisées : HTML, CSS (Système de design de l’État), JavaScript en simple amélioration : toutes les pages fonctionnent sans JavaScript.</p>
<h2>Retour d’information et contact</h2>
<p>Si vous n’arrivez pas à accéder à un contenu ou à un service, contactez l’équipe de pilotage pour être orienté vers une alternative accessible.</p>
<h2>Voies de recours</h2>
<p>Si vous constatez un défaut d’accessibilité vous empêchant d’accéder à un contenu ou une fonctionnalité du site, que vous nous le signalez
et que vous ne parvenez pas à obtenir une réponse de notre part, vous êtes en droit de faire parvenir vos doléances ou une demande de saisine au
<a href="https://formulaire.defenseurdesdroits.fr" rel="noopener">Défenseur des droits</a>.</p>`;
}

export function legalPage() {
  return html`<h1>Mentions légales</h1>
<h2>Éditeur</h2>
<p>Vigie est un logiciel libre édité par l’équipe de pilotage de la qualité des démarches en ligne. L’instance qui vous le présente est publiée par l’administration qui l’héberge.</p>
<h2>Licence</h2>
<p>Le code source est publié sous licence libre ; les contenus sont proposés sous licence etalab-2.0.</p>`;
}

export function personalDataPage() {
  return html`<h1>Données personnelles</h1>
<p>Vigie réduit au minimum les données personnelles qu’il traite :</p>
<ul>
  <li>les adresses IP ne sont jamais conservées en clair : seule une empreinte chiffrée sert à limiter les abus ;</li>
  <li>les textes libres des usagers sont masqués avant enregistrement (adresses électroniques, numéros de téléphone, numéros de sécurité sociale, IBAN, cartes bancaires, immatriculations, numéros fiscaux) ;</li>
  <li>l’adresse électronique laissée avec un témoignage reste privée : elle ne sert qu’à prévenir son auteur d’une réponse, d’un refus de publication ou à lui demander si la réponse l’a aidé ;</li>
  <li>les comptes des agents ne contiennent que l’adresse électronique, le nom affiché et les droits accordés ;</li>
  <li>un cookie de session strictement nécessaire est déposé lors de la connexion ; aucun cookie de mesure d’audience.</li>
</ul>`;
}

export function sitemapPage(user: CurrentUser | null) {
  const items = NAV_ITEMS.filter((item) => item.visible(user));
  return html`<h1>Plan du site</h1>
<ul>
  ${items.map((item) => html`<li><a href="${item.href}">${item.label}</a></li>`)}
  <li><a href="/statistiques/avis">Statistiques publiques des avis usagers</a></li>
  <li><a href="/statistiques/bouton">Objectif : 100 % des démarches avec le bouton « Je donne mon avis »</a></li>
  <li><a href="/temoignages">Témoignages des usagers et réponses des administrations</a></li>
  <li><a href="/referentiel-rgaa">Référentiel RGAA : critères et tests d’accessibilité</a></li>
  <li><a href="/plans-accessibilite">Plans de mise en accessibilité des administrations</a></li>
  <li><a href="/accessibilite">Déclaration d’accessibilité</a></li>
  <li><a href="/mentions-legales">Mentions légales</a></li>
  <li><a href="/donnees-personnelles">Données personnelles</a></li>
  ${user ? '' : html`<li><a href="/connexion">Se connecter</a></li>`}
</ul>`;
}
