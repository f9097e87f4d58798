/** Mean Earth radius (IUGG), in kilometres. */
export const EARTH_RADIUS_KM = 6371.0088;

const rad = (deg: number) => (deg * Math.PI) / 180;

/** Great-circle distance in kilometres between two points given in degrees (haversine formula). */
export function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const dLat = rad(lat2 - lat1);
  const dLon = rad(lon2 - lon1);
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(rad(lat1)) * Math.cos(rad(lat2)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

/**
 * The latitude/longitude box that holds every point within `km` of a centre: a prefilter that an index on
 * (latitude, longitude) answers, before the exact distance. Near the poles the longitude span is the whole circle.
 */
export function boundingBox(lat: number, lon: number, km: number): { minLat: number; maxLat: number; minLon: number; maxLon: number } {
  const dLat = (km / EARTH_RADIUS_KM) * (180 / Math.PI);
  const cos = Math.cos(rad(lat));
  const dLon = cos < 1e-6 ? 180 : Math.min(180, dLat / cos);
  return { minLat: lat - dLat, maxLat: lat + dLat, minLon: lon - dLon, maxLon: lon + dLon };
}

/**
 * The longitude ranges of a box, each within [-180, 180]: one range, or two when the box crosses the antimeridian
 * (±180°, e.g. Wallis-et-Futuna, Fiji): a box from 178° to 182° is 178..180 and -180..-178. A box spanning the whole
 * circle is one range -180..180.
 */
export function longitudeRanges(box: { minLon: number; maxLon: number }): [number, number][] {
  if (box.maxLon - box.minLon >= 360) return [[-180, 180]];
  if (box.minLon < -180)
    return [
      [box.minLon + 360, 180],
      [-180, box.maxLon],
    ];
  if (box.maxLon > 180)
    return [
      [box.minLon, 180],
      [-180, box.maxLon - 360],
    ];
  return [[box.minLon, box.maxLon]];
}
