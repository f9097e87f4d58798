import { COLOURS, type Colour } from '../rules/model.ts';
import { ONLINE_STATUSES, USER_CATEGORIES, type OnlineStatus, type UserCategory } from '../../catalog/index.ts';
import { parseId } from '../../kernel/web/ids.ts';

/** One view of an edition's table: every field lives in the query string, so each view has a shareable URL. */
export interface TableQuery {
  q: string;
  ministry: number | null;
  administration: number | null;
  category: UserCategory | null;
  online: OnlineStatus | null;
  indicator: string | null;
  level: Colour | null;
  sort: string;
  order: 'asc' | 'desc';
  page: number;
  perPage: number;
}

export const DEFAULT_QUERY: TableQuery = {
  q: '',
  ministry: null,
  administration: null,
  category: null,
  online: null,
  indicator: null,
  level: null,
  sort: 'titre',
  order: 'asc',
  page: 1,
  perPage: 50,
};

export const MAX_PER_PAGE = 200;

/** Whether a query-string value is one of a vocabulary's codes (the catalogue owns the online statuses and categories). */
function isOneOf<T extends string>(codes: readonly T[], text: string): text is T {
  return (codes as readonly string[]).includes(text);
}

function one(value: unknown): string {
  if (Array.isArray(value)) return String(value[0] ?? '');
  return value === undefined || value === null ? '' : String(value);
}

function positiveInt(text: string): number | null {
  return parseId(text);
}

/** Reads a view from the query string; unknown values are errors (French messages keyed by parameter). */
export function parseTableQuery(
  query: Record<string, unknown>,
  indicators: string[],
): { query: TableQuery; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const out: TableQuery = { ...DEFAULT_QUERY };
  out.q = one(query.q).trim().slice(0, 200);
  const id = (key: 'ministry' | 'administration', param: string, message: string) => {
    const text = one(query[param]);
    if (!text) return;
    const n = positiveInt(text);
    if (n === null) errors[param] = message;
    else out[key] = n;
  };
  id('ministry', 'ministere', 'Ministère inconnu.');
  id('administration', 'administration', 'Administration inconnue.');
  const category = one(query.categorie);
  if (category) {
    if (isOneOf(USER_CATEGORIES, category)) out.category = category;
    else errors.categorie = "Catégorie d'usagers inconnue.";
  }
  const online = one(query.en_ligne);
  if (online) {
    if (isOneOf(ONLINE_STATUSES, online)) out.online = online;
    else errors.en_ligne = 'Statut de mise en ligne inconnu.';
  }
  const indicator = one(query.indicateur);
  const level = one(query.niveau);
  if (indicator || level) {
    if (!indicators.includes(indicator)) errors.indicateur = 'Choisissez un indicateur pour filtrer par niveau.';
    else if (!(COLOURS as readonly string[]).includes(level)) errors.niveau = 'Choisissez un niveau.';
    else {
      out.indicator = indicator;
      out.level = level as Colour;
    }
  }
  const sort = one(query.tri);
  if (sort) {
    if (sort === 'titre' || sort === 'ministere' || indicators.includes(sort)) out.sort = sort;
    else errors.tri = 'Tri inconnu.';
  }
  const order = one(query.ordre);
  if (order) {
    if (order === 'asc' || order === 'desc') out.order = order;
    else errors.ordre = 'Ordre inconnu (asc ou desc).';
  }
  const page = one(query.page);
  if (page) {
    const n = positiveInt(page);
    if (n === null) errors.page = 'Numéro de page invalide.';
    else out.page = n;
  }
  const perPage = one(query.par_page);
  if (perPage) {
    const n = positiveInt(perPage);
    if (n === null || n > MAX_PER_PAGE) errors.par_page = `Entre 1 et ${MAX_PER_PAGE} lignes par page.`;
    else out.perPage = n;
  }
  return { query: out, errors };
}

/** The query string of a view (defaults left out), with overrides: used by links, sort buttons and pagination. */
export function tableQueryString(q: TableQuery, overrides: Partial<TableQuery> = {}): string {
  const v = { ...q, ...overrides };
  const params = new URLSearchParams();
  if (v.q) params.set('q', v.q);
  if (v.ministry) params.set('ministere', String(v.ministry));
  if (v.administration) params.set('administration', String(v.administration));
  if (v.category) params.set('categorie', v.category);
  if (v.online) params.set('en_ligne', v.online);
  if (v.indicator && v.level) {
    params.set('indicateur', v.indicator);
    params.set('niveau', v.level);
  }
  if (v.sort !== DEFAULT_QUERY.sort) params.set('tri', v.sort);
  if (v.order !== DEFAULT_QUERY.order) params.set('ordre', v.order);
  if (v.perPage !== DEFAULT_QUERY.perPage) params.set('par_page', String(v.perPage));
  if (v.page > 1) params.set('page', String(v.page));
  const s = params.toString();
  return s ? `?${s}` : '';
}
