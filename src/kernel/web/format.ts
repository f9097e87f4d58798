/** French number and date formatting shared by every page. */
const integer = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const dateFormat = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'Europe/Paris' });
const longDateTimeFormat = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Paris' });
const dateTimeFormat = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'short', timeStyle: 'short', timeZone: 'Europe/Paris' });

export function formatInteger(value: number | null | undefined): string {
  return value === null || value === undefined ? '–' : integer.format(value);
}

export function formatDecimal(value: number | null | undefined): string {
  return value === null || value === undefined ? '–' : oneDecimal.format(value);
}

function withFirst(format: Intl.DateTimeFormat, value: Date | string): string {
  const parts = format.formatToParts(typeof value === 'string' ? new Date(value) : value);
  return parts.map((part) => (part.type === 'day' && part.value === '1' ? '1er' : part.value)).join('');
}

/** « 1er octobre 2026 », « 2 octobre 2026 »: French writes the first day of a month as an ordinal. */
export function formatDate(value: Date | string | null | undefined): string {
  if (!value) return '–';
  return withFirst(dateFormat, value);
}

/** « 1er octobre 2026 à 10:00 » (Paris time), for sentences such as e-mails. */
export function formatLongDateTime(value: Date | string): string {
  return withFirst(longDateTimeFormat, value);
}

/**
 * A count and its noun, agreed in French: singular below 2 (« 0 démarche », « 1 démarche », « 2 démarches »).
 * The plural is the singular with an s unless given (« 1 avis », « 2 avis »).
 */
export function countOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${formatInteger(count)}\u00a0${Math.abs(count) < 2 ? singular : plural}`;
}

/**
 * An edition named in a sentence: « l’édition d’octobre 2026 » from the name « Édition d’octobre 2026 », never
 * « l’édition Édition d’octobre 2026 »; another name keeps its quotes (« l’édition « Bilan 2026 » »).
 * Returns the phrase without its article: « édition d’octobre 2026 ».
 */
export function editionPhrase(name: string): string {
  const own = /^\s*édition\s+/i.exec(name);
  return own ? `édition ${name.slice(own[0].length)}` : `édition « ${name} »`;
}

export function formatDateTime(value: Date | string | null | undefined): string {
  if (!value) return '–';
  return dateTimeFormat.format(typeof value === 'string' ? new Date(value) : value);
}

// One formatter for every call: building an Intl.DateTimeFormat costs far more than formatting with it (a dashboard
// dates 2 000 declarations).
const PARIS_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' });

/** Today's date in Paris, YYYY-MM-DD (the day reviews, windows and editions are counted in). */
export function todayInParis(now = new Date()): string {
  return PARIS_DAY.format(now);
}
