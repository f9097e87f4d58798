import { fold } from '../validation.ts';
import { FileError } from '../../kernel/spreadsheet/table.ts';
import type { HelpChannel } from '../model.ts';

/** Import and export columns: the key used in code, the French header written on export, the headers accepted on import. */
export const COLUMNS = [
  { key: 'stable_id', header: 'Identifiant', aliases: ['identifiant stable', 'id', 'stable id', 'identifiant demarche', 'code demarche'] },
  { key: 'title', header: 'Intitulé', aliases: ['titre', 'title', 'nom', 'nom de la demarche', 'demarche', 'libelle'] },
  { key: 'slug', header: 'Slug', aliases: [] },
  { key: 'description', header: 'Description', aliases: [] },
  { key: 'administration', header: 'Administration', aliases: ['code administration', 'administration code', 'direction', 'operateur'] },
  { key: 'ministry', header: 'Ministère', aliases: ['code ministere', 'ministry'] },
  { key: 'url', header: 'Adresse en ligne', aliases: ['url', 'lien', 'adresse de la demarche', 'url demarche', 'lien demarche'] },
  { key: 'info_url', header: 'Page d’information', aliases: ['url information', 'info url', 'page information', 'fiche service public'] },
  {
    key: 'user_categories',
    header: 'Publics',
    aliases: ['public', 'categories usagers', 'categories d usagers', 'user categories', 'usagers'],
  },
  { key: 'volume_total', header: 'Volume annuel total', aliases: ['volume total', 'volumetrie', 'volume', 'volume annuel'] },
  { key: 'volume_online', header: 'Volume annuel en ligne', aliases: ['volume en ligne', 'volumetrie en ligne', 'volume online'] },
  {
    key: 'online_status',
    header: 'Statut en ligne',
    aliases: ['statut de dematerialisation', 'dematerialisation', 'en ligne', 'online status', 'statut'],
  },
  { key: 'franceconnect', header: 'FranceConnect', aliases: ['france connect'] },
  { key: 'in_scope', header: 'Top 250', aliases: ['top250', 'perimetre top 250', 'in scope', 'observatoire'] },
  { key: 'help_channels', header: 'Canaux d’aide', aliases: ['canaux aide', 'aide', 'help channels'] },
  { key: 'archived', header: 'Archivée', aliases: ['archive', 'archived'] },
] as const;

export type ColumnKey = (typeof COLUMNS)[number]['key'];

/** Columns written on export for information only (the ministry follows from the administration). */
export const EXPORT_ONLY: ColumnKey[] = ['ministry', 'archived'];

const LOOKUP = new Map<string, ColumnKey>();
for (const c of COLUMNS) for (const name of [c.key, c.header, ...c.aliases]) LOOKUP.set(fold(name), c.key);

export interface ColumnMap {
  /** Column index of each known key present in the file. */
  index: Partial<Record<ColumnKey, number>>;
  /** The header as written in the file, to name columns in error messages. */
  header: Partial<Record<ColumnKey, string>>;
  ignored: string[];
}

export function mapColumns(headers: string[]): ColumnMap {
  const map: ColumnMap = { index: {}, header: {}, ignored: [] };
  headers.forEach((raw, i) => {
    const header = raw.trim();
    if (!header) return;
    const key = LOOKUP.get(fold(header));
    if (!key) {
      map.ignored.push(header);
      return;
    }
    if (map.index[key] !== undefined)
      throw new FileError(`La colonne « ${header} » apparaît deux fois (elle désigne la même donnée que « ${map.header[key]} »).`);
    map.index[key] = i;
    map.header[key] = header;
  });
  if (map.index.stable_id === undefined) {
    throw new FileError(
      'La colonne « Identifiant » est introuvable sur la première ligne. Elle est obligatoire : c’est elle qui relie chaque ligne à une démarche.',
    );
  }
  return map;
}

/**
 * The marker that clears a value. An empty cell leaves an existing procedure's value as it is (a spreadsheet cannot
 * tell « nothing to say » from « erase »): to erase a value, write « (vide) » in the cell.
 */
export const CLEAR_MARKER = '(vide)';

export function isClearMarker(text: string): boolean {
  return /^\(\s*vide\s*\)$/i.test(text.trim());
}

/** A code as people type it, for matching: no case, no accents, no surrounding spaces (« ANTS » is « ants »). */
export function matchCode(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .trim();
}

/** Help channels in one cell: one channel per line, « type | libellé | coordonnées | horaires ». JSON is accepted too. */
export function parseHelpChannels(text: string): { kind?: string; label?: string; value?: string; hours?: string }[] {
  const trimmed = text.trim();
  if (!trimmed) return [];
  if (trimmed.startsWith('[')) {
    try {
      const parsed = JSON.parse(trimmed);
      if (Array.isArray(parsed))
        return parsed.map((c) => ({
          kind: String(c?.kind ?? ''),
          label: String(c?.label ?? ''),
          value: String(c?.value ?? ''),
          hours: String(c?.hours ?? ''),
        }));
    } catch {
      // not JSON after all: read as lines
    }
  }
  return trimmed
    .split(/\r?\n/)
    .filter((line) => line.trim())
    .map((line) => {
      const [kind, label, value, hours] = line.split('|').map((part) => part.trim());
      return { kind, label, value, hours };
    });
}

export function formatHelpChannels(channels: HelpChannel[]): string {
  return channels.map((c) => [c.kind, c.label, c.value, c.hours].map((p) => p.replace(/[|\r\n]+/g, ' ')).join(' | ')).join('\n');
}

export function splitList(text: string): string[] {
  return text
    .split(/[,;|\n]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** A cell that starts with a quote then a formula character was neutralised by our export: take the quote off. */
export function unneutralise(text: string): string {
  return /^'[=+\-@\t\r]/.test(text) ? text.slice(1) : text;
}
