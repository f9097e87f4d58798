// What the observatoire module offers the other modules (docs/architecture.md « Imports between modules »).
export { registerIndicatorSource, withEnteredByHand } from './sources/source.ts';
export type { CellMoments, IndicatorSource, SourceValues } from './sources/source.ts';
export type { Evaluation, RawValue } from './rules/model.ts';
export { loadRuleSet } from './rules/repository.ts';
export { evaluate } from './rules/evaluate.ts';
export { bumpPublicCache } from './cache/public-cache.ts';
export { demoCalendar } from './demo/calendar.ts';
export { createDraft } from './editions/drafts.ts';
export { liveValues } from './sources/live-values.ts';
export { registeredSources } from './sources/source.ts';
export { publishedValuesOverTime, type PublishedValue } from './history/values-over-time.ts';
