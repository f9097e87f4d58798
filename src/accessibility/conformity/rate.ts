/**
 * The RGAA conformity rate (shared/spec/rgaa.md « Conformity rate », from the official « Évaluation de la conformité »):
 * pure functions over an audit's results, no database. Rules, and the choices the texts leave open, are written out in
 * docs/accessibility.md.
 */

export const RESULT_STATUSES = ['C', 'NC', 'NA', 'NT'] as const;
/** C conforme, NC non conforme, NA non applicable, NT non testé. */
export type ResultStatus = (typeof RESULT_STATUSES)[number];

export interface AuditPageResults {
  id: string | number;
  /** The process (« toutes les étapes d'un processus ») the page belongs to, or null/undefined. */
  process?: string | number | null;
  /** The « éléments transverses » pseudo-page: components shared by every page (header, footer…). */
  transverse?: boolean;
  /** The status of each criterion on this page, by criterion id ("1.1"); a criterion missing is NT. */
  results: ReadonlyMap<string, ResultStatus>;
}

export type ConformityLabel = 'totalement_conforme' | 'partiellement_conforme' | 'non_conforme';

export const CONFORMITY_LABEL_TEXT: Record<ConformityLabel, string> = {
  totalement_conforme: 'totalement conforme',
  partiellement_conforme: 'partiellement conforme',
  non_conforme: 'non conforme',
};

export interface PageRate {
  id: string | number;
  /** Criteria C or NC on this page (after the transverse elements and the process rule). */
  applicable: number;
  respected: number;
  /** respected ÷ applicable × 100, exact; null when nothing on the page is applicable. */
  rate: number | null;
}

export interface Conformity {
  /** Criteria of the audit (its type's list). */
  criteria: number;
  /** Criteria C or NC on at least one page. */
  applicable: number;
  /** Applicable criteria NC on no page. */
  respected: number;
  /** respected ÷ applicable × 100, exact (keep it; round only to show it); null when nothing is applicable. */
  rate: number | null;
  label: ConformityLabel;
  /** Each page's own rate (the transverse pseudo-page is not a page: its results are part of every page's). */
  pages: PageRate[];
  /** Mean of the pages' rates (pages where nothing is applicable have no rate and are left out); null if none. */
  averageRate: number | null;
  /** Cells (page × criterion of the audit) not NT, out of all cells; the audit is « en cours » until they are equal. */
  tested: number;
  cells: number;
  complete: boolean;
}

/** The status of a criterion on a page, a missing result being « non testé ». */
function statusOf(page: AuditPageResults, criterion: string): ResultStatus {
  return page.results.get(criterion) ?? 'NT';
}

/**
 * The conformity of an audit whose criteria are `criteria` (results for other criteria are ignored) over its pages.
 * - A criterion is applicable if it is C or NC on at least one page; respected if applicable and NC on no page.
 * - A page's own rate: its criteria C or NC, where the transverse elements' NC (or C) holds for every page, and a C on
 *   a page of a process counts as NC when another page of that process is NC (« validé pour une page du processus
 *   uniquement s'il est validé pour toutes les pages du processus »).
 */
export function computeConformity(criteria: readonly string[], pages: readonly AuditPageResults[]): Conformity {
  const ids = [...new Set(criteria)];
  const transverse = pages.filter((p) => p.transverse);
  const real = pages.filter((p) => !p.transverse);

  // The legal rate: over every page of the sample, the transverse pseudo-page included (its NC is an NC of every page).
  let applicable = 0;
  let respected = 0;
  let tested = 0;
  for (const id of ids) {
    let seenApplicable = false;
    let seenNc = false;
    for (const page of pages) {
      const s = statusOf(page, id);
      if (s !== 'NT') tested++;
      if (s === 'C' || s === 'NC') seenApplicable = true;
      if (s === 'NC') seenNc = true;
    }
    if (seenApplicable) applicable++;
    if (seenApplicable && !seenNc) respected++;
  }

  // Each page's rate: its own result, overridden by the transverse elements (NC wins, then C), then the process rule.
  const effective = (page: AuditPageResults, id: string): ResultStatus => {
    const own = statusOf(page, id);
    if (own === 'NC') return 'NC';
    let result = own;
    for (const t of transverse) {
      const s = statusOf(t, id);
      if (s === 'NC') return 'NC';
      if (s === 'C') result = 'C';
    }
    return result;
  };
  const processFails = new Map<string | number, Set<string>>();
  for (const page of real) {
    if (page.process === null || page.process === undefined) continue;
    let failed = processFails.get(page.process);
    if (!failed) processFails.set(page.process, (failed = new Set()));
    for (const id of ids) if (effective(page, id) === 'NC') failed.add(id);
  }
  const pageRates: PageRate[] = real.map((page) => {
    const failedInProcess = page.process === null || page.process === undefined ? undefined : processFails.get(page.process);
    let pageApplicable = 0;
    let pageRespected = 0;
    for (const id of ids) {
      const s = effective(page, id);
      if (s === 'NC') pageApplicable++;
      else if (s === 'C') {
        pageApplicable++;
        if (!failedInProcess?.has(id)) pageRespected++;
      }
    }
    return { id: page.id, applicable: pageApplicable, respected: pageRespected, rate: percent(pageRespected, pageApplicable) };
  });
  const rated = pageRates.filter((p) => p.rate !== null).map((p) => p.rate!);
  const rate = percent(respected, applicable);
  const cells = ids.length * pages.length;
  return {
    criteria: ids.length,
    applicable,
    respected,
    rate,
    label: conformityLabel(rate),
    pages: pageRates,
    averageRate: rated.length === 0 ? null : rated.reduce((a, b) => a + b, 0) / rated.length,
    tested,
    cells,
    complete: cells > 0 && tested === cells,
  };
}

function percent(part: number, whole: number): number | null {
  return whole === 0 ? null : (part * 100) / whole;
}

/**
 * The label of a rate: 100 % totalement conforme; at least 50 % partiellement conforme; below 50 %, or no rate (no
 * valid audit), non conforme.
 */
export function conformityLabel(rate: number | null): ConformityLabel {
  if (rate === null) return 'non_conforme';
  if (rate >= 100) return 'totalement_conforme';
  if (rate >= 50) return 'partiellement_conforme';
  return 'non_conforme';
}

/** The mandatory mention: « Accessibilité : partiellement conforme ». */
export function conformityMention(label: ConformityLabel): string {
  return `Accessibilité : ${CONFORMITY_LABEL_TEXT[label]}`;
}

/**
 * A rate as the integer shown to people: rounded to the nearest, but never across a label's threshold, so that the
 * figure never contradicts its label (50 of 101 criteria, 49.5 %, shows « 49 % », not « 50 % »; 99.6 % shows 99).
 */
export function displayRate(rate: number): number {
  const rounded = Math.round(rate);
  if (rate < 100 && rounded >= 100) return 99;
  if (rate < 50 && rounded >= 50) return 49;
  return rounded;
}
