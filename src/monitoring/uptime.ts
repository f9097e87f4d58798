import type { Queryable } from '../kernel/db/db.ts';
import { maintenanceIntervals } from './engine.ts';

/**
 * Uptime counted in time, not in checks (the formula of docs/monitoring.md and of the help page):
 *
 *   uptime = (monitored time − downtime) ÷ monitored time
 *   monitored time = [max(window start, monitoring start), window end) minus maintenance windows
 *   downtime = incidents (an open one runs to the window's end) within the monitored time
 *
 * A procedure is down while any of its targets is in incident (the union of their incidents); its monitoring starts
 * with its first target. Changing a target's interval changes no figure: only incident times count. Reads targets,
 * incidents and maintenance windows only (never raw probes).
 */

export type Interval = [number, number];

/** Sorted, merged intervals. */
export function union(intervals: Interval[]): Interval[] {
  const sorted = intervals.filter(([s, e]) => e > s).sort((a, b) => a[0] - b[0]);
  const out: Interval[] = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

/** `a` minus `b` (both any intervals). */
export function subtract(a: Interval[], b: Interval[]): Interval[] {
  const cut = union(b);
  const out: Interval[] = [];
  for (const [s0, e] of union(a)) {
    let s = s0;
    for (const [bs, be] of cut) {
      if (be <= s || bs >= e) continue;
      if (bs > s) out.push([s, bs]);
      s = Math.max(s, be);
      if (s >= e) break;
    }
    if (s < e) out.push([s, e]);
  }
  return out;
}

export function clip(intervals: Interval[], from: number, to: number): Interval[] {
  return intervals.map(([s, e]): Interval => [Math.max(s, from), Math.min(e, to)]).filter(([s, e]) => e > s);
}

export const totalOf = (intervals: Interval[]) => union(intervals).reduce((sum, [s, e]) => sum + (e - s), 0);

export interface Uptime {
  monitoredMs: number;
  downMs: number;
  /** Per cent, or null when nothing was monitored in the window. */
  percent: number | null;
}

export function uptimeFrom(monitored: Interval[], down: Interval[]): Uptime {
  const monitoredMs = totalOf(monitored);
  const downMs = totalOf(subtract(down, subtract([[-Infinity, Infinity]], monitored)));
  return { monitoredMs, downMs, percent: monitoredMs > 0 ? ((monitoredMs - downMs) / monitoredMs) * 100 : null };
}

type Group = 'target' | 'procedure';

/** What the figures of a window need, loaded once (then computed for any sub-window without a query). */
export interface UptimeData {
  since: Map<number, number>;
  maintenance: Map<number, Interval[]>;
  down: Map<number, Interval[]>;
}

export interface UptimeRows {
  targets: { id: number | string; procedure_id: number | string; monitored_since: Date | string }[];
  incidents: { target_id: number | string; started_at: Date | string; ended_at: Date | string | null }[];
  windows: { procedure_id: number | string; starts_at: Date | string; ends_at: Date | string; recurrence: string }[];
}

/**
 * Loads targets, incidents and maintenance windows meeting [from, to), keyed by target or by procedure. Incidents are
 * found through the index on (target, end) — an open one ends at « infinity » — so years of history are not scanned.
 */
export async function loadUptimeData(db: Queryable, group: Group, ids: number[], from: Date, to: Date): Promise<UptimeData> {
  if (ids.length === 0) return uptimeDataFrom(group, { targets: [], incidents: [], windows: [] }, from, to);
  const column = group === 'target' ? 't.id' : 't.procedure_id';
  const { rows: targets } = await db.query(
    `SELECT t.id, t.procedure_id, t.monitored_since FROM monitoring_targets t WHERE ${column} = ANY($1::bigint[]) AND t.monitored_since < $2`,
    [ids, to],
  );
  if (targets.length === 0) return uptimeDataFrom(group, { targets: [], incidents: [], windows: [] }, from, to);
  const procedureIds = [...new Set(targets.map((r) => Number(r.procedure_id)))];
  const { rows: incidents } = await db.query(
    `SELECT target_id, started_at, ended_at FROM monitoring_incidents
      WHERE target_id = ANY($1::bigint[]) AND coalesce(ended_at, 'infinity'::timestamptz) > $2 AND started_at < $3`,
    [targets.map((r) => Number(r.id)), from, to],
  );
  const { rows: windows } = await db.query(
    `SELECT procedure_id, starts_at, ends_at, recurrence FROM monitoring_maintenance WHERE procedure_id = ANY($1::bigint[]) AND starts_at < $2`,
    [procedureIds, to],
  );
  return uptimeDataFrom(
    group,
    {
      targets: targets as UptimeRows['targets'],
      incidents: incidents as UptimeRows['incidents'],
      windows: windows as UptimeRows['windows'],
    },
    from,
    to,
  );
}

/** What the figures need, from rows already read (targets, incidents and maintenance windows meeting [from, to)). */
export function uptimeDataFrom(group: Group, rows: UptimeRows, from: Date, to: Date): UptimeData {
  const data: UptimeData = { since: new Map(), maintenance: new Map(), down: new Map() };
  const f = from.getTime();
  const t = to.getTime();
  const keyOfTarget = new Map<number, number>();
  const keysOfProcedure = new Map<number, Set<number>>();
  for (const r of rows.targets) {
    const key = group === 'target' ? Number(r.id) : Number(r.procedure_id);
    keyOfTarget.set(Number(r.id), key);
    const keys = keysOfProcedure.get(Number(r.procedure_id)) ?? new Set();
    keys.add(key);
    keysOfProcedure.set(Number(r.procedure_id), keys);
    const s = new Date(r.monitored_since).getTime();
    data.since.set(key, Math.min(data.since.get(key) ?? Infinity, s));
  }
  for (const w of rows.windows) {
    const intervals = maintenanceIntervals(w, f, t);
    for (const key of keysOfProcedure.get(Number(w.procedure_id)) ?? []) {
      const list = data.maintenance.get(key) ?? [];
      list.push(...intervals);
      data.maintenance.set(key, list);
    }
  }
  for (const i of rows.incidents) {
    const key = keyOfTarget.get(Number(i.target_id));
    if (key === undefined) continue;
    const list = data.down.get(key) ?? [];
    // An open incident runs to the window's end (never past it).
    list.push([new Date(i.started_at).getTime(), i.ended_at ? new Date(i.ended_at).getTime() : t]);
    data.down.set(key, list);
  }
  return data;
}

/** The uptime of one key over [from, to) (within the loaded window), or null when it was not monitored yet. */
export function computeUptime(data: UptimeData, key: number, from: number, to: number): Uptime | null {
  const start = data.since.get(key);
  if (start === undefined || start >= to) return null;
  const monitored = subtract([[Math.max(from, start), to]], data.maintenance.get(key) ?? []);
  return uptimeFrom(monitored, clip(data.down.get(key) ?? [], from, to));
}

/** Uptime of each target (or procedure) over [from, to). */
export async function uptimes(db: Queryable, group: Group, ids: number[], from: Date, to: Date): Promise<Map<number, Uptime>> {
  const data = await loadUptimeData(db, group, ids, from, to);
  const result = new Map<number, Uptime>();
  for (const key of data.since.keys()) {
    const u = computeUptime(data, key, from.getTime(), to.getTime());
    if (u) result.set(key, u);
  }
  return result;
}

export const WINDOWS = [
  { key: '24h', label: '24 heures', ms: 86_400_000 },
  { key: '7d', label: '7 jours', ms: 7 * 86_400_000 },
  { key: '30d', label: '30 jours', ms: 30 * 86_400_000 },
  { key: '90d', label: '90 jours', ms: 90 * 86_400_000 },
] as const;
