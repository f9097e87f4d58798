/**
 * Masks personal data in free text before it is stored (the list of questionnaire.md). Only the number of masked
 * items is kept. Order matters: the longer, more specific numbers (IBAN, NIR, card) go before phone numbers.
 */
export type MaskKind = 'email' | 'iban' | 'nir' | 'card' | 'tax' | 'phone' | 'plate';

const SEP = '[ .-]?';

const PATTERNS: { kind: MaskKind; pattern: RegExp; replacement: string }[] = [
  { kind: 'email', pattern: /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu, replacement: '[adresse e-mail masquée]' },
  { kind: 'iban', pattern: /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b/gi, replacement: '[IBAN masqué]' },
  // Sex, year, month (or 20–99 for unknown), département (2A/2B for Corsica), commune, order number, key.
  {
    kind: 'nir',
    pattern: new RegExp(
      `\\b[12]${SEP}\\d{2}${SEP}(?:0[1-9]|1[0-2]|[2-9]\\d)${SEP}(?:\\d{2}|2[AB])${SEP}\\d{3}${SEP}\\d{3}(?:${SEP}\\d{2})?\\b`,
      'gi',
    ),
    replacement: '[numéro de sécurité sociale masqué]',
  },
  {
    kind: 'card',
    pattern: /\b\d{4}(?:[ -]?\d{4}){3}(?:[ -]?\d{1,3})?\b|\b\d{4}[ -]?\d{6}[ -]?\d{5}\b/g,
    replacement: '[numéro de carte masqué]',
  },
  // Numéro fiscal: 13 digits starting with 0 to 3, possibly grouped.
  { kind: 'tax', pattern: /\b[0-3]\d(?:[ ]?\d){11}\b/g, replacement: '[numéro fiscal masqué]' },
  {
    kind: 'phone',
    pattern: new RegExp(`(?:\\+33${SEP}|0033${SEP}|\\b0)[1-9](?:${SEP}\\d{2}){4}\\b`, 'g'),
    replacement: '[numéro de téléphone masqué]',
  },
  // SIV plates (AA-123-AA) and the older FNI ones (123 ABC 45, 2A for Corsica, 97x overseas).
  { kind: 'plate', pattern: /\b[A-HJ-NP-TV-Z]{2}[- ]?\d{3}[- ]?[A-HJ-NP-TV-Z]{2}\b/g, replacement: '[immatriculation masquée]' },
  { kind: 'plate', pattern: /\b\d{1,4} ?[A-Z]{2,3} ?(?:0[1-9]|[1-8]\d|9[0-5]|2[AB]|97[1-6])\b/g, replacement: '[immatriculation masquée]' },
];

export interface MaskResult {
  text: string;
  count: number;
}

export function maskPersonalData(text: string): MaskResult {
  let count = 0;
  let out = text;
  for (const { pattern, replacement } of PATTERNS) {
    out = out.replace(pattern, () => {
      count++;
      return replacement;
    });
  }
  return { text: out, count };
}
