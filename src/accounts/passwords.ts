import { randomBytes } from 'node:crypto';
import argon2 from 'argon2';
import { z } from 'zod';

export const PASSWORD_MIN_LENGTH = 12;
/** Upper bound so that a huge body cannot make argon2 work for nothing. */
export const PASSWORD_MAX_LENGTH = 200;

// argon2id with the OWASP baseline (19 MiB, 2 passes): strong, and fast enough for a small server.
const OPTIONS = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, OPTIONS);
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | null = null;
/** Spends the same time as a real check, so that an unknown address cannot be told apart by the response time. */
export async function verifyNothing(password: string): Promise<false> {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  await verifyPassword(await dummyHash, password);
  return false;
}

/** A random password easy to copy: 24 characters from an unambiguous alphabet (about 130 bits). */
export function generatePassword(): string {
  const alphabet = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(24);
  let out = '';
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return out;
}

export const newPasswordField = z
  .string({ error: 'Saisissez un mot de passe.' })
  .min(PASSWORD_MIN_LENGTH, `Le mot de passe doit contenir au moins ${PASSWORD_MIN_LENGTH} caractères.`)
  .max(PASSWORD_MAX_LENGTH, `Le mot de passe doit contenir au plus ${PASSWORD_MAX_LENGTH} caractères.`);

/** A new password typed twice: the two entries must match. */
export const newPasswordPair = z
  .object({ password: newPasswordField, password_confirmation: z.string({ error: 'Confirmez le mot de passe.' }) })
  .refine((v) => v.password === v.password_confirmation, {
    message: 'Les deux mots de passe ne sont pas identiques.',
    path: ['password_confirmation'],
  });
