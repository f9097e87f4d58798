import type { VigieModule } from '../kernel/module.ts';
import { hasAnyGrant } from '../kernel/auth/scope.ts';
import type { Queryable } from '../kernel/db/db.ts';
import type { ScanFindingsReader } from '../monitoring/index.ts';
import { registerIndicatorSource } from '../observatoire/index.ts';
import { accessibilityRoutes } from './routes.ts';
import { accessibilityIndicatorSource } from './declarations/observatoire-source.ts';
import { registerExpiryJob } from './declarations/expiry.ts';
import { seedAccessibilityDemo } from './demo.ts';
import { registerDigestSection } from '../feedback/index.ts';
import { overdueDigestText } from './plans/queries.ts';
import { auditRoutes } from './audits/routes.ts';
import { auditPlace } from './audits/work.ts';
import { seedAuditsDemo } from './demo/seed.ts';

// The observatoire's « handicap » indicator comes from the published declarations (docs/accessibility.md).
registerIndicatorSource(accessibilityIndicatorSource);
// The weekly (daily, monthly) feedback digest of a procedure lists its overdue roadmap milestones.
registerDigestSection('accessibility', overdueDigestText);

/** What the accessibility module needs from other modules, passed explicitly. */
export interface AccessibilityModuleDeps {
  /** Automated scan findings (monitoring, issue 13), read through the database given; null: no scan to import. */
  scanFindings: ((db: Queryable) => ScanFindingsReader) | null;
}

/**
 * Accessibility (RGAA, issue 12): the RGAA referential (`rgaa/`), the conformity-rate engine (`conformity/`), the
 * audits (`audits/`: back-office under /audits-accessibilite, the grid, reports, exports, scan findings),
 * declarations (`declarations/`: legal sections, validity, the « handicap » indicator, expiry warnings), multi-year and
 * yearly plans, roadmaps and dashboards (`plans/`), and the public API (`api.ts`).
 */
export function createAccessibilityModule(deps: AccessibilityModuleDeps): VigieModule {
  const audits = auditRoutes({ scanFindings: deps.scanFindings });
  return {
    name: 'accessibility',
    routes: async (app, appDeps) => {
      await accessibilityRoutes(app, appDeps);
      await audits(app, appDeps);
    },
    navigation: [{ label: 'Plans d’accessibilité', href: '/rgaa', visible: hasAnyGrant, order: 55 }],
    // After the catalogue's and the accounts' (src/app.ts order); the ANTS audit first, its declaration is built from it.
    seedDemo: async (appDeps) => {
      await seedAuditsDemo(appDeps);
      await seedAccessibilityDemo(appDeps.db);
    },
    jobs: (appDeps, jobs) => registerExpiryJob(appDeps, jobs),
    // An audit is placed in the catalogue through its procedure; its outside auditors are granted it alone.
    places: { audit: auditPlace },
    objectGrants: ['audit'],
  };
}

/** Without a scanner (tests of the module alone); src/app.ts wires monitoring's reader. */
export const accessibilityModule: VigieModule = createAccessibilityModule({ scanFindings: null });
