import type { Queryable } from '../kernel/db/db.ts';
import { run, sql, type Sql } from '../kernel/db/sql.ts';
import type { Channel, HelpPoint, VolumeMonth } from './model.ts';
import { boundingBox, haversineKm, longitudeRanges } from './geo/distance.ts';

export async function listChannels(db: Queryable, procedureId: number): Promise<Channel[]> {
  const { rows } = await run(
    db,
    sql`SELECT id, kind, label, value, hours, price FROM support_channels WHERE procedure_id = ${procedureId} ORDER BY position, id`,
  );
  return rows.map((r) => ({ id: Number(r.id), kind: r.kind, label: r.label, value: r.value, hours: r.hours, price: r.price }));
}

/** Replaces the channels of a procedure (the form sends them all). */
export async function saveChannels(db: Queryable, procedureId: number, channels: Channel[], isDemo = false): Promise<void> {
  await run(db, sql`DELETE FROM support_channels WHERE procedure_id = ${procedureId}`);
  for (const [i, c] of channels.entries()) {
    await run(
      db,
      sql`INSERT INTO support_channels (procedure_id, position, kind, label, value, hours, price, is_demo)
      VALUES (${procedureId}, ${i}, ${c.kind}, ${c.label}, ${c.value}, ${c.hours}, ${c.price}, ${isDemo})`,
    );
  }
}

export interface PublicProcedure {
  id: number;
  stableId: string;
  title: string;
  url: string | null;
  administration: string;
  volumeOnline: number | null;
}

/** A procedure of the catalogue as the public help page shows it; archived ones are not shown. */
export async function publicProcedure(db: Queryable, id: number): Promise<PublicProcedure | null> {
  const { rows } = await run(
    db,
    sql`SELECT p.id, p.stable_id, p.title, p.url, p.volume_online, a.name AS administration
    FROM procedures p JOIN administrations a ON a.id = p.administration_id WHERE p.id = ${id} AND p.archived_at IS NULL`,
  );
  const r = rows[0];
  return r
    ? {
        id: Number(r.id),
        stableId: r.stable_id,
        title: r.title,
        url: r.url,
        administration: r.administration,
        volumeOnline: r.volume_online === null ? null : Number(r.volume_online),
      }
    : null;
}

export interface NearPoint {
  id: number;
  name: string;
  kind: HelpPoint['kind'];
  address: string;
  postalCode: string;
  communeName: string;
  openingHours: string;
  accessibility: string;
  phone: string;
  latitude: number;
  longitude: number;
  distanceKm: number;
}

/** Radii of the successive boxes. */
export const RADII_KM = [25, 80, 250, 800];

const POINT_COLUMNS = sql`sp.id, sp.name, sp.kind, sp.address, sp.postal_code, sp.commune_name, sp.opening_hours, sp.accessibility, sp.phone, sp.latitude, sp.longitude`;

/**
 * The points of a box around a place (every point when `km` is null) that serve a procedure. The box is read on the
 * (latitude, longitude) index, one range per side of the antimeridian (±180°) so that both bounds stay index
 * conditions.
 */
export function boxQuery(procedureId: number, lat: number, lon: number, km: number | null): Sql {
  const serves = sql`(sp.all_procedures OR EXISTS (SELECT 1 FROM support_point_procedures spp WHERE spp.point_id = sp.id AND spp.procedure_id = ${procedureId}))`;
  if (km === null) return sql`SELECT ${POINT_COLUMNS} FROM support_points sp WHERE ${serves}`;
  const box = boundingBox(lat, lon, km);
  const minLat = Math.max(-90, box.minLat);
  const maxLat = Math.min(90, box.maxLat);
  return sql.join(
    longitudeRanges(box).map(
      ([minLon, maxLon]) => sql`SELECT ${POINT_COLUMNS} FROM support_points sp
    WHERE sp.latitude BETWEEN ${minLat} AND ${maxLat} AND sp.longitude BETWEEN ${minLon} AND ${maxLon} AND ${serves}`,
    ),
    ' UNION ALL ',
  );
}

/**
 * The `limit` help points nearest to a place that serve a procedure, nearest first (haversine distance; ties by name
 * then id). A bounding box on the (latitude, longitude) index keeps the candidates few: 25 km first, widened to 80,
 * 250 and 800 km while fewer than `limit` points fall inside the circle, and every point as the last resort. A box
 * crossing the antimeridian (±180°) is read as two longitude ranges.
 */
