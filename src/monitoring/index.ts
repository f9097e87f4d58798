// What the monitoring module offers the other modules (docs/architecture.md « Imports between modules »).
export type { ScanFindingsReader } from './scan-findings.ts';
export { computeUptime, loadUptimeData, uptimes, type Uptime } from './uptime.ts';
export { loadTimeMoments } from './page-loads.ts';
