import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Signed tokens of the public questionnaire. The questionnaire is often framed on another origin where the CSRF
 * cookie may be blocked, so each form carries its own HMAC-signed token instead:
 * - a start token (button, version, single-use nonce) on step 1;
 * - a review token (button, version, review id) on the later steps, which lets them update that review only.
 */
export interface TokenData {
  kind: 'start' | 'review';
  buttonId: number;
  version: number;
  /** The nonce of a start token, the review id of a review token. */
  value: string;
  issuedAt: number;
}

/** A token older than this is refused (« formulaire expiré »); a review can be completed within an hour. */
export const START_TOKEN_TTL_MS = 6 * 60 * 60 * 1000;
export const REVIEW_TOKEN_TTL_MS = 60 * 60 * 1000;

function mac(secret: string, payload: string): string {
  return createHmac('sha256', secret).update('feedback-token\0').update(payload).digest('base64url');
}

export function signToken(secret: string, data: Omit<TokenData, 'issuedAt'>, now = Date.now()): string {
  const payload = [data.kind, data.buttonId, data.version, data.value, now].join('.');
  return `${Buffer.from(payload).toString('base64url')}.${mac(secret, payload)}`;
}

export function newNonce(): string {
  return randomBytes(16).toString('base64url');
}

export type TokenCheck = { ok: true; data: TokenData } | { ok: false; reason: 'invalid' | 'expired' };

export function verifyToken(secret: string, token: unknown, kind: TokenData['kind'], now = Date.now()): TokenCheck {
  if (typeof token !== 'string' || token.length > 300) return { ok: false, reason: 'invalid' };
  const [encoded, signature] = token.split('.');
  if (!encoded || !signature) return { ok: false, reason: 'invalid' };
  const payload = Buffer.from(encoded, 'base64url').toString();
  const expected = Buffer.from(mac(secret, payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'invalid' };
  const [k, buttonId, version, value, issuedAt] = payload.split('.');
  if (k !== kind) return { ok: false, reason: 'invalid' };
  const data: TokenData = { kind, buttonId: Number(buttonId), version: Number(version), value, issuedAt: Number(issuedAt) };
  const ttl = kind === 'start' ? START_TOKEN_TTL_MS : REVIEW_TOKEN_TTL_MS;
  if (!(now - data.issuedAt <= ttl)) return { ok: false, reason: 'expired' };
  return { ok: true, data };
}
