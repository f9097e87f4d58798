import type { AppDeps } from '../kernel/web/deps.ts';
import type { Jobs } from '../kernel/jobs/jobs.ts';
import { warnCertificates } from './mails.ts';
import type { MonitoringSettings } from './settings.ts';
import { cleanupProbes, ensureProbePartitions } from './storage.ts';
import { ProbeWorker } from './worker.ts';

export const DAILY_QUEUE = 'monitoring.daily';
export const HOURLY_QUEUE = 'monitoring.hourly';

/**
 * pg-boss jobs (one instance does each run, whatever the number of servers): partitions and cleanup daily,
 * certificate warnings hourly. Probing itself is done by probe workers (`vigie probe-worker`, or the server's own
 * when MONITORING_SERVER_LOCATION is set), which claim due probes in the database.
 */
export async function registerMonitoringJobs(deps: AppDeps, jobs: Jobs, settings: MonitoringSettings): Promise<void> {
  await jobs.work(DAILY_QUEUE, async () => {
    await ensureProbePartitions(deps.db);
    await cleanupProbes(deps.db, settings.rawDays);
  });
  await jobs.work(HOURLY_QUEUE, async () => {
    await warnCertificates(deps.db, deps.mailer, settings.certWarningDays);
  });
  await jobs.schedule(DAILY_QUEUE, '23 3 * * *');
  await jobs.schedule(HOURLY_QUEUE, '7 * * * *');
  await jobs.send(DAILY_QUEUE, {}, { singletonKey: 'start' });
  if (settings.serverLocation) {
    const worker = new ProbeWorker({ db: deps.db, mailer: deps.mailer, publicUrl: deps.config.publicUrl, settings }, { location: settings.serverLocation, unref: true });
    await worker.start();
  }
}
