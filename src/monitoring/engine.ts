import type { Db, Queryable } from '../kernel/db/db.ts';
import type { ProbeResult } from './probe.ts';
import type { MonitoringSettings } from './settings.ts';

/**
 * Scheduling and incident state of probes, shared by every worker through the database:
 * - each (target, location) has a `next_due`; a worker claims due rows with FOR UPDATE SKIP LOCKED and moves their
 *   `next_due` forward in the same statement, so with several workers of one location each probe is done once;
 * - a target's first due time is offset by a fixed phase derived from its id (spread over its interval: no thundering
 *   herd), and later due times keep that phase (`next_due + k × interval`), so drift never accumulates;
 * - a failure counts once confirmed by a second attempt (the worker retries at once); a location says « down » after
 *   N confirmed failures in a row, « up » after M successes; an incident opens when one location says down (two when
 *   more than one location watches the target) and closes when that is no longer so.
 */

/** Locations seen within this time watch their targets (a stopped worker stops counting for agreement). */
export const LOCATION_ALIVE_SECONDS = 15 * 60;

/** The fixed phase of a target in its interval, in seconds: spreads first due times (Knuth's multiplicative hash). */
export function phaseOf(targetId: number, intervalSeconds: number): number {
  return Number((BigInt(targetId) * 2654435761n) % 4294967296n) % intervalSeconds;
}

/**
 * Registers a location (heartbeat) and gives it a schedule row for every active target it does not have yet, due at
 * the target's phase in the current interval.
 */
export async function ensureLocation(db: Queryable, location: string, now = new Date()): Promise<void> {
  await db.query(
    `INSERT INTO monitoring_locations (name, last_seen_at) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET last_seen_at = EXCLUDED.last_seen_at`,
    [location, now],
  );
  await scheduleMissing(db, now, location);
}

/** Schedule rows for targets × live locations that have none (new targets, new locations). */
export async function scheduleMissing(db: Queryable, now = new Date(), location?: string): Promise<number> {
  const { rowCount } = await db.query(
    `INSERT INTO monitoring_schedule (target_id, location, next_due)
     SELECT target_id, name, CASE WHEN slot < $1::timestamptz THEN slot + make_interval(secs => interval_seconds) ELSE slot END
       FROM (SELECT t.id AS target_id, l.name, t.interval_seconds,
                    date_bin(make_interval(secs => t.interval_seconds), $1::timestamptz, timestamptz '2000-01-01 00:00:00+00')
                      + make_interval(secs => ((t.id * 2654435761) % 4294967296) % t.interval_seconds) AS slot
       FROM monitoring_targets t CROSS JOIN monitoring_locations l
      WHERE t.active AND ($2::text IS NULL OR l.name = $2) AND l.last_seen_at > $1::timestamptz - make_interval(secs => $3)) AS slots
     ON CONFLICT DO NOTHING`,
    [now, location ?? null, LOCATION_ALIVE_SECONDS],
  );
  return rowCount;
}

export interface Claimed {
  targetId: number;
  procedureId: number;
  url: string;
  expectedStatus: number;
  expectedText: string | null;
  intervalSeconds: number;
  dueAt: Date;
}

/** Claims up to `limit` due probes of a location and moves their due time to the next slot of their phase. */
export async function claimDue(db: Queryable, location: string, limit: number, now = new Date()): Promise<Claimed[]> {
  const { rows } = await db.query(
    `WITH due AS (
       SELECT s.target_id, s.next_due FROM monitoring_schedule s
        WHERE s.location = $1 AND s.next_due <= $2::timestamptz
        ORDER BY s.next_due LIMIT $3
        FOR UPDATE SKIP LOCKED)
     UPDATE monitoring_schedule s
        SET next_due = due.next_due + make_interval(secs => t.interval_seconds * (floor(extract(epoch FROM $2::timestamptz - due.next_due) / t.interval_seconds) + 1))
       FROM due, monitoring_targets t
      WHERE s.location = $1 AND s.target_id = due.target_id AND t.id = due.target_id AND t.active
     RETURNING t.id, t.procedure_id, t.url, t.expected_status, t.expected_text, t.interval_seconds, due.next_due AS due_at`,
    [location, now, limit],
  );
  return rows.map((r) => ({
    targetId: Number(r.id),
    procedureId: Number(r.procedure_id),
    url: r.url,
    expectedStatus: Number(r.expected_status),
    expectedText: r.expected_text,
    intervalSeconds: Number(r.interval_seconds),
    dueAt: new Date(r.due_at),
  }));
}

