/**
 * Test users, for every module: a user with grants (by ids or by codes), signed in through the real login form or
 * through a session row made in the database, as a TestClient. Browser contexts: `signInContext` in test/browser.
 */
import type { FastifyInstance } from 'fastify';
import type { Queryable } from '../../src/kernel/db/db.ts';
import type { Role } from '../../src/kernel/auth/scope.ts';
import { SESSION_COOKIE, createSession } from '../../src/kernel/auth/session.ts';
import { hashPassword } from '../../src/accounts/passwords.ts';
import { insertGrant, insertUser } from '../../src/accounts/users.ts';
import { TestClient } from './client.ts';

export const TEST_PASSWORD = 'mot-de-passe-de-test-solide';
let cachedHash: Promise<string> | null = null;
let counter = 0;

/**
 * A grant on ids, or on codes resolved in the database (ministry and administration codes, procedure stable id):
 * tests on the demo catalogue know the codes, tests on their own fixtures the ids.
 */
export interface TestGrant {
  role: Role;
  ministryId?: number | null;
  administrationId?: number | null;
  procedureId?: number | null;
  ministry?: string;
  administration?: string;
  procedure?: string;
}

/** An address no other test of this process uses. */
export function uniqueEmail(prefix = 'utilisateur'): string {
  return `${prefix}-${process.pid}-${++counter}@exemple.gouv.fr`;
}

async function idOf(db: Queryable, sql: string, code: string): Promise<number> {
  const { rows } = await db.query<{ id: number }>(sql, [code]);
  if (!rows[0]) throw new Error(`test grant: nothing with code ${code}`);
  return Number(rows[0].id);
}

async function resolveGrant(db: Queryable, g: TestGrant): Promise<TestGrant> {
  return {
    role: g.role,
    ministryId: g.ministry ? await idOf(db, 'SELECT id FROM ministries WHERE code = $1', g.ministry) : g.ministryId,
    administrationId: g.administration
      ? await idOf(db, 'SELECT id FROM administrations WHERE code = $1', g.administration)
      : g.administrationId,
    procedureId: g.procedure ? await idOf(db, 'SELECT id FROM procedures WHERE stable_id = $1', g.procedure) : g.procedureId,
  };
}

/** A user with the test password, a verified address and these grants; returns its id. */
export async function createTestUser(
  db: Queryable,
  email = uniqueEmail(),
  grants: TestGrant[] = [],
  options: { displayName?: string } = {},
): Promise<number> {
  cachedHash ??= hashPassword(TEST_PASSWORD);
  const id = await insertUser(db, { email, displayName: options.displayName ?? '', passwordHash: await cachedHash, emailVerified: true });
  for (const g of grants) await insertGrant(db, id, await resolveGrant(db, g), null);
  return id;
}

/** A client signed in through the real login form. */
export async function signedInClient(
  app: FastifyInstance,
  email: string,
  password = TEST_PASSWORD,
  remoteAddress?: string,
): Promise<TestClient> {
  const client = new TestClient(app, { remoteAddress });
  await client.get('/connexion');
  const res = await client.post('/connexion', { email, password });
  if (res.statusCode !== 303) throw new Error(`sign-in of ${email} failed: ${res.statusCode}`);
  return client;
}

/** A client signed in as this user by a session made in the database (no login form: no rate limit, no hashing). */
export async function sessionClient(
  app: FastifyInstance,
  db: Queryable,
  userId: number,
  options: { userAgent?: string; remoteAddress?: string } = {},
): Promise<TestClient> {
  const client = new TestClient(app, { remoteAddress: options.remoteAddress });
  client.setCookie(SESSION_COOKIE, await createSession(db, userId, options.userAgent));
  return client;
}

/** A new user holding these grants, signed in by a session row. */
export async function clientWithGrants(
  app: FastifyInstance,
  db: Queryable,
  grants: TestGrant[],
  email = uniqueEmail(),
): Promise<TestClient> {
  return sessionClient(app, db, await createTestUser(db, email, grants));
}
