import { readFileSync } from 'node:fs';

/**
 * Communes and municipal districts with a centre, for the « Obtenir de l'aide » search (docs/support.md « Communes »):
 * src/support/geo/communes.tsv, made by scripts/support-communes.js from @etalab/decoupage-administratif (names, INSEE
 * codes, postal codes) and GeoNames cities500 (centres, CC BY 4.0). Read once, on the first search, not at start.
 */
export interface Commune {
  code: string;
  name: string;
  postalCodes: string[];
  latitude: number;
  longitude: number;
  /** Where the centre comes from: c the commune itself, p the communes of its postal code, d its department's chef-lieu. */
  centre: 'c' | 'p' | 'd';
  population: number;
  /** The department's code, from the INSEE code (2A/2B, 971…). */
  department: string;
}

interface Index {
  byCode: Map<string, Commune>;
  byPostalCode: Map<string, Commune[]>;
  byName: Map<string, Commune[]>;
  names: [string, Commune][];
}

let index: Index | null = null;

const DISTRICT = /^(751\d\d|132\d\d|6938\d)$/;
const CITIES_WITH_DISTRICTS = new Set(['75056', '13055', '69123']);

/** Lower case, no accents, apostrophes and dashes as spaces, « saint » kept whole: « St-Étienne » finds « Saint-Étienne ». */
export function normaliseName(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[’'`\-_.,/]/g, ' ')
    .replace(/\bste\b/g, 'sainte')
    .replace(/\bst\b/g, 'saint')
    .replace(/\s+/g, ' ')
    .trim();
}

function department(code: string): string {
  return code.startsWith('97') ? code.slice(0, 3) : code.slice(0, 2);
}

export function parseCommunes(text: string): Commune[] {
  const lines = text.split('\n');
  const communes: Commune[] = [];
  for (let i = 1; i < lines.length; i++) {
    if (!lines[i]) continue;
    const [code, name, postal, lat, lon, centre, population] = lines[i].split('\t');
    communes.push({
      code,
      name,
      postalCodes: postal ? postal.split(',') : [],
      latitude: Number(lat),
      longitude: Number(lon),
      centre: centre as Commune['centre'],
      population: Number(population) || 0,
      department: department(code),
    });
  }
  return communes;
}

function load(): Index {
  if (index) return index;
  const communes = parseCommunes(readFileSync(new URL('./communes.tsv', import.meta.url), 'utf8'));
  const byCode = new Map<string, Commune>();
  const byPostalCode = new Map<string, Commune[]>();
  const byName = new Map<string, Commune[]>();
  for (const c of communes) {
    byCode.set(c.code, c);
    for (const p of c.postalCodes) {
      if (!byPostalCode.has(p)) byPostalCode.set(p, []);
      byPostalCode.get(p)!.push(c);
    }
    const key = normaliseName(c.name);
    if (!byName.has(key)) byName.set(key, []);
    byName.get(key)!.push(c);
  }
  // Paris, Lyon and Marseille share their postal codes with their municipal districts: the district is the answer.
  for (const [code, list] of byPostalCode) {
    if (list.some((c) => DISTRICT.test(c.code)))
      byPostalCode.set(
        code,
        list.filter((c) => !CITIES_WITH_DISTRICTS.has(c.code)),
      );
  }
  for (const list of [...byName.values(), ...byPostalCode.values()]) list.sort((a, b) => b.population - a.population);
  index = {
    byCode,
    byPostalCode,
    byName,
    names: [...byName.entries()].flatMap(([k, list]) => list.map((c) => [k, c] as [string, Commune])),
  };
  return index;
}

export function communeByCode(code: string): Commune | null {
  return load().byCode.get(code) ?? null;
}

export type CommuneSearch =
  | { kind: 'found'; commune: Commune }
  | { kind: 'choose'; communes: Commune[] }
  | { kind: 'none'; message: string };

const MAX_CHOICES = 12;

/**
 * What the person typed: a postal code (« 69003 »), an INSEE code, or a commune name (accents, case and dashes
 * ignored). One match is found; several (a postal code shared by communes, homonyms, a name's beginning) are offered
 * as choices, most populated first.
 */
export function searchCommune(query: string): CommuneSearch {
  const text = query.trim();
  if (!text) return { kind: 'none', message: 'Indiquez le nom de votre commune ou son code postal.' };
  if (text.length > 100) return { kind: 'none', message: 'Le nom d’une commune fait au plus 100 caractères.' };
  const idx = load();
  if (/^\d{5}$/.test(text)) {
    const list = idx.byPostalCode.get(text);
    if (list?.length)
      return list.length === 1 ? { kind: 'found', commune: list[0] } : { kind: 'choose', communes: list.slice(0, MAX_CHOICES) };
  }
  if (/^[0-9][0-9AaBb]\d{3}$/.test(text)) {
    const c = idx.byCode.get(text.toUpperCase());
    if (c) return { kind: 'found', commune: c };
    return { kind: 'none', message: `Aucune commune n’a le code postal ou le code INSEE ${text}.` };
  }
  const key = normaliseName(text);
  if (key.length < 2) return { kind: 'none', message: 'Tapez au moins deux lettres du nom de la commune.' };
  const exact = idx.byName.get(key);
  if (exact?.length === 1) return { kind: 'found', commune: exact[0] };
  if (exact && exact.length > 1) return { kind: 'choose', communes: exact.slice(0, MAX_CHOICES) };
  const starting = idx.names.filter(([k]) => k.startsWith(key)).map(([, c]) => c);
  starting.sort((a, b) => b.population - a.population);
  if (starting.length === 1) return { kind: 'found', commune: starting[0] };
  if (starting.length > 1) return { kind: 'choose', communes: starting.slice(0, MAX_CHOICES) };
  return { kind: 'none', message: `Aucune commune ne s’appelle « ${text} ». Vérifiez l’orthographe ou tapez le code postal.` };
}
