import type { Window } from '../analytics/indicators.ts';
import { todayInParis } from '../../kernel/web/format.ts';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function isDate(v: unknown): v is string {
  return (
    typeof v === 'string' &&
    DATE.test(v) &&
    !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) &&
    new Date(`${v}T00:00:00Z`).toISOString().startsWith(v)
  );
}

export { todayInParis };

/** The window of the query string (debut, fin); by default the last 365 days. `error` says why the query was not used. */
export function parseWindow(query: Record<string, unknown>, now = new Date()): { window: Window; error: string | null } {
  const end = todayInParis(now);
  const start = new Date(Date.parse(`${end}T00:00:00Z`) - 364 * 86_400_000).toISOString().slice(0, 10);
  const fallback = { start, end };
  const { debut, fin } = query;
  if ((debut === undefined || debut === '') && (fin === undefined || fin === '')) return { window: fallback, error: null };
  if (!isDate(debut) || !isDate(fin))
    return {
      window: fallback,
      error: 'Dates invalides : saisissez deux dates au format jj/mm/aaaa. Les 365 derniers jours sont affichés.',
    };
  if (debut > fin) return { window: fallback, error: 'La date de début est après la date de fin. Les 365 derniers jours sont affichés.' };
  const days = (Date.parse(fin) - Date.parse(debut)) / 86_400_000;
  if (days > 3 * 366)
    return { window: fallback, error: 'La période ne peut pas dépasser trois ans. Les 365 derniers jours sont affichés.' };
  return { window: { start: debut, end: fin }, error: null };
}
