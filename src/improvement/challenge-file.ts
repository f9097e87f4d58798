/**
 * A défi as a file: YAML front matter (the fields) and a Markdown body. The same text is typed in the back-office
 * textarea, imported (a .md file or a zip of them, one file per défi) and exported: one parser, one writer.
 */
import { parse, stringify } from 'yaml';

export const STATUSES = ['brouillon', 'ouvert', 'en_cours', 'termine', 'abandonne'] as const;
export type ChallengeStatus = (typeof STATUSES)[number];
export const STATUS_LABELS: Record<ChallengeStatus, string> = {
  brouillon: 'Brouillon',
  ouvert: 'Ouvert (équipe en constitution)',
  en_cours: 'En cours',
  termine: 'Terminé',
  abandonne: 'Abandonné',
};

/** Feedback indicators a défi can follow (from the rollups: samples of answers, intervals and tests). */
export const FEEDBACK_EFFECT_INDICATORS = [
  'satisfaction',
  'clarity',
  'helpReachable',
  'helpEfficient',
  'autonomy',
  'negative',
  'hard',
  'helpNeeded',
] as const;
export type FeedbackEffectIndicator = (typeof FEEDBACK_EFFECT_INDICATORS)[number];
/**
 * The other indicators (measure-effect.ts): accessibility rate (audits), uptime and load time (monitoring), online use
 * and contacts per 1 000 uses (the observatoire's published values); each with the method that fits its nature.
 */
export const MEASURE_EFFECT_INDICATORS = ['accessibilityRate', 'uptime', 'loadTime', 'onlineUse', 'contacts'] as const;
export type MeasureEffectIndicator = (typeof MEASURE_EFFECT_INDICATORS)[number];
/** Indicators whose effect a défi can follow. */
export const EFFECT_INDICATORS = [...FEEDBACK_EFFECT_INDICATORS, ...MEASURE_EFFECT_INDICATORS] as const;
export type EffectIndicator = (typeof EFFECT_INDICATORS)[number];

export interface ChallengeFile {
  slug: string;
  title: string;
  description: string;
  ministry: string;
  direction: string;
  place: string;
  positions: string[];
  start: string | null;
  end: string | null;
  /** The date the changes went live: the effect compares the windows before and after it. */
  launch: string | null;
  status: ChallengeStatus;
  /** Stable ids of the procedures (catalogue). */
  procedures: string[];
  indicators: EffectIndicator[];
  body: string;
}

export class ChallengeFileError extends Error {
  constructor(readonly errors: string[]) {
    super(errors.join(' '));
  }
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const MAX_TEXT = 200_000;

function text(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return '';
}

function list(v: unknown): string[] | null {
  if (v === undefined || v === null) return [];
  if (typeof v === 'string')
    return v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  if (Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number'))
    return v.map((x) => String(x).trim()).filter(Boolean);
  return null;
}

function date(v: unknown): string | null | undefined {
  if (v === undefined || v === null || v === '') return null;
  if (v instanceof Date && !Number.isNaN(v.getTime())) return v.toISOString().slice(0, 10);
  if (typeof v === 'string' && DATE.test(v.trim()) && !Number.isNaN(Date.parse(`${v.trim()}T00:00:00Z`))) return v.trim();
  return undefined;
}

/** Reads a défi file; every problem is a French message (all of them at once), nothing is half-read. */
export function parseChallengeFile(source: string): ChallengeFile {
  if (source.length > MAX_TEXT) throw new ChallengeFileError([`Le fichier dépasse ${MAX_TEXT / 1000} 000 caractères.`]);
  const normalised = source.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const match = /^---\n([\s\S]*?)\n---(?:\n|$)([\s\S]*)$/.exec(normalised);
  if (!match)
    throw new ChallengeFileError([
      'Le fichier doit commencer par un en-tête entre deux lignes « --- » (titre, slug, etc.), suivi du texte en Markdown.',
    ]);
  let front: unknown;
  try {
    front = parse(match[1]!, { schema: 'core', maxAliasCount: 0 });
  } catch (error) {
    throw new ChallengeFileError([`L’en-tête n’est pas du YAML valide : ${(error as Error).message.split('\n')[0]}`]);
  }
  if (!front || typeof front !== 'object' || Array.isArray(front))
    throw new ChallengeFileError(['L’en-tête doit être une liste de champs « nom: valeur ».']);
  const f = front as Record<string, unknown>;
  const get = (key: string) => (Object.hasOwn(f, key) ? f[key] : undefined);
  const errors: string[] = [];
  const title = text(get('title'));
  if (!title) errors.push('title : le titre est obligatoire.');
  if (title.length > 200) errors.push('title : 200 caractères au plus.');
  const slug = text(get('slug'));
  if (!SLUG.test(slug) || slug.length > 80)
    errors.push(
      'slug : lettres minuscules sans accent, chiffres et tirets (par exemple « immatriculation-vehicules »), 80 caractères au plus.',
    );
  const status = (text(get('status')) || 'brouillon') as ChallengeStatus;
  if (!STATUSES.includes(status)) errors.push(`status : une valeur parmi ${STATUSES.join(', ')}.`);
  const dates: Record<string, string | null> = {};
  for (const key of ['start', 'end', 'launch']) {
    const d = date(get(key));
    if (d === undefined) errors.push(`${key} : une date au format AAAA-MM-JJ.`);
    dates[key] = d ?? null;
  }
  if (dates.start && dates.end && dates.end < dates.start) errors.push('end : la date de fin précède la date de début.');
  const positions = list(get('positions'));
  if (positions === null) errors.push('positions : une liste de postes à pourvoir.');
  const procedures = list(get('procedures'));
  if (procedures === null) errors.push('procedures : une liste d’identifiants stables de démarches.');
  const indicators = list(get('indicators'));
  if (indicators === null || indicators.some((i) => !(EFFECT_INDICATORS as readonly string[]).includes(i))) {
    errors.push(`indicators : une liste parmi ${EFFECT_INDICATORS.join(', ')}.`);
  }
  const known = new Set([
    'title',
    'slug',
    'description',
    'ministry',
    'direction',
    'place',
    'positions',
    'start',
    'end',
    'launch',
    'status',
    'procedures',
    'indicators',
  ]);
  const unknown = Object.keys(f).filter((k) => !known.has(k));
  if (unknown.length) errors.push(`Champs inconnus : ${unknown.join(', ')}.`);
  if (errors.length) throw new ChallengeFileError(errors);
  return {
    slug,
    title,
    status,
    description: text(get('description')).slice(0, 2000),
    ministry: text(get('ministry')).slice(0, 200),
    direction: text(get('direction')).slice(0, 200),
    place: text(get('place')).slice(0, 200),
    positions: positions!,
    procedures: procedures!,
    indicators: (indicators!.length ? indicators! : ['satisfaction']) as EffectIndicator[],
    start: dates.start!,
    end: dates.end!,
    launch: dates.launch!,
    body: match[2]!.replace(/^\n+/, '').replace(/\s+$/, ''),
  };
}

/** Writes a défi file: the front matter in a fixed order, then the body. parse(write(x)) = x. */
export function writeChallengeFile(c: ChallengeFile): string {
  const front = {
    title: c.title,
    slug: c.slug,
    description: c.description,
    ministry: c.ministry,
    direction: c.direction,
    place: c.place,
    positions: c.positions,
    start: c.start,
    end: c.end,
    launch: c.launch,
    status: c.status,
    procedures: c.procedures,
    indicators: c.indicators,
  };
  return `---\n${stringify(front, { lineWidth: 0 }).trimEnd()}\n---\n\n${c.body}\n`;
}
