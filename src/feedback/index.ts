// What the feedback module offers the other modules (docs/architecture.md « Imports between modules »).
export { rebuildRollups } from './demo/seed.ts';
export { dashboardHead } from './backoffice/dashboard-data.ts';
export { saveDraft } from './forms/queries.ts';
export { DEFAULT_SETTINGS } from './forms/settings.ts';
export { registerDigestSection } from './alerts/digest-sections.ts';
