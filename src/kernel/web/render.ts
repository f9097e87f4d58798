import type { FastifyReply, FastifyRequest } from 'fastify';
import { layout, type PageOptions } from './layout.ts';
import { html } from './html.ts';

/** Whether the demo data is loaded: set once at start, shown as a banner on every page. */
export const demoState = { loaded: false };

/** Renders a full DSFR page for this request (user, CSRF token, current path) and sends it. */
export function sendPage(request: FastifyRequest, reply: FastifyReply, options: PageOptions, status = 200): FastifyReply {
  const csrfToken = reply.generateCsrf();
  const body = layout(options, {
    user: request.user ?? null,
    csrfToken,
    path: request.url.split('?')[0],
    isDemo: demoState.loaded,
    logoutAction: request.server.oidcEnabled ? '/connexion/oidc/deconnexion' : '/deconnexion',
  });
  return reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body);
}

/**
 * The page as an anonymous visitor gets it, without this request's CSRF token nor user (the header then shows only
 * « Se connecter »): the same HTML for every anonymous visitor, so that it can be cached (observatoire page cache).
 */
export function anonymousPageHtml(request: FastifyRequest, options: PageOptions): string {
  return layout(options, {
    user: null,
    csrfToken: '',
    path: request.url.split('?')[0],
    isDemo: demoState.loaded,
    logoutAction: request.server.oidcEnabled ? '/connexion/oidc/deconnexion' : '/deconnexion',
  });
}

export function sendErrorPage(request: FastifyRequest, reply: FastifyReply, status: number, title: string, message: string): FastifyReply {
  return sendPage(request, reply, { title, content: errorContent(status, title, message) }, status);
}

/**
 * The error page for a request that went through no hook (a URL the router cannot decode): no session, no CSRF
 * cookie, the page of an anonymous visitor.
 */
export function sendBareErrorPage(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  title: string,
  message: string,
): FastifyReply {
  const body = layout(
    { title, content: errorContent(status, title, message) },
    {
      user: null,
      csrfToken: '',
      path: '/',
      isDemo: demoState.loaded,
      logoutAction: request.server.oidcEnabled ? '/connexion/oidc/deconnexion' : '/deconnexion',
    },
  );
  return reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body);
}

function errorContent(status: number, title: string, message: string) {
  return html`<div class="fr-grid-row fr-grid-row--gutters fr-my-7w">
  <div class="fr-col-12 fr-col-md-8">
    <h1>${title}</h1>
    <p class="fr-text--sm fr-mb-3w">Erreur ${status}</p>
    <p class="fr-text--lead fr-mb-3w">${message}</p>
    <ul class="fr-btns-group fr-btns-group--inline-md"><li><a class="fr-btn" href="/">Page d’accueil</a></li></ul>
  </div>
</div>`;
}

/** Redirect after a successful POST (303 so that the browser follows with GET). */
export function redirectSeeOther(reply: FastifyReply, location: string): FastifyReply {
  return reply.code(303).header('location', location).send();
}
