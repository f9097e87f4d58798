import type { VigieModule } from '../kernel/module.ts';
import { hasAnyGrant } from '../kernel/auth/scope.ts';
import { registerIndicatorSource } from '../observatoire/index.ts';
import { accessibilityRoutes } from './routes.ts';
import { accessibilityIndicatorSource } from './declarations/observatoire-source.ts';
import { registerExpiryJob } from './declarations/expiry.ts';
import { registerAccessibilityApi } from './api.ts';
import { seedAccessibilityDemo } from './demo.ts';
import { registerDigestSection } from '../feedback/index.ts';
import { overdueDigestText } from './plans/queries.ts';

// The observatoire's « handicap » indicator comes from the published declarations (docs/accessibility.md).
registerIndicatorSource(accessibilityIndicatorSource);
// The weekly (daily, monthly) feedback digest of a procedure lists its overdue roadmap milestones.
registerDigestSection('accessibility', overdueDigestText);

/**
 * Accessibility (RGAA, issue 12): the RGAA referential (`rgaa/`), the conformity-rate engine (`conformity/`), the
 * audit schema, declarations (`declarations/`: legal sections, validity, the « handicap » indicator, expiry warnings),
 * multi-year and yearly plans, roadmaps and dashboards (`plans/`), and the public API (`api.ts`).
 */
export const accessibilityModule: VigieModule = {
  name: 'accessibility',
  routes: accessibilityRoutes,
  navigation: [{ label: 'Plans d’accessibilité', href: '/rgaa', visible: hasAnyGrant, order: 55 }],
  // After the catalogue's and the accounts' (src/app.ts order).
  seedDemo: (deps) => seedAccessibilityDemo(deps.db),
  jobs: (deps, jobs) => registerExpiryJob(deps, jobs),
  api: registerAccessibilityApi,
};
