import { ConfigError, LOCATION_PATTERN, loadMonitoringConfig, type Config } from '../kernel/config.ts';
import { parseAllowedRanges, type AllowedRanges } from './ssrf.ts';

/** Monitoring settings, from the kernel's configuration (MONITORING_*, checked at start: a wrong value stops Vigie). */
export interface MonitoringSettings {
  /** MONITORING_ALLOWED_RANGES: private ranges that may be probed anyway (tests: 127.0.0.0/8; internal deployments). */
  allowed: AllowedRanges;
  /** MONITORING_INCIDENT_OPEN_AFTER: confirmed failures in a row before an incident opens (default 2). */
  openAfter: number;
  /** MONITORING_INCIDENT_CLOSE_AFTER: successes in a row before it closes (default 2). */
  closeAfter: number;
  /** MONITORING_RAW_DAYS: days raw probes are kept (default 90). */
  rawDays: number;
  /** MONITORING_TIMEOUT_MS: time limit of one probe (default 10 000). */
  timeoutMs: number;
  /** MONITORING_CERT_WARNING_DAYS: days before a certificate's expiry when the team is told (default 14). */
  certWarningDays: number;
  /** MONITORING_SERVER_LOCATION: when set, the server process also probes, as this location (needed on PGlite). */
  serverLocation: string | null;
  /** MONITORING_SCAN_PAGES_PER_HOUR: browser measurements and axe scans per worker and hour (default 60; 0: none). */
  scanPagesPerHour: number;
  /** MONITORING_SCAN_PAGE_TIMEOUT_MS: time limit of one page in the browser (default 30 000). */
  scanPageTimeoutMs: number;
}

/** A location's name (as in the database's check). */
export const LOCATION = LOCATION_PATTERN;

/**
 * The monitoring settings from the kernel's configuration (src/kernel/config.ts reads and checks MONITORING_* at start,
 * as it reads every variable); the allowed ranges are parsed here, a wrong one stops the start with its name.
 */
export function monitoringSettings(config: Pick<Config, 'monitoring'>, overrides: Partial<MonitoringSettings> = {}): MonitoringSettings {
  const m = config.monitoring;
  let allowed: AllowedRanges;
  try {
    allowed = parseAllowedRanges(m.allowedRanges);
  } catch {
    throw new ConfigError([
      'MONITORING_ALLOWED_RANGES : des plages CIDR séparées par des virgules sont attendues, par exemple 127.0.0.0/8 / expected comma-separated CIDR ranges',
    ]);
  }
  const { allowedRanges: _ranges, ...rest } = m;
  return { ...rest, allowed, ...overrides };
}

/** The settings of an explicit environment (tests, benches, never process.env): the same checks as at start. */
export function loadMonitoringSettings(env: NodeJS.ProcessEnv, overrides: Partial<MonitoringSettings> = {}): MonitoringSettings {
  return monitoringSettings({ monitoring: loadMonitoringConfig(env) }, overrides);
}
