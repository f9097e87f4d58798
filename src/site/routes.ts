import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../kernel/web/deps.ts';
import { sendPage } from '../kernel/web/render.ts';
import { homePage } from './views/home.ts';
import { accessibilityPage, legalPage, personalDataPage, sitemapPage } from './views/legal.ts';
import { PUBLIC } from '../kernel/web/access.ts';

/** The pages every site owes its readers: home, accessibility statement, legal notice, personal data, sitemap. */
export const siteRoutes: FastifyPluginAsync<AppDeps> = async (app) => {
  app.get('/', PUBLIC, (request, reply) => sendPage(request, reply, { title: 'Accueil', content: homePage(request.user) }));
  app.get('/accessibilite', PUBLIC, (request, reply) =>
    sendPage(request, reply, {
      title: 'Déclaration d’accessibilité',
      breadcrumb: [{ label: 'Accessibilité' }],
      content: accessibilityPage(),
    }),
  );
  app.get('/mentions-legales', PUBLIC, (request, reply) =>
    sendPage(request, reply, { title: 'Mentions légales', breadcrumb: [{ label: 'Mentions légales' }], content: legalPage() }),
  );
  app.get('/donnees-personnelles', PUBLIC, (request, reply) =>
    sendPage(request, reply, {
      title: 'Données personnelles',
      breadcrumb: [{ label: 'Données personnelles' }],
      content: personalDataPage(),
    }),
  );
  app.get('/plan-du-site', PUBLIC, (request, reply) =>
    sendPage(request, reply, { title: 'Plan du site', breadcrumb: [{ label: 'Plan du site' }], content: sitemapPage(request.user) }),
  );
};
