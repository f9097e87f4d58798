/** Both engines parse values the same way: bigint and numeric as JS numbers, dates as 'YYYY-MM-DD' strings. */
export const INT8_OID = 20;
export const NUMERIC_OID = 1700;
export const DATE_OID = 1082;

export function parseNumber(value: string): number {
  return Number(value);
}

export function keepString(value: string): string {
  return value;
}
