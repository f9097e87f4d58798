import type { VigieModule } from '../kernel/module.ts';
import type { ScanFindingsReader } from '../monitoring/scan-findings.ts';
import { accessibilityRoutes } from './routes.ts';
import { auditRoutes } from './audits/routes.ts';
import { auditPlace } from './audits/work.ts';
import { seedAccessibilityDemo } from './demo/seed.ts';

/** What the accessibility module needs from others, passed explicitly. */
export interface AccessibilityModuleDeps {
  /** Automated scan findings (monitoring, issue 13); null: auditors see no scan to import. */
  scanFindings: ScanFindingsReader | null;
}

/**
 * Accessibility (RGAA, issue 12): the RGAA referential (`rgaa/`), the conformity-rate engine (`conformity/`), the
 * audits (`audits/`: back-office under /audits-accessibilite, grid, reports, exports, scans), the public page of the
 * referential (`/referentiel-rgaa`). Declarations and plans come next (docs/accessibility.md).
 */
export function createAccessibilityModule(deps: AccessibilityModuleDeps): VigieModule {
  const audits = auditRoutes({ scanFindings: deps.scanFindings });
  return {
    name: 'accessibility',
    routes: async (app, appDeps) => {
      await accessibilityRoutes(app, appDeps);
      await audits(app, appDeps);
    },
    seedDemo: seedAccessibilityDemo,
    // An audit is placed in the catalogue through its procedure; its outside auditors are granted it alone.
    places: { audit: auditPlace },
    objectGrants: ['audit'],
  };
}

export const accessibilityModule: VigieModule = createAccessibilityModule({ scanFindings: null });
