import type { VigieModule } from './kernel/module.ts';
import { siteModule } from './site/module.ts';
import { catalogModule } from './catalog/module.ts';
import { accountsModule } from './accounts/module.ts';
import { observatoireModule } from './observatoire/module.ts';
import { feedbackModule } from './feedback/module.ts';
import { workspaceModule } from './workspace/module.ts';
import { createAccessibilityModule } from './accessibility/module.ts';
import { monitoringModule } from './monitoring/module.ts';
import { scanFindingsReader } from './monitoring/scans.ts';
import { improvementModule } from './improvement/module.ts';
import { experiencesModule } from './experiences/module.ts';
import { supportModule } from './support/module.ts';

/**
 * The modules of Vigie, one line each (see docs/architecture.md « Adding a module »). The kernel registers their
 * routes, navigation, commands, demo data (in this order: the catalogue's first), jobs and API paths.
 */
// The feedback and support modules come before the observatoire: the observatoire's demo editions are computed from the
// demo's reviews and contact-centre volumes.
// Accessibility audits pull monitoring's scan findings through the interface they agreed on (src/monitoring/scan-findings.ts).
const accessibilityModule = createAccessibilityModule({ scanFindings: scanFindingsReader });

export const MODULES: VigieModule[] = [
  siteModule,
  catalogModule,
  accountsModule,
  feedbackModule,
  supportModule,
  observatoireModule,
  workspaceModule,
  accessibilityModule,
  monitoringModule,
  improvementModule,
  experiencesModule,
];
