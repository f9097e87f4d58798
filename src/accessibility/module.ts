import type { VigieModule } from '../kernel/module.ts';
import { accessibilityRoutes } from './routes.ts';

/**
 * Accessibility (RGAA, issue 12): the RGAA referential (`rgaa/`), the conformity-rate engine (`conformity/`), the
 * audit schema (`migrations/05xx`), and the public page of the referential (`/referentiel-rgaa`). The grid, reports,
 * declarations and plans come next (docs/accessibility.md).
 */
export const accessibilityModule: VigieModule = {
  name: 'accessibility',
  routes: accessibilityRoutes,
};
