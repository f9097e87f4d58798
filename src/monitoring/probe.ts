import http from 'node:http';
import https from 'node:https';
import { isIP, type Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { performance } from 'node:perf_hooks';
import {
  checkAddress,
  ForbiddenAddressError,
  guardedLookup,
  hostOf,
  NO_ALLOWED_RANGES,
  systemResolver,
  type AllowedRanges,
  type Resolver,
} from './ssrf.ts';

/**
 * One HTTP(S) probe of a target: a fresh connection every time (no keep-alive, so the phases are real), redirects
 * followed by hand (each hop checked by the forgery guard), a total time limit, a bounded body.
 */

export type ErrorClass =
  | 'dns'
  | 'timeout'
  | 'refused'
  | 'tls'
  | '5xx'
  | '4xx'
  | 'status'
  | 'text-missing'
  | 'forbidden'
  | 'redirects'
  | 'network';

export const ERROR_LABELS: Record<ErrorClass, string> = {
  dns: 'Nom de domaine introuvable (DNS)',
  timeout: 'Délai dépassé',
  refused: 'Connexion refusée',
  tls: 'Erreur de certificat ou de TLS',
  '5xx': 'Erreur du serveur (5xx)',
  '4xx': 'Page introuvable ou refusée (4xx)',
  status: 'Code de réponse inattendu',
  'text-missing': 'Texte attendu absent',
  forbidden: 'Adresse non publique refusée',
  redirects: 'Trop de redirections',
  network: 'Erreur réseau',
};

export interface Phases {
  /** Milliseconds of each phase of the last hop (0 when it did not happen: no lookup for an IP, no TLS for http). */
  dns: number;
  connect: number;
  tls: number;
  /** From the start of the probe to the first byte of the last response's headers. */
  firstByte: number;
  /** From the start of the probe to the end of the body (or the error). */
  total: number;
}

export interface ProbeResult {
  startedAt: Date;
  ok: boolean;
  status: number | null;
  phases: Phases;
  bytes: number;
  /** The URLs redirected to, in order. */
  redirects: string[];
  certExpiresAt: Date | null;
  errorClass: ErrorClass | null;
  errorMessage: string | null;
}

export interface ProbeOptions {
  expectedStatus?: number;
  expectedText?: string | null;
  timeoutMs?: number;
  maxRedirects?: number;
  /** Bytes read at most (the rest is not downloaded); the expected text is looked for in them. */
  maxBytes?: number;
  allowed?: AllowedRanges;
  resolver?: Resolver;
  /** Extra trusted certificates (tests). */
  ca?: string | Buffer;
}

interface Hop {
  status: number;
  location: string | null;
  body: Buffer;
  bytes: number;
  certExpiresAt: Date | null;
}

class ProbeError extends Error {
  constructor(
    readonly errorClass: ErrorClass,
    message: string,
  ) {
    super(message);
  }
}

export function classifyError(error: NodeJS.ErrnoException): ErrorClass {
  if (error instanceof ProbeError) return error.errorClass;
  if (error instanceof ForbiddenAddressError) return 'forbidden';
  const code = error.code ?? '';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NODATA' || code === 'EAI_FAIL') return 'dns';
  if (code === 'ECONNREFUSED') return 'refused';
  if (code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT') return 'timeout';
  if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/i.test(code) || /ssl|tls|certificate/i.test(error.message)) return 'tls';
  return 'network';
}

export async function probe(urlText: string, options: ProbeOptions = {}): Promise<ProbeResult> {
  const expectedStatus = options.expectedStatus ?? 200;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxRedirects = options.maxRedirects ?? 5;
  const allowed = options.allowed ?? NO_ALLOWED_RANGES;
  const resolver = options.resolver ?? systemResolver;
  const startedAt = new Date();
  const t0 = performance.now();
  const deadline = t0 + timeoutMs;
  const phases: Phases = { dns: 0, connect: 0, tls: 0, firstByte: 0, total: 0 };
  const redirects: string[] = [];
  let status: number | null = null;
  let bytes = 0;
  let certExpiresAt: Date | null = null;
  const done = (errorClass: ErrorClass | null, errorMessage: string | null): ProbeResult => {
    phases.total = round(performance.now() - t0);
    return { startedAt, ok: errorClass === null, status, phases, bytes, redirects, certExpiresAt, errorClass, errorMessage };
  };
  try {
    let url = new URL(urlText);
    for (let hop = 0; ; hop++) {
      const result = await requestOnce(url, {
        allowed,
        resolver,
        deadline,
        t0,
        phases,
        maxBytes: options.maxBytes ?? 1_000_000,
        ca: options.ca,
        // The first hop's certificate: recorded even when the handshake is refused (an expired certificate).
        onCertificate: (expiresAt) => (certExpiresAt ??= expiresAt),
      });
      status = result.status;
      bytes += result.bytes;
      if (result.status >= 300 && result.status < 400 && result.location && expectedStatus !== result.status) {
        if (hop >= maxRedirects) return done('redirects', `plus de ${maxRedirects} redirections`);
        url = new URL(result.location, url);
        redirects.push(url.href);
        continue;
      }
      if (result.status !== expectedStatus) {
        const errorClass: ErrorClass = result.status >= 500 ? '5xx' : result.status >= 400 ? '4xx' : 'status';
        return done(errorClass, `code ${result.status} (attendu : ${expectedStatus})`);
      }
      if (options.expectedText && !result.body.toString('utf8').includes(options.expectedText)) {
        return done('text-missing', `texte attendu absent : « ${options.expectedText} »`);
      }
      return done(null, null);
    }
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    return done(classifyError(e), e.message);
  }
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

function requestOnce(
  url: URL,
  c: {
    allowed: AllowedRanges;
    resolver: Resolver;
    deadline: number;
    t0: number;
    phases: Phases;
    maxBytes: number;
    ca?: string | Buffer;
    onCertificate: (expiresAt: Date) => void;
  },
): Promise<Hop> {
  return new Promise<Hop>((resolve, reject) => {
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      return reject(new ProbeError('forbidden', `protocole refusé : ${url.protocol}`));
    const host = hostOf(url);
    if (isIP(host)) {
      try {
        checkAddress(host, c.allowed);
      } catch (error) {
        return reject(error);
      }
    }
    const remaining = c.deadline - performance.now();
    if (remaining <= 0) return reject(new ProbeError('timeout', 'délai dépassé'));
    const secure = url.protocol === 'https:';
    const hopStart = performance.now();
    let lookedUp = hopStart;
    let connected = hopStart;
    let certExpiresAt: Date | null = null;
    let settled = false;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      reject(error);
    };
    const options: https.RequestOptions = {
      method: 'GET',
      agent: false,
      lookup: guardedLookup(c.allowed, c.resolver) as never,
      headers: {
        'user-agent': 'Vigie-monitoring/1.0 (+https://vigie.numerique.gouv.fr)',
        accept: 'text/html,*/*;q=0.8',
        'accept-encoding': 'identity',
      },
    };
    if (secure) Object.assign(options, { rejectUnauthorized: false, ca: c.ca, servername: isIP(host) ? undefined : host });
    const request = (secure ? https : http).request(url, options);
    const timer = setTimeout(() => fail(new ProbeError('timeout', `délai dépassé (${Math.round(c.deadline - c.t0)} ms)`)), remaining);
    request.on('socket', (socket: Socket) => {
      socket.once('lookup', () => {
        lookedUp = performance.now();
        c.phases.dns = round(lookedUp - hopStart);
      });
      socket.once('connect', () => {
        connected = performance.now();
        c.phases.connect = round(connected - lookedUp);
      });
      if (secure) {
        socket.once('secureConnect', () => {
          const tls = socket as TLSSocket;
          c.phases.tls = round(performance.now() - connected);
          const cert = tls.getPeerCertificate();
          if (cert?.valid_to) {
            certExpiresAt = new Date(cert.valid_to);
            c.onCertificate(certExpiresAt);
          }
          if (!tls.authorized) {
            const reason = String(tls.authorizationError ?? 'certificat refusé');
            fail(new ProbeError('tls', `certificat refusé : ${reason}`));
          }
        });
      }
    });
    request.on('error', (error) => fail(error));
    request.on('response', (response) => {
      c.phases.firstByte = round(performance.now() - c.t0);
      const chunks: Buffer[] = [];
      let bytes = 0;
      let kept = 0;
      response.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (kept < c.maxBytes) {
          chunks.push(chunk);
          kept += chunk.length;
        } else {
          // Enough read: the rest of a huge body is not downloaded.
          finish();
        }
      });
      response.on('end', finish);
      response.on('error', (error) => fail(error));
      function finish() {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        request.destroy();
        const location = response.headers.location ?? null;
        resolve({ status: response.statusCode ?? 0, location, body: Buffer.concat(chunks), bytes, certExpiresAt });
      }
    });
    request.end();
  });
}
