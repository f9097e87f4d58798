import type { AppDeps } from '../../kernel/web/deps.ts';
import type { Jobs } from '../../kernel/jobs/jobs.ts';
import { EXPORT_QUEUE } from './export.ts';

/** A running export whose worker has not beaten for this long is taken as dead (the worker beats every 5 s). */
export const STALE_AFTER_SECONDS = 30;
/** How often each server that runs jobs looks for dead exports: a dead one is restarted within 30 + 15 s. */
export const RECOVERY_INTERVAL_MS = 15_000;

/**
 * Hands each export whose worker died to a new job: back to « En attente », `restarts` counted (the page says it was
 * restarted), then queued again. One UPDATE … RETURNING: when several servers look at once, each export is taken by
 * one of them only. The old pg-boss job, when it finally expires, finds the export done or running and does nothing.
 */
export async function recoverStalledExports(
  deps: Pick<AppDeps, 'db'>,
  jobs: Jobs,
  staleAfterSeconds = STALE_AFTER_SECONDS,
): Promise<number[]> {
  const { rows } = await deps.db.query<{ id: number }>(
    `UPDATE feedback_exports SET status = 'pending', restarts = restarts + 1, heartbeat_at = now()
      WHERE status = 'running' AND heartbeat_at < now() - make_interval(secs => $1)
      RETURNING id`,
    [staleAfterSeconds],
  );
  const ids = rows.map((r) => Number(r.id));
  for (const id of ids) await jobs.send(EXPORT_QUEUE, { exportId: id }, { retryLimit: 2, retryDelay: 30 });
  return ids;
}

/** Looks for dead exports every RECOVERY_INTERVAL_MS in this process (a server running jobs); returns the stopper. */
export function startExportRecovery(deps: AppDeps, jobs: Jobs, intervalMs = RECOVERY_INTERVAL_MS): () => void {
  const timer = setInterval(() => {
    recoverStalledExports(deps, jobs).catch(() => {
      // The database may be briefly away (or closing at shutdown): the next round tries again.
    });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
