import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Db } from '../src/kernel/db/db.ts';
import { listMigrations, migrate, type Migration } from '../src/kernel/db/migrate.ts';
import { openPglite } from '../src/kernel/db/pglite.ts';
import { openPostgres } from '../src/kernel/db/postgres.ts';
import { createSession, loadSessionUser } from '../src/kernel/auth/session.ts';
import { authenticateApiKey, createApiKey } from '../src/kernel/auth/api-keys.ts';
import { TEST_TARGETS, type TestTarget } from './helpers/db.ts';

// The identity tables (users, grants, sessions, api_keys) moved from the accounts module's migrations 0200–0204 to the
// kernel's 0003; the accounts module's 0205 replaces 0200–0204 on a new database. Landed migrations are not edited,
// so there are two paths to today's schema: a new database, and one made by the old migrations (the demo database of a
// previous version) that then receives 0003 and 0205. Both must end in the same schema, keeping the old one's rows.

/** The migrations as they were before the move: everything but the two new files. */
const NEW = ['0003_identity', '0205_accounts_on_kernel_identity'];

async function emptyDb(target: TestTarget): Promise<{ db: Db; destroy: () => Promise<void> }> {
  if (target === 'pglite') {
    const db = await openPglite();
    return { db, destroy: () => db.close() };
  }
  const url = process.env.TEST_DATABASE_URL!;
  const schema = `test_${randomBytes(6).toString('hex')}`;
  const admin = await openPostgres(url, { max: 1 });
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.close();
  const db = await openPostgres(url, { schema, max: 2 });
  return {
    db,
    async destroy() {
      await db.close();
      const cleaner = await openPostgres(url, { max: 1 });
      await cleaner.query(`DROP SCHEMA ${schema} CASCADE`);
      await cleaner.close();
    },
  };
}

/** Tables, columns, constraints, indexes, settings and recorded migrations, with the schema's name taken out. */
async function schemaOf(db: Db): Promise<Record<string, unknown>> {
  const {
    rows: [{ schema }],
  } = await db.query<{ schema: string }>('SELECT current_schema() AS schema');
  const strip = (value: unknown) => JSON.parse(JSON.stringify(value).replaceAll(`${schema}.`, ''));
  const columns = await db.query(
    `SELECT table_name, column_name, ordinal_position, data_type, is_nullable, column_default, is_identity, identity_generation
       FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`,
  );
  const constraints = await db.query(
    `SELECT conrelid::regclass::text AS table_name, conname, pg_get_constraintdef(oid) AS definition
       FROM pg_constraint WHERE connamespace = current_schema()::regnamespace ORDER BY 1, 2`,
  );
  const indexes = await db.query(`SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() ORDER BY 1, 2`);
  const settings = await db.query(`SELECT key, value FROM app_settings WHERE key NOT LIKE '%secret%' ORDER BY key`);
  const migrations = await db.query('SELECT name FROM schema_migrations ORDER BY name');
  return strip({
    columns: columns.rows,
    constraints: constraints.rows,
    indexes: indexes.rows,
    settings: settings.rows,
    migrations: migrations.rows,
  });
}

