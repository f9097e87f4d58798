import type { Module } from './kernel/web/server.ts';
import { siteRoutes } from './site/routes.ts';
import { accountsRoutes } from './accounts/routes.ts';
import { catalogRoutes } from './catalog/routes.ts';
import { observatoireRoutes } from './observatoire/routes.ts';
import { feedbackRoutes } from './feedback/routes.ts';

/** The modules of Vigie, in registration order. */
export const MODULES: Module[] = [
  { name: 'site', routes: siteRoutes },
  { name: 'accounts', routes: accountsRoutes },
  { name: 'catalog', routes: catalogRoutes },
  { name: 'observatoire', routes: observatoireRoutes },
  { name: 'feedback', routes: feedbackRoutes },
];
