import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** Every setting comes from the environment; the README lists them with their defaults. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  /** PGlite only: let V8 recompile hot WebAssembly with TurboFan (faster, about 55 MB more memory). */
  pgliteOptimize: boolean;
  publicUrl: string;
  sessionSecret: string;
  /** Secure cookies: on when the public URL is HTTPS. */
  secureCookies: boolean;
  trustProxy: boolean;
  smtp?: { url: string; from: string };
  mailFrom: string;
  oidc?: { issuer: string; clientId: string; clientSecret: string; label: string; scopes: string };
  seedDemo: boolean;
  logLevel: string;
  runJobs: boolean;
  /** Questionnaire submissions allowed per hashed IP and minute (FEEDBACK_RATE_LIMIT; e.g. higher for load tests). */
  feedbackRateLimit: number;
  /** Bearer token that opens /metrics to other hosts than this one (without it, /metrics answers loopback only). */
  metricsToken?: string;
  /**
   * How often each server reads the database's public version, in ms (VIGIE_CACHE_CHECK_MS; observatoire's
   * cache/public-cache.ts): 1000 by default; an hour under the test runner (NODE_ENV=test), whose in-process servers
   * rely on local bumps (a check now and then would make their query counts drift).
   */
  publicCacheCheckMs: number;
  /**
   * Under the test runner (NODE_ENV=test): a route without a `querystring` schema that reads its query fails
   * (src/kernel/web/undeclared-queries.ts). Off otherwise.
   */
  checkQueryReads: boolean;
  /** The monitoring module's variables (MONITORING_*), checked here; src/monitoring/settings.ts builds its settings. */
  monitoring: MonitoringConfig;
}

/** MONITORING_* as read and checked at start (docs/monitoring.md lists them with their defaults). */
export interface MonitoringConfig {
  /** MONITORING_ALLOWED_RANGES: private ranges that may be probed anyway, as written (the monitoring module parses them). */
  allowedRanges: string;
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

/** A probe location's name (as in the database's check). */
export const LOCATION_PATTERN = /^[a-z0-9][a-z0-9_-]{0,39}$/;

const BOOLEAN = /^(true|false|1|0|yes|no|oui|non)$/i;
const truthy = (value: string) => /^(true|1|yes|oui)$/i.test(value);
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const flag = (name: string) =>
  z.string().regex(BOOLEAN, `${name} : « true » ou « false » attendu / expected « true » or « false »`).optional();
const urlWith = (name: string, protocols: string[], example: string) =>
  z
    .string()
    .refine(
      (value) => {
        try {
          return protocols.includes(new URL(value).protocol);
        } catch {
          return false;
        }
      },
      `${name} : une URL ${protocols.join(' ou ')} est attendue, par exemple ${example} / expected a ${protocols.join(' or ')} URL`,
    )
    .optional();

/** The environment Vigie reads, checked at start: a wrong value stops it with a message naming the variable. */
const ENV = z.object({
  PORT: z
    .string()
    .regex(/^\d{1,5}$/, 'PORT : un numéro de port est attendu (0 à 65535) / expected a port number')
    .refine((value) => Number(value) <= 65535, 'PORT : un numéro de port est attendu (0 à 65535) / expected a port number')
    .optional(),
  HOST: z.string().min(1, 'HOST : adresse d’écoute vide / empty listen address').optional(),
  VIGIE_DATA_DIR: z.string().min(1, 'VIGIE_DATA_DIR : dossier vide / empty folder').optional(),
  DATABASE_URL: z
    .union([z.literal(''), urlWith('DATABASE_URL', ['postgres:', 'postgresql:'], 'postgres://vigie@localhost/vigie')])
    .optional(),
  VIGIE_PGLITE_OPTIMIZE: flag('VIGIE_PGLITE_OPTIMIZE'),
  PUBLIC_URL: urlWith('PUBLIC_URL', ['http:', 'https:'], 'https://vigie.exemple.gouv.fr'),
  SESSION_SECRET: z.string().min(16, 'SESSION_SECRET : 16 caractères au moins / at least 16 characters').optional(),
  TRUST_PROXY: flag('TRUST_PROXY'),
  SMTP_URL: z
    .union([z.literal(''), urlWith('SMTP_URL', ['smtp:', 'smtps:'], 'smtp://utilisateur:motdepasse@smtp.exemple.fr:587')])
    .optional(),
  MAIL_FROM: z.string().min(3, 'MAIL_FROM : expéditeur vide / empty sender').optional(),
  OIDC_ISSUER: z.union([z.literal(''), urlWith('OIDC_ISSUER', ['http:', 'https:'], 'https://identite.exemple.gouv.fr')]).optional(),
  VIGIE_DEMO: flag('VIGIE_DEMO'),
  LOG_LEVEL: z.enum(LOG_LEVELS, { message: `LOG_LEVEL : ${LOG_LEVELS.join(', ')}` }).optional(),
  VIGIE_JOBS: flag('VIGIE_JOBS'),
  FEEDBACK_RATE_LIMIT: z
    .string()
    .regex(/^[1-9]\d{0,6}$/, 'FEEDBACK_RATE_LIMIT : un nombre entier positif est attendu / expected a positive whole number')
    .optional(),
  VIGIE_CACHE_CHECK_MS: z
    .string()
    .regex(
      /^[1-9]\d{0,8}$/,
      'VIGIE_CACHE_CHECK_MS : un nombre entier positif de millisecondes est attendu / expected a positive whole number of milliseconds',
    )
    .optional(),
});

const wholeNumber = (name: string, min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, `${name} : un nombre entier est attendu / expected a whole number`)
    .refine((v) => Number(v) >= min && Number(v) <= max, `${name} : entre ${min} et ${max} / between ${min} and ${max}`)
    .optional();

const MONITORING_ENV = z.object({
  MONITORING_ALLOWED_RANGES: z.string().optional(),
  MONITORING_INCIDENT_OPEN_AFTER: wholeNumber('MONITORING_INCIDENT_OPEN_AFTER', 1, 100),
  MONITORING_INCIDENT_CLOSE_AFTER: wholeNumber('MONITORING_INCIDENT_CLOSE_AFTER', 1, 100),
  MONITORING_RAW_DAYS: wholeNumber('MONITORING_RAW_DAYS', 1, 3650),
  MONITORING_TIMEOUT_MS: wholeNumber('MONITORING_TIMEOUT_MS', 100, 120_000),
  MONITORING_CERT_WARNING_DAYS: wholeNumber('MONITORING_CERT_WARNING_DAYS', 1, 365),
  MONITORING_SCAN_PAGES_PER_HOUR: wholeNumber('MONITORING_SCAN_PAGES_PER_HOUR', 0, 100_000),
  MONITORING_SCAN_PAGE_TIMEOUT_MS: wholeNumber('MONITORING_SCAN_PAGE_TIMEOUT_MS', 1000, 300_000),
  MONITORING_SERVER_LOCATION: z
    .string()
    .regex(
      LOCATION_PATTERN,
      'MONITORING_SERVER_LOCATION : un nom en minuscules, chiffres, - ou _ (40 caractères au plus) / expected a lowercase name',
    )
    .or(z.literal(''))
    .optional(),
});

function monitoringFrom(e: z.output<typeof MONITORING_ENV>): MonitoringConfig {
  return {
    allowedRanges: e.MONITORING_ALLOWED_RANGES ?? '',
    openAfter: Number(e.MONITORING_INCIDENT_OPEN_AFTER ?? 2),
    closeAfter: Number(e.MONITORING_INCIDENT_CLOSE_AFTER ?? 2),
    rawDays: Number(e.MONITORING_RAW_DAYS ?? 90),
    timeoutMs: Number(e.MONITORING_TIMEOUT_MS ?? 10_000),
    certWarningDays: Number(e.MONITORING_CERT_WARNING_DAYS ?? 14),
    serverLocation: e.MONITORING_SERVER_LOCATION || null,
    scanPagesPerHour: Number(e.MONITORING_SCAN_PAGES_PER_HOUR ?? 60),
    scanPageTimeoutMs: Number(e.MONITORING_SCAN_PAGE_TIMEOUT_MS ?? 30_000),
  };
}

/** The MONITORING_* variables of an explicit environment alone (tests, benches): the same checks as at start. */
export function loadMonitoringConfig(env: NodeJS.ProcessEnv): MonitoringConfig {
  const parsed = MONITORING_ENV.safeParse(env);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((issue) => issue.message));
  return monitoringFrom(parsed.data);
}

