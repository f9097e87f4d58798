import type { VigieModule } from '../kernel/module.ts';

/**
 * Accessibility (RGAA, issue 12): the RGAA referential (`rgaa/`), the conformity-rate engine (`conformity/`) and the
 * audit schema (`migrations/05xx`). Routes, the grid, reports, declarations and plans come next (docs/accessibility.md).
 */
export const accessibilityModule: VigieModule = {
  name: 'accessibility',
};