export async function nearestPoints(db: Queryable, procedureId: number, lat: number, lon: number, limit = 10): Promise<NearPoint[]> {
  for (const radius of [...RADII_KM, null]) {
    // Named: PostgreSQL plans each shape once (one or two longitude ranges, or every point).
    const shape = radius === null ? 0 : longitudeRanges(boundingBox(lat, lon, radius)).length;
    const { rows } = await run(db, boxQuery(procedureId, lat, lon, radius), { name: `support_nearest_${shape}` });
    const points = rows
      .map((r) => ({
        id: Number(r.id),
        name: r.name,
        kind: r.kind,
        address: r.address,
        postalCode: r.postal_code,
        communeName: r.commune_name,
        openingHours: r.opening_hours,
        accessibility: r.accessibility,
        phone: r.phone,
        latitude: Number(r.latitude),
        longitude: Number(r.longitude),
        distanceKm: haversineKm(lat, lon, Number(r.latitude), Number(r.longitude)),
      }))
      .filter((p) => radius === null || p.distanceKm <= radius);
    if (points.length >= limit || radius === null) {
      points.sort((a, b) => a.distanceKm - b.distanceKm || a.name.localeCompare(b.name, 'fr') || a.id - b.id);
      return points.slice(0, limit);
    }
  }
  return [];
}

export async function listVolumes(db: Queryable, procedureId: number): Promise<VolumeMonth[]> {
  const { rows } = await run(
    db,
    sql`SELECT to_char(month, 'YYYY-MM-DD') AS month, calls_received, calls_answered, mails_received, mails_answered, mean_wait_seconds
    FROM support_volumes WHERE procedure_id = ${procedureId} ORDER BY month`,
  );
  return rows.map((r) => ({
    month: r.month,
    callsReceived: Number(r.calls_received),
    callsAnswered: Number(r.calls_answered),
    mailsReceived: Number(r.mails_received),
    mailsAnswered: Number(r.mails_answered),
    meanWaitSeconds: r.mean_wait_seconds === null ? null : Number(r.mean_wait_seconds),
  }));
}

export async function upsertVolume(db: Queryable, procedureId: number, v: VolumeMonth, isDemo = false): Promise<void> {
  await run(
    db,
    sql`INSERT INTO support_volumes (procedure_id, month, calls_received, calls_answered, mails_received, mails_answered, mean_wait_seconds, is_demo)
    VALUES (${procedureId}, ${v.month}::date, ${v.callsReceived}, ${v.callsAnswered}, ${v.mailsReceived}, ${v.mailsAnswered}, ${v.meanWaitSeconds}, ${isDemo})
    ON CONFLICT (procedure_id, month) DO UPDATE SET calls_received = EXCLUDED.calls_received, calls_answered = EXCLUDED.calls_answered,
      mails_received = EXCLUDED.mails_received, mails_answered = EXCLUDED.mails_answered, mean_wait_seconds = EXCLUDED.mean_wait_seconds, updated_at = now()`,
  );
}

/**
 * Contacts per 1 000 online uses: (calls received + mails received) over the months measured ÷ the online uses of the
 * same duration (the catalogue's yearly online volume × months ÷ 12) × 1 000. Null without months or online volume.
 */
export function contactsPer1000(contacts: number, months: number, yearlyOnline: number | null): number | null {
  if (months <= 0 || !yearlyOnline) return null;
  return (contacts / ((yearlyOnline * months) / 12)) * 1000;
}

/** Sums of the months whose first day lies in the window, per procedure. */
export async function volumeTotals(
  db: Queryable,
  procedureIds: number[],
  start: string,
  end: string,
): Promise<Map<number, { contacts: number; months: number; volumeOnline: number | null }>> {
  const { rows } = await run(
    db,
    sql`SELECT p.id, p.volume_online, count(v.month) AS months, coalesce(sum(v.calls_received + v.mails_received), 0) AS contacts
    FROM procedures p JOIN support_volumes v ON v.procedure_id = p.id AND v.month BETWEEN ${start}::date AND ${end}::date
    WHERE p.id = ANY(${procedureIds}::bigint[]) GROUP BY p.id, p.volume_online`,
  );
  return new Map(
    rows.map((r) => [
      Number(r.id),
      { contacts: Number(r.contacts), months: Number(r.months), volumeOnline: r.volume_online === null ? null : Number(r.volume_online) },
    ]),
  );
}
