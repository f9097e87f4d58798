import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Queryable } from '../kernel/db/db.ts';
import { TEST_TARGETS } from '../../test/helpers/db.ts';
import { createTestApp, type TestApp } from '../../test/helpers/app.ts';
import type { TestClient } from '../../test/helpers/client.ts';
import { SESSION_COOKIE, hashToken } from '../kernel/auth/session.ts';
import { createTestUser, sessionClient } from '../../test/helpers/users.ts';

const FIREFOX_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0';
const CHROME_ANDROID =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36';

/** Every row of the sessions table and the audit log: any insert, update or delete changes it. */
async function snapshot(db: Queryable): Promise<string> {
  const sessions = await db.query('SELECT id, id_hash, user_id, expires_at, last_seen_at FROM sessions ORDER BY id');
  const audit = await db.query('SELECT id, action FROM audit_log ORDER BY id');
  return JSON.stringify([sessions.rows, audit.rows]);
}

for (const target of TEST_TARGETS) {
  describe(`revoking one session (${target})`, () => {
    let t: TestApp;
    let ownerId: number;
    let ip = 0;
    /** A browser signed in as the user with this User-Agent (the session is created as the login form would). */
    async function browser(userId: number, userAgent: string): Promise<{ client: TestClient; token: string; id: number }> {
      const client = await sessionClient(t.app, t.db, userId, { userAgent, remoteAddress: `10.6.0.${++ip}` });
      const token = client.cookie(SESSION_COOKIE)!;
      const { rows } = await t.db.query<{ id: number }>('SELECT id FROM sessions WHERE id_hash = $1', [hashToken(token)]);
      return { client, token, id: rows[0].id };
    }
    const works = async (client: TestClient) => (await client.get('/compte')).statusCode === 200;

    before(async () => {
      t = await createTestApp(target);
      ownerId = await createTestUser(t.db, 'appareils@exemple.gouv.fr');
    });
    after(async () => t.close());

    test('« Mon compte » lists the sessions with a device summary; only the others can be revoked', async () => {
      const laptop = await browser(ownerId, FIREFOX_WINDOWS);
      const phone = await browser(ownerId, CHROME_ANDROID);
      const page = await laptop.client.get('/compte');
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /<td>Firefox sur Windows<\/td><td><p class="fr-badge[^"]*">Cette session<\/p><\/td>/);
      assert.match(page.body, /<td>Chrome sur Android<\/td><td><form method="post" action="\/compte\/sessions\/(\d+)\/revoquer">/);
      assert.ok(page.body.includes(`action="/compte/sessions/${phone.id}/revoquer"`));
      assert.ok(!page.body.includes(`action="/compte/sessions/${laptop.id}/revoquer"`), 'no button for the current session');
      assert.ok(
        !page.body.includes(hashToken(laptop.token)) && !page.body.includes(hashToken(phone.token)),
        'token hashes stay on the server',
      );
    });

    test('a revoked session’s cookie no longer works; the others go on; the change is audited', async () => {
      const laptop = await browser(ownerId, FIREFOX_WINDOWS);
      const phone = await browser(ownerId, CHROME_ANDROID);
      const tablet = await browser(ownerId, CHROME_ANDROID);
      await laptop.client.get('/compte');
      const res = await laptop.client.post(`/compte/sessions/${phone.id}/revoquer`);
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, '/compte?ok=session-revoquee');
      const replay = await t.app.inject({ url: '/compte', headers: { cookie: `${SESSION_COOKIE}=${phone.token}` } });
      assert.equal(replay.statusCode, 303);
      assert.match(String(replay.headers.location), /^\/connexion\?retour=/);
      assert.ok(await works(laptop.client), 'the session that revoked goes on');
      assert.ok(await works(tablet.client), 'another session goes on');
      assert.match((await laptop.client.get('/compte?ok=session-revoquee')).body, /La session est révoquée/);
      const { rows } = await t.db.query<{ actor_id: number; entity_id: string; before: any }>(
        `SELECT actor_id, entity_id, before FROM audit_log WHERE action = 'user.revoke_session' ORDER BY id DESC LIMIT 1`,
      );
      assert.equal(Number(rows[0].actor_id), ownerId);
      assert.equal(rows[0].entity_id, String(ownerId));
      const before = typeof rows[0].before === 'string' ? JSON.parse(rows[0].before) : rows[0].before;
      assert.equal(before.session, phone.id);
      assert.equal(before.device, 'Chrome sur Android');
      const again = await laptop.client.post(`/compte/sessions/${phone.id}/revoquer`);
      assert.equal(again.statusCode, 404, 'already revoked');
    });

    test('another user’s session cannot be revoked: 404, nothing written, it still works', async () => {
      const victim = await browser(ownerId, FIREFOX_WINDOWS);
      const otherId = await createTestUser(t.db, 'curieux@exemple.gouv.fr', [{ role: 'admin' }]);
      const attacker = await browser(otherId, CHROME_ANDROID);
      await attacker.client.get('/compte');
      const before = await snapshot(t.db);
      for (const id of [String(victim.id), 'abc', '0', '99999999999999999999']) {
        const res = await attacker.client.post(`/compte/sessions/${id}/revoquer`);
        assert.equal(res.statusCode, 404, id);
        assert.match(res.body, /Session introuvable/);
      }
      assert.equal(await snapshot(t.db), before);
      assert.ok(await works(victim.client));
    });

    test('without the CSRF token nothing is revoked', async () => {
      const a = await browser(ownerId, FIREFOX_WINDOWS);
      const b = await browser(ownerId, CHROME_ANDROID);
      const before = await snapshot(t.db);
      const res = await a.client.post(`/compte/sessions/${b.id}/revoquer`, {}, { csrf: false });
      assert.equal(res.statusCode, 403);
      assert.equal(await snapshot(t.db), before);
      assert.ok(await works(b.client));
    });

    test('revoking the current session signs this browser out', async () => {
      const a = await browser(ownerId, FIREFOX_WINDOWS);
      await a.client.get('/compte');
      const res = await a.client.post(`/compte/sessions/${a.id}/revoquer`);
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, '/connexion');
      assert.equal(a.client.cookie(SESSION_COOKIE), undefined);
      const replay = await t.app.inject({ url: '/compte', headers: { cookie: `${SESSION_COOKIE}=${a.token}` } });
      assert.equal(replay.statusCode, 303);
    });
  });
}
