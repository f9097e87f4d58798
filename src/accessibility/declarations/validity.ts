/**
 * The validity of an accessibility declaration (« Déclaration d’accessibilité », « Validité »), pure functions over
 * dates as 'YYYY-MM-DD'. The durations are data (`accessibility_rules`, the steering team may change them):
 * - valid from its publication for `validityMonths` (36);
 * - until `newVersionMonths` (18) after a newer RGAA version than the declaration's is published;
 * - until a « refonte substantielle » (the date the team flags it).
 * The first of the three ends it. `expiresOn` is the first day it is no longer valid.
 */

export interface DeclarationRules {
  validityMonths: number;
  newVersionMonths: number;
  warningDays: number;
  auditMaxAgeMonths: number;
}

export const DEFAULT_DECLARATION_RULES: DeclarationRules = {
  validityMonths: 36,
  newVersionMonths: 18,
  warningDays: 90,
  auditMaxAgeMonths: 36,
};

export interface RgaaVersionDate {
  version: string;
  publishedOn: string;
}

export type ExpiryReason = 'duration' | 'new_version' | 'redesign';

export const EXPIRY_REASON_TEXT: Record<ExpiryReason, string> = {
  duration: 'trois ans après sa publication',
  new_version: 'dix-huit mois après la publication d’une nouvelle version du RGAA',
  redesign: 'refonte substantielle du site',
};

export interface Validity {
  expiresOn: string;
  reason: ExpiryReason;
  valid: boolean;
  /** Days from `today` to `expiresOn` (negative once expired). */
  daysLeft: number;
  /** Valid, and expiring within the warning period. */
  expiresSoon: boolean;
}

function parse(date: string): Date {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`date attendue AAAA-MM-JJ : ${date}`);
  return new Date(`${date}T00:00:00Z`);
}

function iso(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** `date` plus `months` months; a day missing in the target month becomes its last day (31 August + 6 = 28/29 February). */
export function addMonths(date: string, months: number): string {
  const d = parse(date);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return iso(new Date(Date.UTC(y, m, Math.min(d.getUTCDate(), last))));
}

export function daysBetween(from: string, to: string): number {
  return Math.round((parse(to).getTime() - parse(from).getTime()) / 86_400_000);
}

/** Compares RGAA versions segment by segment (4.1.2 < 4.10 < 5). */
export function compareVersions(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

export function declarationValidity(
  declaration: { publishedOn: string; rgaaVersion: string; redesignedOn: string | null },
  rules: DeclarationRules,
  versions: readonly RgaaVersionDate[],
  today: string,
): Validity {
  const candidates: { on: string; reason: ExpiryReason }[] = [
    { on: addMonths(declaration.publishedOn, rules.validityMonths), reason: 'duration' },
  ];
  const newer = versions
    .filter((v) => compareVersions(v.version, declaration.rgaaVersion) > 0)
    .map((v) => v.publishedOn)
    .sort();
  if (newer.length > 0) candidates.push({ on: addMonths(newer[0], rules.newVersionMonths), reason: 'new_version' });
  if (declaration.redesignedOn) candidates.push({ on: declaration.redesignedOn, reason: 'redesign' });
  const first = candidates.reduce((a, b) => (b.on < a.on ? b : a));
  const daysLeft = daysBetween(today, first.on);
  const valid = today >= declaration.publishedOn && today < first.on;
  return { expiresOn: first.on, reason: first.reason, valid, daysLeft, expiresSoon: valid && daysLeft <= rules.warningDays };
}

/** What the « handicap » indicator needs from a published declaration. */
export interface DeclarationFacts {
  publishedOn: string;
  rgaaVersion: string;
  redesignedOn: string | null;
  /** The declared rate (an integer, as shown), or null when the audit had no applicable criterion. */
  rate: number | null;
  hasContact: boolean;
  pagesTested: number;
  /** The date of the audit (its end date, or its publication). */
  auditOn: string;
}

/**
 * The observatoire's « handicap » value (shared/spec/rgaa.md): the rate of a valid declaration that shows the global
 * rate, contact means and a representative sample, from an audit younger than `auditMaxAgeMonths`; otherwise 0, the
 * « Non » level (the rule set's red level starts at 0).
 */
export function handicapValue(
  facts: DeclarationFacts,
  rules: DeclarationRules,
  versions: readonly RgaaVersionDate[],
  today: string,
): number {
  const validity = declarationValidity(facts, rules, versions, today);
  if (!validity.valid) return 0;
  if (facts.rate === null || !facts.hasContact || facts.pagesTested === 0) return 0;
  if (addMonths(facts.auditOn, rules.auditMaxAgeMonths) <= today) return 0;
  return facts.rate;
}
