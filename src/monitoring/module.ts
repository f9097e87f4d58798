import type { VigieModule } from '../kernel/module.ts';
import { monitoringRoutes } from './routes.ts';
import { monitoringCommands } from './cli.ts';
import { registerMonitoringJobs } from './jobs.ts';
import { monitoringSettings } from './settings.ts';
import { registerIndicatorSource } from '../observatoire/index.ts';
import { monitoringIndicatorSource } from './observatoire-source.ts';

registerIndicatorSource(monitoringIndicatorSource);

/**
 * Monitoring (issue 13): targets per procedure, probes by workers of one or more locations, incidents, uptime counted
 * in time, public status pages, mails to the procedure team. docs/monitoring.md.
 */
export const monitoringModule: VigieModule = {
  name: 'monitoring',
  routes: monitoringRoutes,
  commands: monitoringCommands,
  jobs: (deps, jobs) => registerMonitoringJobs(deps, jobs, monitoringSettings(deps.config)),
};
