// What the catalog module offers the other modules (docs/architecture.md « Imports between modules »).
export { seedCatalogDemo } from './demo/seed.ts';
export { loadProcedurePlace, procedurePlace } from './queries/procedures.ts';
export type { ProcedureRow } from './queries/procedures.ts';
export {
  FRANCECONNECT_LABELS,
  ONLINE_STATUSES,
  ONLINE_STATUS_SHORT_LABELS,
  USER_CATEGORIES,
  USER_CATEGORY_LABELS,
  options,
} from './model.ts';
export type { OnlineStatus, UserCategory } from './model.ts';
export { isClearMarker, matchCode } from './import/columns.ts';
