import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../kernel/config.ts';
import type { PendingSignIn } from './client.ts';

/**
 * What the OIDC flow keeps in the browser, in signed httpOnly cookies limited to the OIDC paths:
 * - `vigie_oidc`: state, nonce and PKCE verifier between the redirect to the provider and its answer (10 minutes);
 * - `vigie_oidc_id`: the ID token of the sign-in, needed to sign out at the provider (`id_token_hint`);
 * - `vigie_oidc_logout`: the state of a sign-out at the provider, checked when the browser comes back (10 minutes).
 */
export const PENDING_COOKIE = 'vigie_oidc';
export const ID_TOKEN_COOKIE = 'vigie_oidc_id';
export const LOGOUT_COOKIE = 'vigie_oidc_logout';
const PATH = '/connexion/oidc';
const SHORT_LIVED_SECONDS = 600;

function options(config: Pick<Config, 'secureCookies'>) {
  // Lax: the provider sends the browser back with a top-level GET, which carries Lax cookies.
  return { path: PATH, httpOnly: true, sameSite: 'lax' as const, secure: config.secureCookies };
}

function setSigned(reply: FastifyReply, config: Pick<Config, 'secureCookies'>, name: string, value: string, maxAge?: number): void {
  reply.setCookie(name, value, { ...options(config), signed: true, ...(maxAge ? { maxAge } : {}) });
}

/** The cookie's value when its signature is valid, else null. */
function readSigned(request: FastifyRequest, name: string): string | null {
  const raw = request.cookies[name];
  if (!raw) return null;
  const unsigned = request.unsignCookie(raw);
  return unsigned.valid && unsigned.value ? unsigned.value : null;
}

export function clearOidcCookie(reply: FastifyReply, config: Pick<Config, 'secureCookies'>, name: string): void {
  reply.clearCookie(name, options(config));
}

export function setPendingCookie(reply: FastifyReply, config: Pick<Config, 'secureCookies'>, pending: PendingSignIn): void {
  setSigned(reply, config, PENDING_COOKIE, Buffer.from(JSON.stringify(pending)).toString('base64url'), SHORT_LIVED_SECONDS);
}

/** The sign-in this browser started, or null when the cookie is missing, forged or malformed. */
export function readPendingCookie(request: FastifyRequest): PendingSignIn | null {
  const raw = readSigned(request, PENDING_COOKIE);
  if (!raw) return null;
  try {
    const value = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    const fields = ['state', 'nonce', 'verifier', 'returnTo'] as const;
    if (!value || fields.some((f) => typeof value[f] !== 'string')) return null;
    return { state: value.state, nonce: value.nonce, verifier: value.verifier, returnTo: value.returnTo };
  } catch {
    return null;
  }
}

export function setIdTokenCookie(reply: FastifyReply, config: Pick<Config, 'secureCookies'>, idToken: string): void {
  setSigned(reply, config, ID_TOKEN_COOKIE, idToken);
}

export function readIdTokenCookie(request: FastifyRequest): string | null {
  return readSigned(request, ID_TOKEN_COOKIE);
}

export function setLogoutCookie(reply: FastifyReply, config: Pick<Config, 'secureCookies'>, state: string): void {
  setSigned(reply, config, LOGOUT_COOKIE, state, SHORT_LIVED_SECONDS);
}

export function readLogoutCookie(request: FastifyRequest): string | null {
  return readSigned(request, LOGOUT_COOKIE);
}
