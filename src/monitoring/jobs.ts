import type { AppDeps } from '../kernel/web/deps.ts';
import type { Jobs } from '../kernel/jobs/jobs.ts';
import { warnCertificates } from './mails.ts';
import type { MonitoringSettings } from './settings.ts';
import { cleanupProbes, ensureProbePartitions } from './storage.ts';
import { ProbeWorker } from './worker.ts';
import type { Db } from '../kernel/db/db.ts';
import { ScanWorker } from './scans.ts';
import { BrowserScanner } from './scanner/scanner.ts';

/** Browser measurements and scans of a worker, within its budget (none when the budget is 0). */
export function startScanWorker(db: Db, settings: MonitoringSettings, location: string): ScanWorker | null {
  if (settings.scanPagesPerHour <= 0) return null;
  const scanner = new BrowserScanner({ pageTimeoutMs: settings.scanPageTimeoutMs, allowedRanges: settings.allowed.text.join(',') });
  const worker = new ScanWorker(db, scanner, location, settings.scanPagesPerHour);
  worker.start();
  return worker;
}

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
    const worker = new ProbeWorker(
      { db: deps.db, mailer: deps.mailer, publicUrl: deps.config.publicUrl, settings },
      { location: settings.serverLocation, unref: true },
    );
    await worker.start();
    startScanWorker(deps.db, settings, settings.serverLocation);
  }
}
