import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { boundingBox, haversineKm, longitudeRanges } from './distance.ts';
import { normaliseName, searchCommune } from './communes.ts';

// One degree of a great circle is 2πR/360 = 6371.0088 × π / 180 = 111.1951 km (R: IUGG mean radius).
const DEGREE_KM = 111.1951;

describe('haversine distance', () => {
  test('one degree along the equator and along a meridian', () => {
    assert.ok(Math.abs(haversineKm(0, 0, 0, 1) - DEGREE_KM) < 0.001);
    assert.ok(Math.abs(haversineKm(45, 5, 46, 5) - DEGREE_KM) < 0.001);
    assert.equal(haversineKm(45.764, 4.8357, 45.764, 4.8357), 0);
  });
  test('a quarter of the Earth: pole to equator is πR/2 = 10 007,5 km', () => {
    assert.ok(Math.abs(haversineKm(90, 0, 0, 0) - 10007.557) < 0.01);
  });
  test('the bounding box holds the circle: its edges are at the radius on the axes', () => {
    const box = boundingBox(45, 5, DEGREE_KM);
    assert.ok(Math.abs(box.maxLat - 46) < 1e-4 && Math.abs(box.minLat - 44) < 1e-4);
    // At 45° a degree of longitude is cos 45° = 0,7071 of a degree of latitude: 1° of arc spans 1,4142° of longitude.
    assert.ok(Math.abs(box.maxLon - (5 + 1.41421)) < 1e-4);
  });
  test('a box across the antimeridian is two longitude ranges, each within ±180°', () => {
    assert.deepEqual(longitudeRanges({ minLon: 178, maxLon: 182 }), [
      [178, 180],
      [-180, -178],
    ]);
    assert.deepEqual(longitudeRanges({ minLon: -181.5, maxLon: -178.5 }), [
      [178.5, 180],
      [-180, -178.5],
    ]);
    assert.deepEqual(longitudeRanges({ minLon: 4, maxLon: 6 }), [[4, 6]]);
    assert.deepEqual(longitudeRanges({ minLon: -180, maxLon: 180 }), [[-180, 180]]);
    // 1° of arc at the equator is 1° of longitude: from 179,5° the box reaches 180,5°, that is -179,5°.
    const ranges = longitudeRanges(boundingBox(0, 179.5, DEGREE_KM));
    assert.equal(ranges.length, 2);
    assert.ok(
      Math.abs(ranges[0][0] - 178.5) < 1e-4 && ranges[0][1] === 180 && ranges[1][0] === -180 && Math.abs(ranges[1][1] - -179.5) < 1e-4,
    );
  });
});

describe('commune search', () => {
  test('names are compared without accents, case, dashes or « St »', () => {
    assert.equal(normaliseName('  Saint-Étienne '), 'saint etienne');
    assert.equal(normaliseName('St-Étienne'), 'saint etienne');
    assert.equal(normaliseName('L’Haÿ-les-Roses'), 'l hay les roses');
  });
  test('a postal code, a name and an INSEE code find the commune', () => {
    const byPostal = searchCommune('69003');
    assert.equal(byPostal.kind, 'found');
    assert.equal(byPostal.kind === 'found' && byPostal.commune.code, '69383'); // Lyon 3e arrondissement
    const byName = searchCommune('saint etienne');
    assert.equal(byName.kind === 'found' && byName.commune.code, '42218');
    const byCode = searchCommune('2A004');
    assert.equal(byCode.kind === 'found' && byCode.commune.name, 'Ajaccio');
  });
  test('homonyms and shared postal codes are offered as choices; nothing found says so in French', () => {
    const homonyms = searchCommune('Saint-Denis');
    assert.equal(homonyms.kind, 'choose');
    assert.ok(
      homonyms.kind === 'choose' && homonyms.communes.some((c) => c.code === '93066') && homonyms.communes.some((c) => c.code === '97411'),
    );
    const none = searchCommune('Xyzzyville');
    assert.equal(none.kind, 'none');
    assert.match(none.kind === 'none' ? none.message : '', /Aucune commune ne s’appelle « Xyzzyville »/);
    assert.equal(searchCommune('').kind, 'none');
    assert.equal(searchCommune('x'.repeat(101)).kind, 'none');
  });
});