/** A configuration that cannot start Vigie; the message lists every wrong variable, one a line. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration invalide / invalid configuration :\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const parsed = ENV.extend(MONITORING_ENV.shape).safeParse(env);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((issue) => issue.message));
  const e = parsed.data;
  const port = Number(e.PORT ?? 3000);
  const host = e.HOST ?? '0.0.0.0';
  const dataDir = path.resolve(e.VIGIE_DATA_DIR ?? './data');
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, '');
  const mailFrom = e.MAIL_FROM ?? 'Vigie <ne-pas-repondre@vigie.localhost>';
  const config: Config = {
    port,
    host,
    dataDir,
    databaseUrl: e.DATABASE_URL || undefined,
    pgliteOptimize: truthy(e.VIGIE_PGLITE_OPTIMIZE ?? 'false'),
    publicUrl,
    sessionSecret: e.SESSION_SECRET ?? '',
    secureCookies: publicUrl.startsWith('https://'),
    trustProxy: truthy(e.TRUST_PROXY ?? 'false'),
    smtp: e.SMTP_URL ? { url: e.SMTP_URL, from: mailFrom } : undefined,
    mailFrom,
    oidc:
      e.OIDC_ISSUER && env.OIDC_CLIENT_ID
        ? {
            issuer: e.OIDC_ISSUER,
            clientId: env.OIDC_CLIENT_ID,
            clientSecret: env.OIDC_CLIENT_SECRET ?? '',
            label: env.OIDC_LABEL ?? 'ProConnect',
            scopes: env.OIDC_SCOPES ?? 'openid email given_name usual_name',
          }
        : undefined,
    seedDemo: truthy(e.VIGIE_DEMO ?? 'true'),
    logLevel: e.LOG_LEVEL ?? 'info',
    runJobs: truthy(e.VIGIE_JOBS ?? 'true'),
    feedbackRateLimit: Number(e.FEEDBACK_RATE_LIMIT ?? 30),
    metricsToken: env.METRICS_TOKEN || undefined,
    publicCacheCheckMs: e.VIGIE_CACHE_CHECK_MS ? Number(e.VIGIE_CACHE_CHECK_MS) : env.NODE_ENV === 'test' ? 3_600_000 : 1000,
    checkQueryReads: env.NODE_ENV === 'test',
    monitoring: monitoringFrom(e),
    ...overrides,
  };
  if (!config.sessionSecret) config.sessionSecret = readOrCreateSecret(config.dataDir);
  return config;
}

/** A random secret kept in the data folder, made once: never a fixed default in code. */
function readOrCreateSecret(dataDir: string): string {
  const file = path.join(dataDir, 'session-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  return secret;
}
