/**
 * Test support for every module: users with grants, signed-in clients and a small catalogue.
 * Only imported by tests.
 */
import type { FastifyInstance } from 'fastify';
import type { Queryable } from '../kernel/db/db.ts';
import { TestClient } from '../../test/helpers/client.ts';
import { hashPassword } from './passwords.ts';
import { insertGrant, insertUser, type GrantInput } from './users.ts';

export const TEST_PASSWORD = 'mot-de-passe-de-test-solide';
let cachedHash: Promise<string> | null = null;

/** A user with the test password, a verified address and the given grants. */
export async function createTestUser(db: Queryable, email: string, grants: GrantInput[] = [], options: { displayName?: string } = {}): Promise<number> {
  cachedHash ??= hashPassword(TEST_PASSWORD);
  const id = await insertUser(db, { email, displayName: options.displayName ?? '', passwordHash: await cachedHash, emailVerified: true });
  for (const g of grants) await insertGrant(db, id, g, null);
  return id;
}

/** A client signed in through the real login form. */
export async function signedInClient(app: FastifyInstance, email: string, password = TEST_PASSWORD, remoteAddress?: string): Promise<TestClient> {
  const client = new TestClient(app, { remoteAddress });
  await client.get('/connexion');
  const res = await client.post('/connexion', { email, password });
  if (res.statusCode !== 303) throw new Error(`sign-in of ${email} failed: ${res.statusCode}`);
  return client;
}

export interface TestCatalog {
  ministries: [number, number];
  administrations: [number, number];
  procedures: [number, number];
  procedureStableIds: [string, string];
}

/** Two ministries, each with one administration and one procedure: enough to test in and out of scope. */
export async function createTestCatalog(db: Queryable, prefix = 't'): Promise<TestCatalog> {
  const ids: number[][] = [[], [], []];
  const stable: string[] = [];
  for (const n of [1, 2]) {
    const m = await db.query<{ id: number }>('INSERT INTO ministries (code, name) VALUES ($1, $2) RETURNING id', [`${prefix}-min-${n}`, `Ministère de test ${n}`]);
    const a = await db.query<{ id: number }>('INSERT INTO administrations (ministry_id, code, name) VALUES ($1, $2, $3) RETURNING id', [
      m.rows[0].id,
      `${prefix}-adm-${n}`,
      `Administration de test ${n}`,
    ]);
    const stableId = `${prefix}-proc-${n}`;
    const p = await db.query<{ id: number }>('INSERT INTO procedures (stable_id, slug, title, administration_id) VALUES ($1, $1, $2, $3) RETURNING id', [
      stableId,
      `Démarche de test ${n}`,
      a.rows[0].id,
    ]);
    ids[0].push(m.rows[0].id);
    ids[1].push(a.rows[0].id);
    ids[2].push(p.rows[0].id);
    stable.push(stableId);
  }
  return {
    ministries: ids[0] as [number, number],
    administrations: ids[1] as [number, number],
    procedures: ids[2] as [number, number],
    procedureStableIds: stable as [string, string],
  };
}

export async function countRows(db: Queryable, table: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
  return rows[0].n;
}
