/**
 * CPU time to render the catalogue's list page (50 rows, no database) in one or more source trees, alternated:
 *   node --import tsx bench/lib/catalogue-render.ts [tree…]   (default: this tree; e.g. . ../perf-old)
 * Prints the median µs per page of 7 rounds of 2 000 renders for each tree, twice.
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const trees = process.argv.slice(2).map((t) => path.resolve(t));
if (trees.length === 0) trees.push(here);

async function page(root: string): Promise<() => unknown> {
  const load = (file: string) => import(pathToFileURL(path.join(root, file)).href);
  const { procedureListPage } = await load('src/catalog/views/procedure-list.ts');
  const { parseFilters } = await load('src/catalog/filters.ts');
  const rows = Array.from({ length: 50 }, (_, i) => ({
    id: 1000 + i,
    title: `Démarche d’essai n° ${i}`,
    stable_id: `BENCH-${i}`,
    administration_name: `Direction d’essai n° ${i % 10}`,
    volume_total: 1000 * i,
    online_status: 'oui',
    in_scope: true,
    archived_at: null,
  }));
  const ctx = {
    filters: parseFilters({}),
    rows,
    total: 252,
    ministries: Array.from({ length: 13 }, (_, i) => ({ code: `m${i}`, name: `Ministère ${i}` })),
    administrations: Array.from({ length: 43 }, (_, i) => ({ code: `a${i}`, name: `Administration ${i}` })),
    canCreate: true,
  };
  return () => procedureListPage(ctx);
}

const renders = await Promise.all(trees.map(page));
for (const render of renders) for (let i = 0; i < 2000; i++) render(); // warm-up
for (let pass = 0; pass < 2; pass++) {
  renders.forEach((render, t) => {
    const perPage: number[] = [];
    for (let round = 0; round < 7; round++) {
      const cpu = process.cpuUsage();
      for (let i = 0; i < 2000; i++) render();
      const used = process.cpuUsage(cpu);
      perPage.push((used.user + used.system) / 2000);
    }
    perPage.sort((a, b) => a - b);
    console.log(`${path.basename(trees[t])} : ${perPage[3].toFixed(0)} µs par page (${perPage.map((v) => v.toFixed(0)).join(' ')})`);
  });
}
