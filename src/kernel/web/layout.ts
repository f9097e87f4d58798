import type { CurrentUser } from '../auth/scope.ts';
import { html, type SafeHtml } from './html.ts';
import { NAV_ITEMS } from './navigation.ts';
import { lightStyles, publicStyles } from './light-styles.ts';

export interface Crumb {
  label: string;
  href?: string;
}

export interface Notice {
  type: 'success' | 'info' | 'warning' | 'error';
  text: string;
}

export interface PageOptions {
  title: string;
  content: SafeHtml;
  breadcrumb?: Crumb[];
  notice?: Notice | null;
  /** Extra module scripts (paths under /assets), loaded with `defer`. */
  scripts?: string[];
  /** A page without the back-office chrome (public questionnaire, embedded views). */
  bare?: boolean;
  /**
   * 'light': one small stylesheet (DSFR core and the form components, regular font face only), no icons stylesheet and
   * no DSFR script, to keep a first visit under 100 KB. 'public': the light stylesheet of public pages (more components,
   * the header's icons) with the DSFR script, first visit under 150 KB. Default: 'light' for bare pages, 'full' otherwise.
   */
  styles?: 'full' | 'light' | 'public';
  lang?: 'fr' | 'en';
}

export interface PageContext {
  user: CurrentUser | null;
  csrfToken: string;
  path: string;
  isDemo: boolean;
  /** Where the header's « Se déconnecter » form posts. */
  logoutAction: string;
}

const DSFR = '/assets/dsfr';

function header(ctx: PageContext): SafeHtml {
  const items = NAV_ITEMS.filter((item) => item.visible(ctx.user));
  const current = (href: string) => (href === '/' ? ctx.path === '/' : ctx.path === href || ctx.path.startsWith(href + '/'));
  const tools = ctx.user
    ? html`<li><a class="fr-btn fr-icon-account-circle-line" href="/compte">${ctx.user.displayName || ctx.user.email}</a></li>
        <li><form method="post" action="${ctx.logoutAction}" class="vigie-inline-form">
          <input type="hidden" name="_csrf" value="${ctx.csrfToken}">
          <button type="submit" class="fr-btn fr-icon-logout-box-r-line">Se déconnecter</button>
        </form></li>`
    : html`<li><a class="fr-btn fr-icon-lock-line" href="/connexion">Se connecter</a></li>`;
  return html`<header role="banner" class="fr-header">
  <div class="fr-header__body">
    <div class="fr-container">
      <div class="fr-header__body-row">
        <div class="fr-header__brand fr-enlarge-link">
          <div class="fr-header__brand-top">
            <div class="fr-header__logo"><p class="fr-logo">République<br>Française</p></div>
            <div class="fr-header__navbar">
              <button class="fr-btn--menu fr-btn" data-fr-opened="false" aria-controls="modal-menu" aria-haspopup="menu" id="button-menu" title="Menu">Menu</button>
            </div>
          </div>
          <div class="fr-header__service">
            <a href="/" title="Accueil - Vigie"><p class="fr-header__service-title">Vigie</p></a>
            <p class="fr-header__service-tagline">Qualité des démarches en ligne</p>
          </div>
        </div>
        <div class="fr-header__tools">
          <div class="fr-header__tools-links"><ul class="fr-btns-group">${tools}</ul></div>
        </div>
      </div>
    </div>
  </div>
  <div class="fr-header__menu fr-modal" id="modal-menu" aria-labelledby="button-menu">
    <div class="fr-container">
      <button class="fr-btn--close fr-btn" aria-controls="modal-menu" title="Fermer">Fermer</button>
      <div class="fr-header__menu-links"></div>
      <nav class="fr-nav" id="navigation" role="navigation" aria-label="Menu principal">
        <ul class="fr-nav__list">
          ${items.map(
            (item) =>
              html`<li class="fr-nav__item"><a class="fr-nav__link" href="${item.href}"${current(item.href) ? html` aria-current="page"` : ''}>${item.label}</a></li>`,
          )}
        </ul>
      </nav>
    </div>
  </div>
</header>`;
}

function breadcrumb(crumbs: Crumb[]): SafeHtml {
  if (crumbs.length === 0) return html``;
  return html`<nav role="navigation" class="fr-breadcrumb" aria-label="vous êtes ici :">
  <button class="fr-breadcrumb__button" aria-expanded="false" aria-controls="breadcrumb">Voir le fil d’Ariane</button>
  <div class="fr-collapse" id="breadcrumb">
    <ol class="fr-breadcrumb__list">
      <li><a class="fr-breadcrumb__link" href="/">Accueil</a></li>
      ${crumbs.map((c, i) =>
        i === crumbs.length - 1 || !c.href
          ? html`<li><a class="fr-breadcrumb__link" aria-current="page">${c.label}</a></li>`
          : html`<li><a class="fr-breadcrumb__link" href="${c.href}">${c.label}</a></li>`,
      )}
    </ol>
  </div>
</nav>`;
}

