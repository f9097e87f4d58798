import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../kernel/config.ts';
import type { PendingSignIn } from './client.ts';

/** State, nonce and PKCE verifier travel in a signed httpOnly cookie, scoped to the OIDC paths, for ten minutes. */
export const PENDING_COOKIE = 'vigie_oidc';
const PATH = '/connexion/oidc';
const MAX_AGE_SECONDS = 600;

function options(config: Pick<Config, 'secureCookies'>) {
  // Lax: the provider sends the browser back with a top-level GET, which carries Lax cookies.
  return { path: PATH, httpOnly: true, sameSite: 'lax' as const, secure: config.secureCookies };
}

export function setPendingCookie(reply: FastifyReply, config: Pick<Config, 'secureCookies'>, pending: PendingSignIn): void {
  const value = Buffer.from(JSON.stringify(pending)).toString('base64url');
  reply.setCookie(PENDING_COOKIE, value, { ...options(config), signed: true, maxAge: MAX_AGE_SECONDS });
}

export function clearPendingCookie(reply: FastifyReply, config: Pick<Config, 'secureCookies'>): void {
  reply.clearCookie(PENDING_COOKIE, options(config));
}

/** The sign-in this browser started, or null when the cookie is missing, forged or malformed. */
export function readPendingCookie(request: FastifyRequest): PendingSignIn | null {
  const raw = request.cookies[PENDING_COOKIE];
  if (!raw) return null;
  const unsigned = request.unsignCookie(raw);
  if (!unsigned.valid || !unsigned.value) return null;
  try {
    const value = JSON.parse(Buffer.from(unsigned.value, 'base64url').toString('utf8'));
    const fields = ['state', 'nonce', 'verifier', 'returnTo'] as const;
    if (!value || fields.some((f) => typeof value[f] !== 'string')) return null;
    return { state: value.state, nonce: value.nonce, verifier: value.verifier, returnTo: value.returnTo };
  } catch {
    return null;
  }
}
