/** Vigie's small statistics library: intervals, tests and regressions computed from sums, never from raw answers. */
export * from './distributions.ts';
export * from './intervals.ts';
export * from './tests.ts';
export * from './regression.ts';
export * from './views.ts';
