import type { VigieModule } from '../kernel/module.ts';
import { siteRoutes } from './routes.ts';

/** The pages every site owes its readers (home, accessibility statement, legal notice, sitemap). */
export const siteModule: VigieModule = {
  name: 'site',
  routes: siteRoutes,
  navigation: [{ label: 'Accueil', href: '/', visible: () => true, order: 0 }],
};
