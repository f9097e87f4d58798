import { ONLINE_STATUSES, USER_CATEGORIES } from './model.ts';

/** The list's filters, sort and page, as they travel in the query string (so that a filtered list can be shared). */
export interface CatalogFilters {
  q: string;
  ministere: string;
  administration: string;
  public: string;
  statut: string;
  top250: '' | 'oui' | 'non';
  /** '' hides archived procedures, 'inclus' shows them too, 'seulement' shows only them. */
  archives: '' | 'inclus' | 'seulement';
  sort: 'titre' | 'volume' | 'administration' | 'statut';
  ordre: 'asc' | 'desc';
  page: number;
}

const text = (value: unknown, max = 200): string => (typeof value === 'string' ? value.trim().slice(0, max) : '');
const oneOf = <T extends string>(value: unknown, allowed: readonly T[], fallback: T): T =>
  allowed.includes(value as T) ? (value as T) : fallback;

/** Unknown or malformed values fall back to the defaults: a hand-edited URL never errors. */
export function parseFilters(query: unknown): CatalogFilters {
  const q = (query ?? {}) as Record<string, unknown>;
  const sort = oneOf(q.tri, ['titre', 'volume', 'administration', 'statut'] as const, 'volume');
  const page = Number.parseInt(text(q.page), 10);
  return {
    q: text(q.q),
    ministere: text(q.ministere, 100),
    administration: text(q.administration, 100),
    public: oneOf(q.public, ['', ...USER_CATEGORIES] as const, ''),
    statut: oneOf(q.statut, ['', ...ONLINE_STATUSES] as const, ''),
    top250: oneOf(q.top250, ['', 'oui', 'non'] as const, ''),
    archives: oneOf(q.archives, ['', 'inclus', 'seulement'] as const, ''),
    sort,
    ordre: oneOf(q.ordre, ['asc', 'desc'] as const, sort === 'volume' ? 'desc' : 'asc'),
    page: Number.isFinite(page) && page > 0 && page < 100000 ? page : 1,
  };
}

/** The query string of these filters with some values changed; defaults are left out. */
export function filtersQuery(filters: CatalogFilters, changes: Partial<CatalogFilters> = {}): string {
  const f = { ...filters, ...changes };
  const params = new URLSearchParams();
  if (f.q) params.set('q', f.q);
  if (f.ministere) params.set('ministere', f.ministere);
  if (f.administration) params.set('administration', f.administration);
  if (f.public) params.set('public', f.public);
  if (f.statut) params.set('statut', f.statut);
  if (f.top250) params.set('top250', f.top250);
  if (f.archives) params.set('archives', f.archives);
  params.set('tri', f.sort);
  params.set('ordre', f.ordre);
  if (f.page > 1) params.set('page', String(f.page));
  const s = params.toString();
  return s ? `?${s}` : '';
}