export interface IncidentEvent {
  kind: 'opened' | 'closed';
  incidentId: number;
  targetId: number;
  procedureId: number;
  url: string;
  startedAt: Date;
  endedAt: Date | null;
  cause: string;
}

/** Is `at` inside one of the procedure's maintenance windows (one-off or recurring)? */
export async function inMaintenance(db: Queryable, procedureId: number, at: Date): Promise<boolean> {
  const { rows } = await db.query<{ starts_at: Date; ends_at: Date; recurrence: string }>(
    `SELECT starts_at, ends_at, recurrence FROM monitoring_maintenance WHERE procedure_id = $1 AND starts_at <= $2`,
    [procedureId, at],
  );
  return rows.some((r) => maintenanceIntervals(r, at.getTime(), at.getTime() + 1).length > 0);
}

/** The intervals [start, end) in ms of a maintenance window that meet [from, to). */
export function maintenanceIntervals(w: { starts_at: Date | string; ends_at: Date | string; recurrence: string }, from: number, to: number): [number, number][] {
  const start = new Date(w.starts_at).getTime();
  const end = new Date(w.ends_at).getTime();
  const duration = end - start;
  const period = w.recurrence === 'daily' ? 86_400_000 : w.recurrence === 'weekly' ? 7 * 86_400_000 : 0;
  const out: [number, number][] = [];
  if (period === 0) {
    if (start < to && end > from) out.push([Math.max(start, from), Math.min(end, to)]);
    return out;
  }
  const first = Math.max(0, Math.floor((from - end) / period));
  for (let k = first; start + k * period < to; k++) {
    const s = start + k * period;
    const e = s + duration;
    if (e > from) out.push([Math.max(s, from), Math.min(e, to)]);
  }
  return out;
}

/**
 * Records one (possibly retried) probe: the raw row, the rollups, this location's counters, and the target's incident
 * — all in one transaction, the target row locked so two locations decide one after the other.
 */
