import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The signed link of the « did the answer help? » mail: the story's id and an HMAC of it with the server secret, so
 * that only the author (who got the mail) can answer, without an account. The link does not expire: the answer can be
 * changed until the story is archived.
 */
function mac(secret: string, id: number): string {
  return createHmac('sha256', secret).update(`experience-follow-up\0${id}`).digest('base64url').slice(0, 32);
}

export function followUpToken(secret: string, id: number): string {
  return `${id}.${mac(secret, id)}`;
}

/** The story id of a valid token, null otherwise. */
export function readFollowUpToken(secret: string, token: unknown): number | null {
  if (typeof token !== 'string') return null;
  const m = /^(\d{1,15})\.([A-Za-z0-9_-]{32})$/.exec(token);
  if (!m) return null;
  const id = Number(m[1]);
  const expected = Buffer.from(mac(secret, id));
  const given = Buffer.from(m[2]);
  return expected.length === given.length && timingSafeEqual(expected, given) ? id : null;
}
