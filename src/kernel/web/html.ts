/**
 * Server-side HTML with escaping by default: every interpolated value is escaped unless it is itself the result
 * of `html` (or `raw`, kept for trusted markup such as inline SVG built by our own code).
 */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

type Interpolation = SafeHtml | string | number | boolean | null | undefined | Interpolation[];

/**
 * The markup of one interpolated value, as `html` inserts it (escaped unless it is already HTML); exported for code
 * that builds long repeated markup (table rows) as a string before wrapping it once with `raw`.
 */
export function htmlText(value: Interpolation): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(htmlText).join('');
  return escapeHtml(value);
}

export function html(strings: TemplateStringsArray, ...values: Interpolation[]): SafeHtml {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += htmlText(values[i]) + strings[i + 1];
  return new SafeHtml(out);
}

export function raw(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/** Joins fragments (arrays of html results) without separators. */
export function join(parts: Interpolation[], separator: SafeHtml | string = ''): SafeHtml {
  return new SafeHtml(parts.map(htmlText).join(htmlText(separator)));
}
