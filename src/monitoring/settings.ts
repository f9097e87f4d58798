import { z } from 'zod';
import { ConfigError } from '../kernel/config.ts';
import { parseAllowedRanges, type AllowedRanges } from './ssrf.ts';

/** Monitoring settings, from the environment, checked with zod at start like the kernel's (a wrong value stops Vigie). */
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
export const LOCATION = /^[a-z0-9][a-z0-9_-]{0,39}$/;

const int = (name: string, min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, `${name} : un nombre entier est attendu / expected a whole number`)
    .refine((v) => Number(v) >= min && Number(v) <= max, `${name} : entre ${min} et ${max} / between ${min} and ${max}`)
    .optional();

const ENV = z.object({
  MONITORING_ALLOWED_RANGES: z
    .string()
    .refine((value) => {
      try {
        parseAllowedRanges(value);
        return true;
      } catch {
        return false;
      }
    }, 'MONITORING_ALLOWED_RANGES : des plages CIDR séparées par des virgules sont attendues, par exemple 127.0.0.0/8 / expected comma-separated CIDR ranges')
    .optional(),
  MONITORING_INCIDENT_OPEN_AFTER: int('MONITORING_INCIDENT_OPEN_AFTER', 1, 100),
  MONITORING_INCIDENT_CLOSE_AFTER: int('MONITORING_INCIDENT_CLOSE_AFTER', 1, 100),
  MONITORING_RAW_DAYS: int('MONITORING_RAW_DAYS', 1, 3650),
  MONITORING_TIMEOUT_MS: int('MONITORING_TIMEOUT_MS', 100, 120_000),
  MONITORING_CERT_WARNING_DAYS: int('MONITORING_CERT_WARNING_DAYS', 1, 365),
  MONITORING_SCAN_PAGES_PER_HOUR: int('MONITORING_SCAN_PAGES_PER_HOUR', 0, 100_000),
  MONITORING_SCAN_PAGE_TIMEOUT_MS: int('MONITORING_SCAN_PAGE_TIMEOUT_MS', 1000, 300_000),
  MONITORING_SERVER_LOCATION: z
    .string()
    .regex(LOCATION, 'MONITORING_SERVER_LOCATION : un nom en minuscules, chiffres, - ou _ (40 caractères au plus) / expected a lowercase name')
    .or(z.literal(''))
    .optional(),
});


export function loadMonitoringSettings(env: NodeJS.ProcessEnv = process.env, overrides: Partial<MonitoringSettings> = {}): MonitoringSettings {
  const parsed = ENV.safeParse(env);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((issue) => issue.message));
  const e = parsed.data;
  return {
    allowed: parseAllowedRanges(e.MONITORING_ALLOWED_RANGES),
    openAfter: Number(e.MONITORING_INCIDENT_OPEN_AFTER ?? 2),
    closeAfter: Number(e.MONITORING_INCIDENT_CLOSE_AFTER ?? 2),
    rawDays: Number(e.MONITORING_RAW_DAYS ?? 90),
    timeoutMs: Number(e.MONITORING_TIMEOUT_MS ?? 10_000),
    certWarningDays: Number(e.MONITORING_CERT_WARNING_DAYS ?? 14),
    serverLocation: e.MONITORING_SERVER_LOCATION || null,
    scanPagesPerHour: Number(e.MONITORING_SCAN_PAGES_PER_HOUR ?? 60),
    scanPageTimeoutMs: Number(e.MONITORING_SCAN_PAGE_TIMEOUT_MS ?? 30_000),
    ...overrides,
  };
}
