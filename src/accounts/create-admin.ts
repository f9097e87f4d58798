import type { Db } from '../kernel/db/db.ts';
import { audit } from '../kernel/audit/audit.ts';
import { generatePassword, hashPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './passwords.ts';
import { emailField } from './email.ts';
import { insertGrant, insertUser } from './users.ts';

export interface CreatedAdmin {
  userId: number;
  email: string;
  /** The password set: the one given, or a generated one to print; null when an existing account kept its own. */
  password: string | null;
  created: boolean;
}

/**
 * Creates a steering admin, or gives the admin role to an existing account (its password is replaced only when
 * one is given). The address is left unverified: the admin verifies it from « Mon compte ».
 */
export async function createAdmin(db: Db, rawEmail: string, givenPassword?: string): Promise<CreatedAdmin> {
  const email = emailField.safeParse(rawEmail);
  if (!email.success) throw new Error(`Adresse électronique invalide : ${rawEmail}`);
  if (givenPassword !== undefined && (givenPassword.length < PASSWORD_MIN_LENGTH || givenPassword.length > PASSWORD_MAX_LENGTH)) {
    throw new Error(`Le mot de passe doit contenir entre ${PASSWORD_MIN_LENGTH} et ${PASSWORD_MAX_LENGTH} caractères.`);
  }
  return db.transaction(async (tx) => {
    const existing = await tx.query<{ id: number }>('SELECT id FROM users WHERE lower(email) = $1', [email.data]);
    const actor = null;
    if (existing.rows[0]) {
      const userId = existing.rows[0].id;
      if (givenPassword !== undefined) {
        await tx.query('UPDATE users SET password_hash = $2, failed_logins = 0, locked_until = NULL, updated_at = now() WHERE id = $1', [
          userId,
          await hashPassword(givenPassword),
        ]);
      }
      const grantId = await insertGrant(tx, userId, { role: 'admin' }, null);
      await audit(tx, {
        actor,
        action: 'user.make_admin',
        entityType: 'user',
        entityId: userId,
        after: { via: 'cli', grantId, passwordChanged: givenPassword !== undefined },
      });
      return { userId, email: email.data, password: givenPassword ?? null, created: false };
    }
    const password = givenPassword ?? generatePassword();
    const userId = await insertUser(tx, { email: email.data, passwordHash: await hashPassword(password), emailVerified: false });
    await insertGrant(tx, userId, { role: 'admin' }, null);
    await audit(tx, {
      actor,
      action: 'user.create',
      entityType: 'user',
      entityId: userId,
      after: { email: email.data, role: 'admin', via: 'cli' },
    });
    return { userId, email: email.data, password, created: true };
  });
}
