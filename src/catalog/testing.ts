/** Test support for the catalog: users with grants given by codes, signed in through a session cookie. Tests only. */
import type { FastifyInstance } from 'fastify';
import type { Queryable } from '../kernel/db/db.ts';
import { SESSION_COOKIE, createSession } from '../kernel/auth/session.ts';
import type { Role } from '../kernel/auth/scope.ts';
import { TestClient } from '../../test/helpers/client.ts';

export interface GrantByCode {
  role: Role;
  ministry?: string;
  administration?: string;
  procedure?: string;
}

let counter = 0;

export async function createUserWithGrants(db: Queryable, grants: GrantByCode[]): Promise<{ id: number; email: string }> {
  const email = `catalogue-${process.pid}-${++counter}@exemple.gouv.fr`;
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO users (email, display_name, email_verified_at) VALUES ($1, $2, now()) RETURNING id`,
    [email, `Utilisateur ${counter}`],
  );
  const id = rows[0].id;
  for (const g of grants) {
    await db.query(
      `INSERT INTO grants (user_id, role, ministry_id, administration_id, procedure_id)
       VALUES ($1, $2, (SELECT id FROM ministries WHERE code = $3), (SELECT id FROM administrations WHERE code = $4),
               (SELECT id FROM procedures WHERE stable_id = $5))`,
      [id, g.role, g.ministry ?? null, g.administration ?? null, g.procedure ?? null],
    );
  }
  return { id, email };
}

/** A browser-like client signed in as a new user holding these grants. */
export async function clientWithGrants(app: FastifyInstance, db: Queryable, grants: GrantByCode[]): Promise<TestClient> {
  const user = await createUserWithGrants(db, grants);
  const token = await createSession(db, user.id);
  const client = new TestClient(app);
  client.setCookie(SESSION_COOKIE, token);
  return client;
}

export async function procedureId(db: Queryable, stableId: string): Promise<number> {
  const { rows } = await db.query<{ id: number }>('SELECT id FROM procedures WHERE stable_id = $1', [stableId]);
  if (!rows[0]) throw new Error(`no procedure ${stableId}`);
  return rows[0].id;
}

export async function auditCount(db: Queryable): Promise<number> {
  return (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log')).rows[0].n;
}
