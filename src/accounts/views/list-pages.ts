/** Rows shown per page in the administration lists (users, journal, outbox). */
export const PAGE_SIZE = 50;

/** A list page's URL keeping its non-empty filters. */
export function listHref(basePath: string, params: Record<string, string>): (page: number) => string {
  return (page) =>
    `${basePath}?${new URLSearchParams({ ...Object.fromEntries(Object.entries(params).filter(([, v]) => v)), page: String(page) })}`;
}
