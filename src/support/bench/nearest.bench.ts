/**
 * Nearest help points among 10 000 (issue 14: p99 < 20 ms): 10 000 points placed at real commune centres (± a few
 * hundred metres), a third serving every procedure and the rest the benchmarked one or another; 2 000 searches from
 * random communes, measured around `nearestPoints` (bounding box on the index, then haversine), on PGlite and, when
 * TEST_DATABASE_URL is set, on PostgreSQL. Also the whole public page (commune search included) through the server.
 * Run: node --import tsx src/support/bench/nearest.bench.ts
 */
import { readFileSync } from 'node:fs';
import { TEST_TARGETS } from '../../../test/helpers/db.ts';
import { createTestApp } from '../../../test/helpers/app.ts';
import { parseCommunes } from '../geo/communes.ts';
import { nearestPoints } from '../queries.ts';
import { createTestCatalog } from '../../catalog/testing.ts';

const communes = parseCommunes(readFileSync(new URL('../geo/communes.tsv', import.meta.url), 'utf8')).filter(
  (c) => !c.code.startsWith('97'),
);
let seed = 42;
const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)];
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

for (const target of TEST_TARGETS) {
  const t = await createTestApp(target);
  const { procedures } = await createTestCatalog(t.db, { varied: true, procedures: 3, prefix: 'B' });
  const points = Array.from({ length: 10_000 }, (_, i) => {
    const c = pick(communes);
    return {
      identifier: `bench-${i}`,
      name: `Lieu ${i}`,
      kind: 'france_services',
      commune_code: c.code,
      latitude: c.latitude + (random() - 0.5) * 0.01,
      longitude: c.longitude + (random() - 0.5) * 0.014,
      all_procedures: i % 3 === 0,
    };
  });
  await t.db.query(
    `INSERT INTO support_points (identifier, name, kind, commune_code, latitude, longitude, all_procedures)
     SELECT identifier, name, kind, commune_code, latitude, longitude, all_procedures FROM jsonb_to_recordset($1::jsonb)
       AS x(identifier text, name text, kind text, commune_code text, latitude double precision, longitude double precision, all_procedures boolean)`,
    [JSON.stringify(points)],
  );
  await t.db.query(
    `INSERT INTO support_point_procedures (point_id, procedure_id)
     SELECT id, CASE WHEN id % 3 = 1 THEN $1::bigint ELSE $2::bigint END FROM support_points WHERE NOT all_procedures`,
    [procedures[0], procedures[1]],
  );
  await t.db.query('ANALYZE support_points; ANALYZE support_point_procedures').catch(() => undefined);
  for (let i = 0; i < 100; i++) {
    const c = pick(communes);
    await nearestPoints(t.db, procedures[0], c.latitude, c.longitude);
  } // warm-up
  // The work by design, whatever the load: statements and rows read per search.
  let statements = 0;
  let rowsRead = 0;
  const counting = {
    query: async (text: string, values?: unknown[], options?: any) => {
      const r = await t.db.query(text, values, options);
      statements++;
      rowsRead += r.rows.length;
      return r;
    },
  } as unknown as typeof t.db;
  const times: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const c = pick(communes);
    const start = performance.now();
    const found = await nearestPoints(counting, procedures[0], c.latitude, c.longitude, 10);
    times.push(performance.now() - start);
    if (found.length !== 10) throw new Error(`${found.length} points near ${c.name}`);
  }
  times.sort((a, b) => a - b);
  const pages: number[] = [];
  for (let i = 0; i < 300; i++) {
    const c = pick(communes);
    const start = performance.now();
    const res = await t.app.inject({ method: 'GET', url: `/aide/demarches/${procedures[0]}?commune=${encodeURIComponent(c.code)}` });
    pages.push(performance.now() - start);
    if (res.statusCode !== 200) throw new Error(`page ${res.statusCode}`);
  }
  pages.sort((a, b) => a - b);
  const ms = (v: number) => Math.round(v * 100) / 100;
  console.log(
    JSON.stringify({
      target,
      points: 10_000,
      searches: times.length,
      statementsPerSearch: Math.round((statements / times.length) * 100) / 100,
      rowsPerSearch: Math.round(rowsRead / times.length),
      nearest: {
        p50: ms(percentile(times, 50)),
        p95: ms(percentile(times, 95)),
        p99: ms(percentile(times, 99)),
        max: ms(times[times.length - 1]),
      },
      publicPage: { requests: pages.length, p50: ms(percentile(pages, 50)), p99: ms(percentile(pages, 99)) },
    }),
  );
  const { loadavg } = await import('node:os');
  console.log(JSON.stringify({ target, at: new Date().toISOString(), load: loadavg().map((l) => Math.round(l * 10) / 10) }));
  await t.close();
}
