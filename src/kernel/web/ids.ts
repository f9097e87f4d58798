/**
 * Ids of the URL and of forms, parsed one way: a positive integer that fits a bigint column and a JavaScript number
 * exactly (at most 16 digits, no sign, no leading zero). Anything else is `null` — a 404 for a URL, a form error for a
 * field — never a SQL error.
 */
export function parseId(value: unknown): number | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value > 0 ? value : null;
  return typeof value === 'string' && /^[1-9]\d{0,15}$/.test(value) && Number.isSafeInteger(Number(value)) ? Number(value) : null;
}