function footer(): SafeHtml {
  return html`<footer class="fr-footer" role="contentinfo" id="pied-de-page">
  <div class="fr-container">
    <div class="fr-footer__body">
      <div class="fr-footer__brand fr-enlarge-link">
        <a href="/" title="Retour à l’accueil du site - Vigie"><p class="fr-logo">République<br>Française</p></a>
      </div>
      <div class="fr-footer__content">
        <p class="fr-footer__content-desc">Vigie mesure et améliore la qualité des démarches administratives en ligne : catalogue, observatoire, avis et témoignages des usagers, accessibilité, disponibilité, aide aux usagers et défis d’amélioration.</p>
        <ul class="fr-footer__content-list">
          <li class="fr-footer__content-item"><a class="fr-footer__content-link" href="https://www.info.gouv.fr" rel="noopener">info.gouv.fr</a></li>
          <li class="fr-footer__content-item"><a class="fr-footer__content-link" href="https://www.service-public.fr" rel="noopener">service-public.fr</a></li>
          <li class="fr-footer__content-item"><a class="fr-footer__content-link" href="https://www.legifrance.gouv.fr" rel="noopener">legifrance.gouv.fr</a></li>
          <li class="fr-footer__content-item"><a class="fr-footer__content-link" href="https://www.data.gouv.fr" rel="noopener">data.gouv.fr</a></li>
        </ul>
      </div>
    </div>
    <div class="fr-footer__bottom">
      <ul class="fr-footer__bottom-list">
        <li class="fr-footer__bottom-item"><a class="fr-footer__bottom-link" href="/plan-du-site">Plan du site</a></li>
        <li class="fr-footer__bottom-item"><a class="fr-footer__bottom-link" href="/accessibilite">Accessibilité : partiellement conforme</a></li>
        <li class="fr-footer__bottom-item"><a class="fr-footer__bottom-link" href="/mentions-legales">Mentions légales</a></li>
        <li class="fr-footer__bottom-item"><a class="fr-footer__bottom-link" href="/donnees-personnelles">Données personnelles</a></li>
      </ul>
      <div class="fr-footer__bottom-copy">
        <p>Sauf mention explicite de propriété intellectuelle détenue par des tiers, les contenus de ce site sont proposés sous <a href="https://github.com/etalab/licence-ouverte/blob/master/LO.md" rel="noopener">licence etalab-2.0</a></p>
      </div>
    </div>
  </div>
</footer>`;
}

function noticeBlock(notice: Notice | null | undefined): SafeHtml {
  if (!notice) return html``;
  return html`<div class="fr-alert fr-alert--${notice.type} fr-alert--sm fr-mb-4w" role="${notice.type === 'error' ? 'alert' : 'status'}"><p>${notice.text}</p></div>`;
}

/** The whole HTML document: DSFR header, skip links, breadcrumb, main content and footer. */
export function layout(options: PageOptions, ctx: PageContext): string {
  const lang = options.lang ?? 'fr';
  const styles = options.styles ?? (options.bare ? 'light' : 'full');
  const light = styles === 'light';
  const demoBanner =
    ctx.isDemo && !options.bare
      ? html`<div class="fr-notice fr-notice--info" role="region" aria-label="Données de démonstration"><div class="fr-container"><div class="fr-notice__body"><p class="fr-notice__title">Données de démonstration : le catalogue, les comptes et les valeurs affichés sont fictifs ou illustratifs.</p></div></div></div>`
      : html``;
  const doc = html`<!doctype html>
<html lang="${lang}" data-fr-scheme="light">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} – Vigie</title>
${
  light
    ? html`<link rel="stylesheet" href="${lightStyles().href}">`
    : styles === 'public'
      ? html`<link rel="stylesheet" href="${publicStyles().href}">`
      : html`<link rel="stylesheet" href="${DSFR}/dsfr.min.css">
<link rel="stylesheet" href="${DSFR}/utility/icons/icons.min.css">
<link rel="stylesheet" href="/assets/vigie/vigie.css">`
}
<link rel="icon" href="${DSFR}/favicon/favicon.svg" type="image/svg+xml">
</head>
<body>
<div class="fr-skiplinks">
  <nav class="fr-container" role="navigation" aria-label="Accès rapide">
    <ul class="fr-skiplinks__list">
      <li><a class="fr-link" href="#contenu">Contenu</a></li>
      ${options.bare ? '' : html`<li><a class="fr-link" href="#navigation">Menu</a></li>`}
      <li><a class="fr-link" href="#pied-de-page">Pied de page</a></li>
    </ul>
  </nav>
</div>
${options.bare ? '' : header(ctx)}
${demoBanner}
<main id="contenu" role="main" tabindex="-1">
  <div class="fr-container fr-mt-4w fr-mb-8w">
    ${options.bare ? '' : breadcrumb(options.breadcrumb ?? [])}
    ${noticeBlock(options.notice)}
    ${options.content}
  </div>
</main>
${footer()}
${
  light
    ? ''
    : html`<script type="module" src="${DSFR}/dsfr.module.min.js"></script>
<script nomodule src="${DSFR}/dsfr.nomodule.min.js"></script>`
}
${(options.scripts ?? []).map((src) => html`<script type="module" src="${src}"></script>`)}
</body>
</html>`;
  return doc.value;
}
