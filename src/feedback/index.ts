// What the feedback module offers the other modules (docs/architecture.md « Imports between modules »).
export { rebuildRollups } from './demo/seed.ts';
export { dashboardHead } from './backoffice/dashboard-data.ts';
export { saveDraft } from './forms/queries.ts';
export { DEFAULT_SETTINGS } from './forms/settings.ts';
export { computeIndicators, countsBy, countsByWeek, SHARE_INDICATORS } from './analytics/indicators.ts';
export type { FeedbackIndicatorKey, FeedbackIndicators, OptionCount, Window } from './analytics/indicators.ts';
export { demoLaunch } from './demo/seed.ts';
export { registerDigestSection } from './alerts/digest-sections.ts';
// For the public forms of other modules (experiences): the masking of personal data in free text, and the shared
// per-address rate limit (same counters as the questionnaire) with the honeypot field's name.
export { maskPersonalData } from './questionnaire/mask.ts';
export type { MaskResult } from './questionnaire/mask.ts';
export { overRateLimit, rotatingIpHash, oldCounterCleaner } from './public/abuse.ts';
export { HONEYPOT_FIELD } from './public/i18n.ts';
// For the accessibility module's view of a procedure: its feedback verbatims that speak of accessibility.
export { accessibilityVerbatims } from './analytics/accessibility-verbatims.ts';
export type { AccessibilityVerbatim } from './analytics/accessibility-verbatims.ts';
