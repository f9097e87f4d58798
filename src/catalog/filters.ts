import { z } from 'zod';
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

const text = (max = 200) =>
  z
    .unknown()
    .optional()
    .transform((value) => (typeof value === 'string' ? value.trim().slice(0, max) : ''));
const oneOf = <T extends string>(allowed: readonly T[]) =>
  z
    .enum(allowed as [T, ...T[]])
    .optional()
    .catch(undefined);
const SORTS = ['titre', 'volume', 'administration', 'statut'] as const;

/**
 * The list's query as a route schema (zod). Unknown or malformed values fall back to the defaults: a hand-edited URL
 * never errors (the filters are not a form; there is nothing to tell the user beyond showing the list unfiltered).
 */
export const catalogFiltersQuery = z
  .looseObject({
    q: text(),
    ministere: text(100),
    administration: text(100),
    public: oneOf(['', ...USER_CATEGORIES] as const),
    statut: oneOf(['', ...ONLINE_STATUSES] as const),
    top250: oneOf(['', 'oui', 'non'] as const),
    archives: oneOf(['', 'inclus', 'seulement'] as const),
    tri: oneOf(SORTS),
    ordre: oneOf(['asc', 'desc'] as const),
    page: z
      .string()
      .regex(/^\d{1,5}$/)
      .transform(Number)
      .refine((page) => page > 0)
      .optional()
      .catch(undefined),
  })
  .transform((q): CatalogFilters => {
    const sort = q.tri ?? 'volume';
    return {
      q: q.q,
      ministere: q.ministere,
      administration: q.administration,
      public: q.public ?? '',
      statut: q.statut ?? '',
      top250: q.top250 ?? '',
      archives: q.archives ?? '',
      sort,
      ordre: q.ordre ?? (sort === 'volume' ? 'desc' : 'asc'),
      page: q.page ?? 1,
    };
  });

/** The filters of a query (route schemas do it for the routes; the CLI's export calls it). */
export function parseFilters(query: unknown): CatalogFilters {
  return catalogFiltersQuery.parse(query ?? {});
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
