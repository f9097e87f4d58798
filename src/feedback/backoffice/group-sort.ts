import type { FeedbackIndicators } from '../analytics/indicators.ts';

/** Sort keys of the procedures table of the administration and ministry dashboards (`?tri=…&ordre=…`). */
export const SORT_KEYS = ['titre', 'avis', 'satisfaction', 'clarte', 'aide_joignable', 'aide_efficace', 'autonomie'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortOrder = 'asc' | 'desc';

export interface GroupSort {
  key: SortKey;
  order: SortOrder;
}

const VALUE: Record<Exclude<SortKey, 'titre'>, (i: FeedbackIndicators) => number | null> = {
  avis: (i) => i.reviews,
  satisfaction: (i) => i.satisfaction,
  clarte: (i) => i.clarity,
  aide_joignable: (i) => i.helpReachable,
  aide_efficace: (i) => i.helpEfficient,
  autonomie: (i) => i.autonomy,
};

/** By title (A→Z) unless the query asks for a known column; an unknown value falls back to the default. */
export function parseSort(query: Record<string, unknown>): GroupSort {
  const key = SORT_KEYS.find((k) => k === query.tri) ?? 'titre';
  const order: SortOrder = query.ordre === 'desc' || query.ordre === 'asc' ? query.ordre : key === 'titre' ? 'asc' : 'desc';
  return { key, order };
}

const collator = new Intl.Collator('fr', { sensitivity: 'base', numeric: true });

/** Sorts rows by the chosen column; rows without a value always come last, ties by title. */
export function sortRows<T extends { title: string; indicators: FeedbackIndicators }>(rows: T[], sort: GroupSort): T[] {
  const sign = sort.order === 'asc' ? 1 : -1;
  const byTitle = (a: T, b: T) => collator.compare(a.title, b.title);
  if (sort.key === 'titre') return [...rows].sort((a, b) => sign * byTitle(a, b));
  const value = VALUE[sort.key];
  return [...rows].sort((a, b) => {
    const va = value(a.indicators);
    const vb = value(b.indicators);
    if (va === null || vb === null) return va === vb ? byTitle(a, b) : va === null ? 1 : -1;
    return va === vb ? byTitle(a, b) : sign * (va - vb);
  });
}
