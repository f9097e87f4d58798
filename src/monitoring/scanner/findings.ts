import type { ScanFinding } from '../scan-findings.ts';
import type { AxeRule } from './protocol.ts';

/**
 * axe results → RGAA findings. Only rules tagged `RGAA-x.y.z` speak to RGAA (axe-core 4.14: 40 tests in 33 criteria,
 * listed in docs/monitoring.md); a violation makes its criteria « non conforme », an incomplete result « à vérifier »;
 * nothing ever makes a criterion « conforme ». One finding per rule and criterion, elements bounded.
 */
export const MAX_ELEMENTS = 10;

export function rgaaTests(tags: string[]): string[] {
  return tags.filter((t) => /^RGAA-\d+\.\d+\.\d+$/.test(t)).map((t) => t.slice(5));
}

export function toFindings(pageUrl: string, violations: AxeRule[], incomplete: AxeRule[]): ScanFinding[] {
  const out: ScanFinding[] = [];
  const add = (rules: AxeRule[], verdict: ScanFinding['verdict']) => {
    for (const rule of rules) {
      const tests = rgaaTests(rule.tags);
      const criteria = [...new Set(tests.map((t) => t.split('.').slice(0, 2).join('.')))];
      for (const criterion of criteria) {
        out.push({
          criterion,
          tests: tests.filter((t) => t.startsWith(`${criterion}.`)),
          verdict,
          pageUrl,
          ruleId: rule.id,
          message: rule.help,
          elements: rule.nodes.slice(0, MAX_ELEMENTS).map((n) => ({ selector: n.target, html: n.html })),
        });
      }
    }
  };
  add(violations, 'non-conforme');
  add(incomplete, 'a-verifier');
  return out;
}

export interface DeclarationPresence {
  /** « non », « partiellement », « totalement », or null when the mention is missing. */
  mention: 'non' | 'partiellement' | 'totalement' | null;
  link: string | null;
  rate: number | null;
  date: string | null;
}

const MONTHS: Record<string, string> = {
  janvier: '01',
  février: '02',
  fevrier: '02',
  mars: '03',
  avril: '04',
  mai: '05',
  juin: '06',
  juillet: '07',
  août: '08',
  aout: '08',
  septembre: '09',
  octobre: '10',
  novembre: '11',
  décembre: '12',
  decembre: '12',
};

/**
 * The mention « Accessibilité : non / partiellement / totalement conforme » on a page, the link to the declaration,
 * and, on a declaration page, the declared rate (« … 75,5 % des critères … ») and the date (« établie le 3 mars 2026 »,
 * « le 03/03/2026 »).
 */
export function declarationPresence(text: string, links: { text: string; href: string }[]): DeclarationPresence {
  const flat = text.replace(/\s+/g, ' ');
  const m = flat.match(/Accessibilit[ée]\s*:\s*(non|partiellement|totalement)\s+conforme/i);
  const mention = m ? (m[1].toLowerCase() as DeclarationPresence['mention']) : null;
  const link = links.find((l) => /accessibilit/i.test(l.text))?.href ?? null;
  const rateMatch =
    flat.match(/(\d{1,3}(?:[,.]\d{1,2})?)\s?%\s+des\s+crit[èe]res/i) ??
    flat.match(/taux\s+(?:global\s+)?de\s+conformit[ée][^\d]{0,40}(\d{1,3}(?:[,.]\d{1,2})?)\s?%/i);
  const rate = rateMatch ? Number(rateMatch[1].replace(',', '.')) : null;
  let date: string | null = null;
  const long = flat.match(/(?:établie|etablie|réalisée?|mise à jour|effectuée?)\s+le\s+(\d{1,2})(?:er)?\s+([a-zéû]+)\s+(\d{4})/i);
  const short = flat.match(/(?:établie|etablie|réalisée?|mise à jour|effectuée?)\s+le\s+(\d{2})\/(\d{2})\/(\d{4})/i);
  if (long && MONTHS[long[2].toLowerCase()]) date = `${long[3]}-${MONTHS[long[2].toLowerCase()]}-${long[1].padStart(2, '0')}`;
  else if (short) date = `${short[3]}-${short[2]}-${short[1]}`;
  return { mention, link, rate: rate !== null && rate <= 100 ? rate : null, date };
}
