import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

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
  /** Bearer token that opens /metrics to other hosts than this one (without it, /metrics answers loopback only). */
  metricsToken?: string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const port = Number(env.PORT ?? 3000);
  const host = env.HOST ?? '0.0.0.0';
  const dataDir = path.resolve(env.VIGIE_DATA_DIR ?? './data');
  const publicUrl = (env.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, '');
  const mailFrom = env.MAIL_FROM ?? 'Vigie <ne-pas-repondre@vigie.localhost>';
  const config: Config = {
    port,
    host,
    dataDir,
    databaseUrl: env.DATABASE_URL || undefined,
    pgliteOptimize: env.VIGIE_PGLITE_OPTIMIZE === 'true',
    publicUrl,
    sessionSecret: env.SESSION_SECRET ?? '',
    secureCookies: publicUrl.startsWith('https://'),
    trustProxy: env.TRUST_PROXY === 'true' || env.TRUST_PROXY === '1',
    smtp: env.SMTP_URL ? { url: env.SMTP_URL, from: mailFrom } : undefined,
    mailFrom,
    oidc:
      env.OIDC_ISSUER && env.OIDC_CLIENT_ID
        ? {
            issuer: env.OIDC_ISSUER,
            clientId: env.OIDC_CLIENT_ID,
            clientSecret: env.OIDC_CLIENT_SECRET ?? '',
            label: env.OIDC_LABEL ?? 'ProConnect',
            scopes: env.OIDC_SCOPES ?? 'openid email given_name usual_name',
          }
        : undefined,
    seedDemo: env.VIGIE_DEMO !== 'false',
    logLevel: env.LOG_LEVEL ?? 'info',
    runJobs: env.VIGIE_JOBS !== 'false',
    metricsToken: env.METRICS_TOKEN || undefined,
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
