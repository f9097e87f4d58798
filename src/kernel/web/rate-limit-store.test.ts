import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify, { type FastifyInstance } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import { TEST_TARGETS, openTestDb, type TestDb } from '../../../test/helpers/db.ts';
import { databaseRateLimitStore } from './rate-limit-store.ts';

/** A server with one rate-limited route, counting in `db` as Vigie does (server.ts registers the same store). */
async function server(db: TestDb, timeWindow: number | string = '1 minute'): Promise<FastifyInstance> {
  const app = Fastify();
  await app.register(rateLimit, { global: false, store: databaseRateLimitStore(db, 'secret-of-the-test-0123456789') as any });
  app.post('/essai', { config: { rateLimit: { max: 3, timeWindow } } }, async () => ({ ok: true }));
  app.post('/autre', { config: { rateLimit: { max: 3, timeWindow } } }, async () => ({ ok: true }));
  await app.ready();
  return app;
}

for (const target of TEST_TARGETS) {
  describe(`rate limits shared through the database (${target})`, () => {
    let db: TestDb;
    before(async () => {
      db = await openTestDb(target);
    });
    after(async () => db?.destroy());

    test('two servers on one database count together: the limit reached through one holds on the other', async () => {
      const one = await server(db);
      const two = await server(db);
      const hit = (app: FastifyInstance, url = '/essai', remoteAddress = '10.9.0.1') =>
        app.inject({ method: 'POST', url, remoteAddress }).then((r) => r.statusCode);
      assert.deepEqual([await hit(one), await hit(two), await hit(one)], [200, 200, 200]);
      assert.equal(await hit(two), 429, 'fourth attempt, through the other server');
      assert.equal(await hit(one), 429);
      // Another address, and another route, have their own counters.
      assert.equal(await hit(two, '/essai', '10.9.0.2'), 200);
      assert.equal(await hit(one, '/autre'), 200);
      // The address is not stored, only a keyed hash.
      const { rows } = await db.query('SELECT key FROM rate_limit_counters');
      assert.ok(rows.length >= 3);
      for (const r of rows) assert.doesNotMatch(String(r.key), /10\.9\.0/);
      await one.close();
      await two.close();
    });

    test('a new window starts once the previous one is over', async () => {
      const app = await server(db, '10 minutes');
      const hit = () => app.inject({ method: 'POST', url: '/essai', remoteAddress: '10.9.1.1' }).then((r) => r.statusCode);
      for (let i = 0; i < 3; i++) assert.equal(await hit(), 200);
      const refused = await app.inject({ method: 'POST', url: '/essai', remoteAddress: '10.9.1.1' });
      assert.equal(refused.statusCode, 429);
      const retryAfter = Number(refused.headers['retry-after']);
      assert.ok(retryAfter > 500 && retryAfter <= 600, `retry-after ${retryAfter} s`);
      // Ten minutes later (the window's end moved to the past rather than waiting).
      await db.query(
        `UPDATE rate_limit_counters SET window_start = window_start - interval '10 minutes', expires_at = expires_at - interval '10 minutes'`,
      );
      assert.equal(await hit(), 200);
      assert.equal(await hit(), 200);
      await app.close();
    });
  });
}
