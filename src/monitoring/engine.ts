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
export async function ensureLocation(db: Queryable, location: string, now = new Date(), createdSince: Date | null = null): Promise<void> {
  await db.query(
    `INSERT INTO monitoring_locations (name, last_seen_at) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET last_seen_at = EXCLUDED.last_seen_at`,
    [location, now],
  );
  await scheduleMissing(db, now, location, createdSince);
}

/**
 * Schedule rows for targets × live locations that have none (new targets, new locations); with `createdSince`, only
 * targets created since then are looked at (a worker's heartbeat: O(new targets), not O(all targets), every minute).
 */
export async function scheduleMissing(
  db: Queryable,
  now = new Date(),
  location?: string,
  createdSince: Date | null = null,
): Promise<number> {
  const { rowCount } = await db.query(
    `INSERT INTO monitoring_schedule (target_id, location, next_due)
     SELECT target_id, name, CASE WHEN slot < $1::timestamptz THEN slot + make_interval(secs => interval_seconds) ELSE slot END
       FROM (SELECT t.id AS target_id, l.name, t.interval_seconds,
                    date_bin(make_interval(secs => t.interval_seconds), $1::timestamptz, timestamptz '2000-01-01 00:00:00+00')
                      + make_interval(secs => ((t.id * 2654435761) % 4294967296) % t.interval_seconds) AS slot
       FROM monitoring_targets t CROSS JOIN monitoring_locations l
      WHERE t.active AND ($2::text IS NULL OR l.name = $2) AND l.last_seen_at > $1::timestamptz - make_interval(secs => $3)
        AND ($4::timestamptz IS NULL OR t.created_at >= $4)
        AND NOT EXISTS (SELECT 1 FROM monitoring_schedule s WHERE s.target_id = t.id AND s.location = l.name)) AS slots
     ON CONFLICT DO NOTHING`,
    [now, location ?? null, LOCATION_ALIVE_SECONDS, createdSince],
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
export function maintenanceIntervals(
  w: { starts_at: Date | string; ends_at: Date | string; recurrence: string },
  from: number,
  to: number,
): [number, number][] {
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

export interface ProbeRecord {
  targetId: number;
  location: string;
  dueAt: Date;
  result: ProbeResult;
  retried: boolean;
}

/** Records one (possibly retried) probe (a batch of one: see recordProbes). */
export function recordProbe(
  db: Db,
  input: ProbeRecord,
  settings: Pick<MonitoringSettings, 'openAfter' | 'closeAfter'>,
): Promise<IncidentEvent[]> {
  return recordProbes(db, [input], settings);
}

/**
 * Records a batch of probes in one transaction, in a fixed number of statements whatever the batch's size: one
 * statement writes the raw rows, adds them to the hourly and daily rollups (aggregated per target and hour / day, so
 * the rollups are never recomputed from raw rows), records the certificates' expiry, moves each location's counters and
 * returns the targets that need an incident decision (this location now says « down », or an incident is open); only
 * those (a few per cent) are then locked, one after the other by id, and decided as before. A target probed twice by
 * one location in a batch is recorded in a second round (the counters move one probe at a time).
 */
export async function recordProbes(
  db: Db,
  inputs: ProbeRecord[],
  settings: Pick<MonitoringSettings, 'openAfter' | 'closeAfter'>,
): Promise<IncidentEvent[]> {
  if (inputs.length === 0) return [];
  const rounds: ProbeRecord[][] = [];
  const seen = new Map<string, number>();
  for (const input of inputs) {
    const key = `${input.targetId}:${input.location}`;
    const round = seen.get(key) ?? 0;
    seen.set(key, round + 1);
    (rounds[round] ??= []).push(input);
  }
  return db.transaction(async (tx) => {
    const events: IncidentEvent[] = [];
    for (const round of rounds) events.push(...(await recordRound(tx, round, settings)));
    return events;
  });
}

const RECORD_BATCH = `WITH x AS (
    SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(target_id bigint, location text, probed_at timestamptz, ok boolean, retried boolean, status int,
      dns_ms real, connect_ms real, tls_ms real, first_byte_ms real, total_ms real, bytes bigint, redirects text[], cert_expires_at timestamptz,
      error_class text, error_message text, drift_ms real)),
  raw AS (
    INSERT INTO monitoring_probes (target_id, location, probed_at, ok, retried, status, dns_ms, connect_ms, tls_ms, first_byte_ms, total_ms,
                                   bytes, redirects, cert_expires_at, error_class, error_message, drift_ms)
    SELECT target_id, location, probed_at, ok, retried, status, dns_ms, connect_ms, tls_ms, first_byte_ms, total_ms,
           bytes, redirects, cert_expires_at, error_class, error_message, drift_ms FROM x),
  hourly AS (
    INSERT INTO monitoring_rollups_hourly AS r (target_id, hour, probes, failures, total_ms_sum, total_ms_max)
    SELECT target_id, date_trunc('hour', probed_at), count(*), count(*) FILTER (WHERE NOT ok), sum(total_ms), max(total_ms) FROM x GROUP BY 1, 2
    ON CONFLICT (target_id, hour) DO UPDATE SET probes = r.probes + EXCLUDED.probes, failures = r.failures + EXCLUDED.failures,
      total_ms_sum = r.total_ms_sum + EXCLUDED.total_ms_sum, total_ms_max = greatest(r.total_ms_max, EXCLUDED.total_ms_max)),
  daily AS (
    INSERT INTO monitoring_rollups_daily AS r (target_id, day, probes, failures, total_ms_sum, total_ms_max)
    SELECT target_id, (probed_at AT TIME ZONE 'Europe/Paris')::date, count(*), count(*) FILTER (WHERE NOT ok), sum(total_ms), max(total_ms) FROM x GROUP BY 1, 2
    ON CONFLICT (target_id, day) DO UPDATE SET probes = r.probes + EXCLUDED.probes, failures = r.failures + EXCLUDED.failures,
      total_ms_sum = r.total_ms_sum + EXCLUDED.total_ms_sum, total_ms_max = greatest(r.total_ms_max, EXCLUDED.total_ms_max)),
  certs AS (
    UPDATE monitoring_targets t SET cert_expires_at = x.cert_expires_at FROM x
     WHERE t.id = x.target_id AND x.cert_expires_at IS NOT NULL AND t.cert_expires_at IS DISTINCT FROM x.cert_expires_at)
  UPDATE monitoring_schedule s
     SET failures = CASE WHEN x.ok THEN 0 ELSE s.failures + 1 END,
         successes = CASE WHEN x.ok THEN s.successes + 1 ELSE 0 END,
         last_probed_at = x.probed_at,
         last_error_class = CASE WHEN x.ok THEN NULL ELSE x.error_class END,
         first_success_at = CASE WHEN x.ok AND s.successes = 0 THEN x.probed_at ELSE s.first_success_at END,
         first_failure_at = CASE WHEN NOT x.ok AND s.failures = 0 THEN x.probed_at ELSE s.first_failure_at END,
         down = CASE WHEN x.ok THEN s.down AND s.successes + 1 < $2 ELSE s.down OR s.failures + 1 >= $3 END
    FROM x
   WHERE s.target_id = x.target_id AND s.location = x.location
  RETURNING s.target_id, s.location,
            -- RETURNING sees the updated row: s.down is this location's new view.
            s.down OR EXISTS (SELECT 1 FROM monitoring_incidents i WHERE i.target_id = s.target_id AND i.ended_at IS NULL) AS decide`;

async function recordRound(
  tx: Queryable,
  round: ProbeRecord[],
  settings: Pick<MonitoringSettings, 'openAfter' | 'closeAfter'>,
): Promise<IncidentEvent[]> {
  const rows = round.map(({ targetId, location, dueAt, result, retried }) => {
    const p = result.phases;
    return {
      target_id: targetId,
      location,
      probed_at: result.startedAt.toISOString(),
      ok: result.ok,
      retried,
      status: result.status,
      dns_ms: p.dns,
      connect_ms: p.connect,
      tls_ms: p.tls,
      first_byte_ms: p.firstByte,
      total_ms: p.total,
      bytes: result.bytes,
      redirects: result.redirects,
      cert_expires_at: result.certExpiresAt?.toISOString() ?? null,
      error_class: result.errorClass,
      error_message: result.errorMessage?.slice(0, 500) ?? null,
      drift_ms: result.startedAt.getTime() - dueAt.getTime(),
    };
  });
  const { rows: updated } = await tx.query<{ target_id: string; location: string; decide: boolean }>(
    RECORD_BATCH,
    [JSON.stringify(rows), settings.closeAfter, settings.openAfter],
    {
      name: 'monitoring_record_batch',
    },
  );
  const toDecide = new Map<number, ProbeRecord>();
  for (const u of updated) {
    if (!u.decide) continue;
    const input = round.find((r) => r.targetId === Number(u.target_id) && r.location === u.location);
    if (input) toDecide.set(input.targetId, input);
  }
  if (toDecide.size === 0) return [];
  // Locked in id order (two locations deciding for the same targets wait for one another, never deadlock).
  const ids = [...toDecide.keys()].sort((a, b) => a - b);
  const { rows: targets } = await tx.query(
    `SELECT id, procedure_id, url FROM monitoring_targets WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE`,
    [ids],
  );
  const { rows: views } = await tx.query<View & { target_id: string; last_seen_at: Date | string }>(
    `SELECT s.target_id, s.location, s.down, s.first_failure_at, s.first_success_at, s.last_error_class, l.last_seen_at
       FROM monitoring_schedule s JOIN monitoring_locations l ON l.name = s.location WHERE s.target_id = ANY($1::bigint[])`,
    [ids],
  );
  const { rows: open } = await tx.query<{ id: string; target_id: string; started_at: Date | string; cause: string }>(
    `SELECT id, target_id, started_at, cause FROM monitoring_incidents WHERE target_id = ANY($1::bigint[]) AND ended_at IS NULL`,
    [ids],
  );
  const events: IncidentEvent[] = [];
  for (const target of targets) {
    const input = toDecide.get(Number(target.id))!;
    const at = input.result.startedAt;
    const alive = views.filter(
      (v) =>
        Number(v.target_id) === input.targetId &&
        (new Date(v.last_seen_at).getTime() > at.getTime() - LOCATION_ALIVE_SECONDS * 1000 || v.location === input.location),
    );
    const incident = open.find((i) => Number(i.target_id) === input.targetId);
    events.push(
      ...(await decideIncident(
        tx,
        { id: input.targetId, procedureId: Number(target.procedure_id), url: target.url },
        input,
        alive,
        incident,
      )),
    );
  }
  return events;
}

type View = {
  location: string;
  down: boolean;
  first_failure_at: Date | string | null;
  first_success_at: Date | string | null;
  last_error_class: string | null;
};

/**
 * The agreement of the live locations on one (locked) target: an incident opens when one location says down (two when
 * more than one location watches the target), outside maintenance; it closes when that is no longer so.
 */
async function decideIncident(
  tx: Queryable,
  target: { id: number; procedureId: number; url: string },
  input: ProbeRecord,
  views: View[],
  open: { id: string | number; started_at: Date | string; cause: string } | undefined,
): Promise<IncidentEvent[]> {
  const { location, result } = input;
  const at = result.startedAt;
  const down = views.filter((v) => v.down);
  const needed = views.length > 1 ? 2 : 1;
  const isDown = down.length >= needed;
  const base = { targetId: target.id, procedureId: target.procedureId, url: target.url };
  if (isDown && !open && !(await inMaintenance(tx, base.procedureId, at))) {
    // Down since the moment the needed number of locations had failed: the needed-th earliest first failure.
    const firsts = down.map((v) => new Date(v.first_failure_at!).getTime()).sort((a, b) => a - b);
    const startedAt = new Date(firsts[needed - 1]);
    const mine = down.find((v) => v.location === location) ?? down[0];
    const cause = mine.last_error_class ?? result.errorClass ?? 'network';
    const { rows } = await tx.query(
      `INSERT INTO monitoring_incidents (target_id, started_at, cause, cause_message, locations) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (target_id) WHERE ended_at IS NULL DO NOTHING RETURNING id`,
      [target.id, startedAt, cause, result.errorMessage?.slice(0, 500) ?? null, down.map((v) => v.location)],
    );
    if (rows[0]) return [{ kind: 'opened', incidentId: Number(rows[0].id), ...base, startedAt, endedAt: null, cause }];
  } else if (!isDown && open) {
    const mine = views.find((v) => v.location === location);
    const endedAt = result.ok && mine?.first_success_at ? new Date(mine.first_success_at) : at;
    const startedAt = new Date(open.started_at);
    const ended = endedAt < startedAt ? startedAt : endedAt;
    await tx.query(`UPDATE monitoring_incidents SET ended_at = $2 WHERE id = $1`, [open.id, ended]);
    return [{ kind: 'closed', incidentId: Number(open.id), ...base, startedAt, endedAt: ended, cause: open.cause }];
  }
  return [];
}
