// What the feedback module offers the other modules (docs/architecture.md « Imports between modules »).
export { rebuildRollups } from './demo/seed.ts';
export { dashboardHead } from './backoffice/dashboard-data.ts';
export { saveDraft } from './forms/queries.ts';
export { DEFAULT_SETTINGS } from './forms/settings.ts';
export { computeIndicators, countsBy, countsByWeek, SHARE_INDICATORS } from './analytics/indicators.ts';
export type { FeedbackIndicatorKey, FeedbackIndicators, OptionCount, Window } from './analytics/indicators.ts';
export { demoLaunch } from './demo/seed.ts';
