import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The RGAA referential (criteria, tests, methodologies, glossary) read from the official JSON files copied beside this
 * file (see SOURCE.md). Read once per version and kept: the files never change while Vigie runs.
 */

export const RGAA_VERSIONS = ['4.1.2'] as const;
export type RgaaVersion = (typeof RGAA_VERSIONS)[number];
export const CURRENT_RGAA_VERSION: RgaaVersion = '4.1.2';

export const AUDIT_TYPES = ['fast', 'complementary', 'full'] as const;
export type AuditType = (typeof AUDIT_TYPES)[number];
export const AUDIT_TYPE_LABELS: Record<AuditType, string> = {
  fast: 'Audit rapide',
  complementary: 'Audit complémentaire',
  full: 'Audit complet',
};

/** A paragraph of a note (particular cases, technical note): text, or a bulleted list. Markdown with glossary anchors. */
export type RgaaNote = string | { ul: string[] };

export interface RgaaTest {
  /** "1.1.1" */
  id: string;
  number: number;
  /** The question, then its sub-conditions (Markdown with glossary anchors). */
  lines: string[];
  /** How to run the test (Markdown), from methodologies.json. */
  methodology: string;
}

export interface RgaaCriterion {
  /** "1.1" */
  id: string;
  themeNumber: number;
  number: number;
  /** Markdown with glossary anchors such as [image](#image-porteuse-d-information). */
  title: string;
  tests: RgaaTest[];
  /** WCAG success criteria it references, e.g. "1.1.1 Non-text Content (A)". */
  wcag: string[];
  /** The lowest WCAG level among those references (the data has no level field). */
  level: 'A' | 'AA';
  particularCases: RgaaNote[];
  technicalNote: RgaaNote[];
}

export interface RgaaTheme {
  number: number;
  title: string;
  criteria: RgaaCriterion[];
}

export interface GlossaryTerm {
  title: string;
  /** The anchor the criteria's Markdown links use (« #image-porteuse-d-information »). */
  anchor: string;
  /** HTML from the official glossary. */
  body: string;
}

export interface Referential {
  version: RgaaVersion;
  themes: RgaaTheme[];
  /** Every criterion in the referential's order (theme, then number). */
  criteria: RgaaCriterion[];
  criterion(id: string): RgaaCriterion | undefined;
  glossary: GlossaryTerm[];
  /** Criterion ids an audit of this type covers, in the referential's order. */
  auditCriteria(type: AuditType): string[];
}

interface RawCriteria {
  topics: {
    topic: string;
    number: number;
    criteria: {
      criterium: {
        number: number;
        title: string;
        tests: Record<string, string[]>;
        references?: { wcag?: string[]; techniques?: string[] }[];
        particularCases?: RgaaNote[];
        technicalNote?: RgaaNote[];
      };
    }[];
  }[];
}

const here = path.dirname(fileURLToPath(import.meta.url));

/** The folder holding a version's JSON files. */
export function referentialDir(version: RgaaVersion): string {
  return path.join(here, version);
}

function readJson<T>(version: RgaaVersion, file: string): T {
  return JSON.parse(readFileSync(path.join(referentialDir(version), file), 'utf8')) as T;
}

/**
 * The anchor of a glossary title, as the criteria's Markdown writes it: lower case, accents removed, every run of
 * other characters a hyphen (« Image porteuse d’information » → « image-porteuse-d-information »).
 */
export function glossaryAnchor(title: string): string {
  return title
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function load(version: RgaaVersion): Referential {
  const raw = readJson<RawCriteria>(version, 'criteres.json');
  const methodologies = readJson<Record<string, string>>(version, 'methodologies.json');
  const glossaryRaw = readJson<{ glossary: { title: string; body: string }[] }>(version, 'glossaire.json');
  const types = readJson<{ fast: string[]; complementaryExtra: string[] }>(version, 'audit-types.json');

  const themes: RgaaTheme[] = raw.topics.map((topic) => ({
    number: topic.number,
    title: topic.topic,
    criteria: topic.criteria.map(({ criterium: c }) => {
      const id = `${topic.number}.${c.number}`;
      const wcag = (c.references ?? []).flatMap((r) => r.wcag ?? []);
      const tests = Object.entries(c.tests)
        .map(([n, lines]) => ({ id: `${id}.${n}`, number: Number(n), lines, methodology: methodologies[`${id}.${n}`] ?? '' }))
        .sort((a, b) => a.number - b.number);
      return {
        id,
        themeNumber: topic.number,
        number: c.number,
        title: c.title,
        tests,
        wcag,
        level: wcag.some((w) => w.endsWith('(A)')) ? 'A' : 'AA',
        particularCases: c.particularCases ?? [],
        technicalNote: c.technicalNote ?? [],
      } satisfies RgaaCriterion;
    }),
  }));
  const criteria = themes.flatMap((t) => t.criteria);
  const byId = new Map(criteria.map((c) => [c.id, c]));
  const order = (ids: Iterable<string>) => {
    const set = new Set(ids);
    for (const id of set) if (!byId.has(id)) throw new Error(`audit-types.json (${version}) names an unknown criterion ${id}`);
    return criteria.filter((c) => set.has(c.id)).map((c) => c.id);
  };
  const lists: Record<AuditType, string[]> = {
    fast: order(types.fast),
    complementary: order([...types.fast, ...types.complementaryExtra]),
    full: criteria.map((c) => c.id),
  };
  return {
    version,
    themes,
    criteria,
    criterion: (id) => byId.get(id),
    glossary: glossaryRaw.glossary.map((g) => ({ title: g.title, anchor: glossaryAnchor(g.title), body: g.body })),
    auditCriteria: (type) => lists[type],
  };
}

const loaded = new Map<RgaaVersion, Referential>();

/** The referential of a version (the current one by default), read on first use. */
export function referential(version: RgaaVersion = CURRENT_RGAA_VERSION): Referential {
  let r = loaded.get(version);
  if (!r) {
    r = load(version);
    loaded.set(version, r);
  }
  return r;
}
