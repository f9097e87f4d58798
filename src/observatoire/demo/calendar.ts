/**
 * The demo's edition calendar, relative to the day the demo is loaded: quarterly editions, each measuring the twelve
 * months up to the end of its quarter (the feedback window), published in the middle of the next month. The last three
 * closed quarters are published; the current quarter, whose window is still open, is the draft.
 */
export interface DemoEdition {
  name: string;
  period: string;
  windowStart: string;
  windowEnd: string;
  /** null for the draft. */
  publishedAt: Date | null;
}

const MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];
const iso = (d: Date) => d.toISOString().slice(0, 10);
const utc = (y: number, m: number, d: number) => new Date(Date.UTC(y, m, d));

/** « Édition d’avril 2026 », « Édition de juillet 2026 » (the month of publication). */
function editionName(month: number, year: number): string {
  const name = MONTHS[month];
  return `Édition ${/^[aeiouyéèê]/.test(name) ? 'd’' : 'de '}${name} ${year}`;
}

/** `today` as YYYY-MM-DD (Paris). Oldest first; the last one is the draft. */
export function demoCalendar(today: string, published = 3): DemoEdition[] {
  const [y, m] = today.split('-').map(Number);
  const currentQuarter = Math.floor((m - 1) / 3); // 0..3
  const now = Date.parse(`${today}T00:00:00Z`);
  const editions: DemoEdition[] = [];
  for (let k = published; k >= 0; k--) {
    // Quarter k quarters before the current one: its last day ends the window.
    const q = currentQuarter - k;
    const year = y + Math.floor(q / 4);
    const quarter = ((q % 4) + 4) % 4;
    const end = utc(year, quarter * 3 + 3, 0);
    const start = utc(year - 1, quarter * 3 + 3, 1);
    const publication = utc(year, quarter * 3 + 3, 15);
    const publishedAt = k === 0 ? null : new Date(Math.min(publication.getTime() + 9 * 3_600_000, now - 3_600_000));
    editions.push({
      name: editionName(publication.getUTCMonth(), publication.getUTCFullYear()),
      period: `${quarter === 0 ? '1er' : `${quarter + 1}e`} trimestre ${year}`,
      windowStart: iso(start),
      windowEnd: iso(end),
      publishedAt,
    });
  }
  return editions;
}