export async function recordProbe(
  db: Db,
  input: { targetId: number; location: string; dueAt: Date; result: ProbeResult; retried: boolean },
  settings: Pick<MonitoringSettings, 'openAfter' | 'closeAfter'>,
): Promise<IncidentEvent[]> {
  const { targetId, location, result } = input;
  const at = result.startedAt;
  return db.transaction(async (tx) => {
    const { rows: targets } = await tx.query(`SELECT id, procedure_id, url FROM monitoring_targets WHERE id = $1 FOR UPDATE`, [targetId]);
    const target = targets[0];
    if (!target) return [];
    const p = result.phases;
    await tx.query(
      `INSERT INTO monitoring_probes (target_id, location, probed_at, ok, retried, status, dns_ms, connect_ms, tls_ms, first_byte_ms, total_ms,
                                      bytes, redirects, cert_expires_at, error_class, error_message, drift_ms)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
      [targetId, location, at, result.ok, input.retried, result.status, p.dns, p.connect, p.tls, p.firstByte, p.total, result.bytes,
        result.redirects, result.certExpiresAt, result.errorClass, result.errorMessage?.slice(0, 500) ?? null, at.getTime() - input.dueAt.getTime()],
      { name: 'monitoring_insert_probe' },
    );
    const fail = result.ok ? 0 : 1;
    await tx.query(
      `INSERT INTO monitoring_rollups_hourly AS r (target_id, hour, probes, failures, total_ms_sum, total_ms_max)
       VALUES ($1, date_trunc('hour', $2::timestamptz), 1, $3::int, $4::real, $4::real)
       ON CONFLICT (target_id, hour) DO UPDATE SET probes = r.probes + 1, failures = r.failures + $3,
         total_ms_sum = r.total_ms_sum + $4::real, total_ms_max = greatest(r.total_ms_max, $4::real)`,
      [targetId, at, fail, p.total],
      { name: 'monitoring_rollup_hourly' },
    );
    await tx.query(
      `INSERT INTO monitoring_rollups_daily AS r (target_id, day, probes, failures, total_ms_sum, total_ms_max)
       VALUES ($1, ($2::timestamptz AT TIME ZONE 'Europe/Paris')::date, 1, $3::int, $4::real, $4::real)
       ON CONFLICT (target_id, day) DO UPDATE SET probes = r.probes + 1, failures = r.failures + $3,
         total_ms_sum = r.total_ms_sum + $4::real, total_ms_max = greatest(r.total_ms_max, $4::real)`,
      [targetId, at, fail, p.total],
      { name: 'monitoring_rollup_daily' },
    );
    if (result.certExpiresAt) {
      await tx.query(`UPDATE monitoring_targets SET cert_expires_at = $2 WHERE id = $1 AND cert_expires_at IS DISTINCT FROM $2`, [targetId, result.certExpiresAt]);
    }
    // This location's view.
    await tx.query(
      result.ok
        ? `UPDATE monitoring_schedule SET failures = 0, successes = successes + 1, last_probed_at = $3, last_error_class = NULL,
             first_success_at = CASE WHEN successes = 0 THEN $3 ELSE first_success_at END,
             down = down AND successes + 1 < $4
           WHERE target_id = $1 AND location = $2`
        : `UPDATE monitoring_schedule SET successes = 0, failures = failures + 1, last_probed_at = $3, last_error_class = $5,
             first_failure_at = CASE WHEN failures = 0 THEN $3 ELSE first_failure_at END,
             down = down OR failures + 1 >= $4
           WHERE target_id = $1 AND location = $2`,
      result.ok ? [targetId, location, at, settings.closeAfter] : [targetId, location, at, settings.openAfter, result.errorClass],
    );
    // The agreement of the live locations.
    const { rows: views } = await tx.query(
      `SELECT s.location, s.down, s.first_failure_at, s.first_success_at, s.last_error_class
         FROM monitoring_schedule s JOIN monitoring_locations l ON l.name = s.location
        WHERE s.target_id = $1 AND (l.last_seen_at > $2::timestamptz - make_interval(secs => $3) OR s.location = $4)`,
      [targetId, at, LOCATION_ALIVE_SECONDS, location],
    );
    const down = views.filter((v) => v.down);
    const needed = views.length > 1 ? 2 : 1;
    const isDown = down.length >= needed;
    const { rows: open } = await tx.query(`SELECT id, started_at, cause FROM monitoring_incidents WHERE target_id = $1 AND ended_at IS NULL`, [targetId]);
    const events: IncidentEvent[] = [];
    const base = { targetId, procedureId: Number(target.procedure_id), url: target.url as string };
    if (isDown && open.length === 0 && !(await inMaintenance(tx, base.procedureId, at))) {
      // Down since the moment the needed number of locations had failed: the needed-th earliest first failure.
      const firsts = down.map((v) => new Date(v.first_failure_at).getTime()).sort((a, b) => a - b);
      const startedAt = new Date(firsts[needed - 1]);
      const mine = down.find((v) => v.location === location) ?? down[0];
      const cause = mine.last_error_class ?? result.errorClass ?? 'network';
      const { rows } = await tx.query(
        `INSERT INTO monitoring_incidents (target_id, started_at, cause, cause_message, locations) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (target_id) WHERE ended_at IS NULL DO NOTHING RETURNING id`,
        [targetId, startedAt, cause, result.errorMessage?.slice(0, 500) ?? null, down.map((v) => v.location)],
      );
      if (rows[0]) events.push({ kind: 'opened', incidentId: Number(rows[0].id), ...base, startedAt, endedAt: null, cause });
    } else if (!isDown && open.length > 0) {
      const mine = views.find((v) => v.location === location);
      const endedAt = result.ok && mine?.first_success_at ? new Date(mine.first_success_at) : at;
      const incident = open[0];
      const startedAt = new Date(incident.started_at);
      const ended = endedAt < startedAt ? startedAt : endedAt;
      await tx.query(`UPDATE monitoring_incidents SET ended_at = $2 WHERE id = $1`, [incident.id, ended]);
      events.push({ kind: 'closed', incidentId: Number(incident.id), ...base, startedAt, endedAt: ended, cause: incident.cause });
    }
    return events;
  });
}
