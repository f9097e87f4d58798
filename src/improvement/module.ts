import type { VigieModule } from '../kernel/module.ts';
import { improvementRoutes } from './routes.ts';

/** Improvement challenges (« défis ») and the help page of the statistics shown with every score (docs/improvement.md). */
export const improvementModule: VigieModule = {
  name: 'improvement',
  routes: improvementRoutes,
};