for (const target of TEST_TARGETS) {
  test(`${target}: a new database and one made by the old migrations end in the same schema, rows kept`, async () => {
    const all = listMigrations();
    for (const name of NEW)
      assert.ok(
        all.some((m) => m.name === name),
        name,
      );
    const before = all.filter((m) => !NEW.includes(m.name));

    const fresh = await emptyDb(target);
    const old = await emptyDb(target);
    try {
      const appliedFresh = await migrate(fresh.db, all);
      // On a new database the accounts module's first five migrations are replaced, never run…
      for (const name of ['0200_accounts', '0201_account_tokens', '0202_lock_notice', '0203_session_ids', '0204_lockout_ladder']) {
        assert.equal(appliedFresh.includes(name), false, name);
      }
      assert.ok(appliedFresh.includes('0003_identity') && appliedFresh.includes('0205_accounts_on_kernel_identity'));

      // …on an old one they had run; a user with a grant, a session and an API key were there before the upgrade.
      await migrate(old.db, before);
      const {
        rows: [{ id: ministryId }],
      } = await old.db.query<{ id: number }>(`INSERT INTO ministries (code, name) VALUES ('ESSAI', 'Ministère de l’Essai') RETURNING id`);
      const {
        rows: [{ id: userId }],
      } = await old.db.query<{ id: number }>(
        `INSERT INTO users (email, display_name) VALUES ('ancienne@example.fr', 'Ancienne') RETURNING id`,
      );
      await old.db.query(`INSERT INTO grants (user_id, role, ministry_id) VALUES ($1, 'ministry_referent', $2)`, [userId, ministryId]);
      const token = await createSession(old.db, userId);
      const key = await createApiKey(old.db, userId, 'clé d’avant');

      const appliedUpgrade = await migrate(old.db, all);
      assert.deepEqual(appliedUpgrade, NEW, 'only the two new migrations run on the old database');
      const freshSchema = await schemaOf(fresh.db);
      assert.deepEqual(await schemaOf(old.db), freshSchema);
      // The comparison sees what matters: the users' columns in the order the old migrations left them.
      const usersColumns = (freshSchema.columns as { table_name: string; column_name: string }[])
        .filter((c) => c.table_name === 'users')
        .map((c) => c.column_name);
      assert.deepEqual(usersColumns, [
        'id',
        'email',
        'display_name',
        'password_hash',
        'email_verified_at',
        'oidc_issuer',
        'oidc_subject',
        'failed_logins',
        'locked_until',
        'disabled_at',
        'is_demo',
        'last_login_at',
        'created_at',
        'updated_at',
        'lock_notice_sent_at',
        'last_failed_login_at',
      ]);
      assert.ok((freshSchema.constraints as { conname: string }[]).some((c) => c.conname === 'grants_procedure_id_fkey'));

      const user = await loadSessionUser(old.db, token);
      assert.equal(user?.email, 'ancienne@example.fr');
      assert.deepEqual(
        user?.grants.map((g) => [g.role, g.ministryId]),
        [['ministry_referent', ministryId]],
      );
      assert.equal((await authenticateApiKey(old.db, `Bearer ${key.key}`))?.id, userId);
      // The grants still point at the catalogue on both paths.
      for (const db of [old.db, fresh.db]) {
        await assert.rejects(
          db
            .query(`INSERT INTO grants (user_id, role, ministry_id) VALUES ($1, 'ministry_referent', 999999)`, [userId])
            .then(() => undefined),
        );
      }
      // Running again does nothing on either.
      assert.deepEqual(await migrate(old.db, all), []);
      assert.deepEqual(await migrate(fresh.db, all), []);
    } finally {
      await fresh.destroy();
      await old.destroy();
    }
  });

  test(`${target}: a database of an older version (0200–0201 run, 0202–0204 not yet) runs the rest as before`, async () => {
    // Only the kernel's, the catalogue's and the accounts module's migrations: the others do not take part.
    const inFolders = (m: Migration) => ['kernel', 'catalog', 'accounts'].some((d) => m.file.includes(`${path.sep}${d}${path.sep}`));
    const subset = listMigrations().filter(inFolders);
    const older = subset.filter(
      (m) => !NEW.includes(m.name) && !['0202_lock_notice', '0203_session_ids', '0204_lockout_ladder'].includes(m.name),
    );
    const fresh = await emptyDb(target);
    const old = await emptyDb(target);
    try {
      await migrate(fresh.db, subset);
      await migrate(old.db, older);
      assert.deepEqual(await migrate(old.db, subset), ['0202_lock_notice', '0203_session_ids', '0204_lockout_ladder', ...NEW]);
      assert.deepEqual(await schemaOf(old.db), await schemaOf(fresh.db));
    } finally {
      await fresh.destroy();
      await old.destroy();
    }
  });

  test(`${target}: the kernel's own migrations give it the tables it reads (no module's migration needed)`, async () => {
    const kernelDir = `${path.sep}kernel${path.sep}db${path.sep}migrations${path.sep}`;
    const kernelOnly: Migration[] = listMigrations().filter((m) => m.file.includes(kernelDir));
    assert.ok(kernelOnly.some((m) => m.name === '0003_identity'));
    const empty = await emptyDb(target);
    try {
      await migrate(empty.db, kernelOnly);
      const {
        rows: [{ id: userId }],
      } = await empty.db.query<{ id: number }>(`INSERT INTO users (email, display_name) VALUES ('seule@example.fr', 'Seule') RETURNING id`);
      await empty.db.query(`INSERT INTO grants (user_id, role) VALUES ($1, 'admin')`, [userId]);
      const token = await createSession(empty.db, userId);
      assert.deepEqual(
        (await loadSessionUser(empty.db, token))?.grants.map((g) => g.role),
        ['admin'],
      );
      const key = await createApiKey(empty.db, userId, 'clé');
      assert.equal((await authenticateApiKey(empty.db, `Bearer ${key.key}`))?.id, userId);
    } finally {
      await empty.destroy();
    }
  });
}
