/**
 * Sums V8 CPU profiles (.cpuprofile, e.g. from PER_REQUEST_PROFILE of bench/per-request.ts) and prints where the time
 * went: self time by file (node_modules packages grouped) and by function, and the inclusive time of the functions
 * whose name matches PROFILE_MATCH. Several groups of files can be compared side by side:
 *   node --import tsx bench/lib/profile-summary.ts 'dir/*perf-old*' 'dir/*perf-*'   (globs expanded by the shell)
 * Arguments: one group per argument, files separated by commas, or one file per argument when there is a single group
 * (PROFILE_GROUPS=1).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function where(url: string): string {
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return `npm:${rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]}`;
  }
  const src = url.indexOf('/src/');
  if (src >= 0) return url.slice(src + 1);
  return url ? path.basename(url) : '(native)';
}

interface Summary {
  totalMs: number;
  byFile: Map<string, number>;
  byFunction: Map<string, number>;
  inclusive: Map<string, number>;
}

function summarise(files: string[], match: RegExp | null): Summary {
  const summary: Summary = { totalMs: 0, byFile: new Map(), byFunction: new Map(), inclusive: new Map() };
  const add = (map: Map<string, number>, key: string, ms: number) => map.set(key, (map.get(key) ?? 0) + ms);
  for (const file of files) {
    const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const parent = new Map<number, number>();
    for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const self = new Map<number, number>();
    profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
    for (const [id, ms] of self) {
      const node = byId.get(id)!;
      const { functionName, url, lineNumber } = node.callFrame;
      if (functionName === '(idle)') continue;
      summary.totalMs += ms;
      add(summary.byFile, where(url), ms);
      add(summary.byFunction, `${functionName || '(anonyme)'} ${where(url)}:${lineNumber + 1}`, ms);
      if (match) {
        // Inclusive: every matching frame on the stack, counted once per sample.
        const seen = new Set<string>();
        for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
          const f = byId.get(cur)!.callFrame;
          const key = `${f.functionName} ${where(f.url)}`;
          if (match.test(key) && !seen.has(key)) {
            seen.add(key);
            add(summary.inclusive, key, ms);
          }
        }
      }
    }
  }
  return summary;
}

const args = process.argv.slice(2);
const groups = process.env.PROFILE_GROUPS === '1' ? [args] : args.map((a) => a.split(','));
const match = process.env.PROFILE_MATCH ? new RegExp(process.env.PROFILE_MATCH) : null;
const top = Number(process.env.PROFILE_TOP ?? 30);
const summaries = groups.map((files) => summarise(files, match));

function table(title: string, pick: (s: Summary) => Map<string, number>): void {
  const keys = new Set<string>();
  for (const s of summaries) for (const k of pick(s).keys()) keys.add(k);
  const rows = [...keys]
    .map((k) => ({ k, v: summaries.map((s) => pick(s).get(k) ?? 0) }))
    .sort((a, b) => Math.max(...b.v) - Math.max(...a.v))
    .slice(0, top);
  console.log(`\n${title} (ms échantillonnées, hors inactivité ; mêmes requêtes dans chaque groupe pour comparer)`);
  for (const r of rows) console.log(`${r.v.map((v) => v.toFixed(0).padStart(7)).join(' ')}  ${r.k}`);
}

console.log(`groupes : ${groups.map((g) => `${g.length} fichiers, ${summaries[groups.indexOf(g)].totalMs.toFixed(0)} ms`).join(' | ')}`);
table('par fichier', (s) => s.byFile);
table('par fonction', (s) => s.byFunction);
if (match) table(`inclusif (${match})`, (s) => s.inclusive);
