import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS } from '../../../test/helpers/db.ts';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { TestClient } from '../../../test/helpers/client.ts';
import { TEST_PASSWORD, createTestUser, signedInClient } from '../../../test/helpers/users.ts';
import { SESSION_COOKIE } from '../auth/session.ts';
import { countRows } from '../../accounts/testing.ts';

const CSRF_COOKIE = 'vigie_csrf';

for (const target of TEST_TARGETS) {
  describe(`CSRF: tokens bound to the session, cross-site requests refused (${target})`, () => {
    let t: TestApp;
    let ip = 0;
    const as = (email: string) => signedInClient(t.app, email, TEST_PASSWORD, `10.9.0.${++ip}`);
    const nameOf = async (email: string) =>
      (await t.db.query(`SELECT display_name FROM users WHERE email = $1`, [email])).rows[0].display_name;
    /** Posts the profile form by hand: this session, this CSRF cookie, this token, these extra headers. */
    const postProfile = (
      cookies: { session?: string; csrf?: string },
      token: string,
      email: string,
      headers: Record<string, string> = {},
    ) =>
      t.app.inject({
        method: 'POST',
        url: '/compte/profil',
        remoteAddress: `10.9.1.${++ip}`,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          cookie: [cookies.session && `${SESSION_COOKIE}=${cookies.session}`, cookies.csrf && `${CSRF_COOKIE}=${cookies.csrf}`]
            .filter(Boolean)
            .join('; '),
          ...headers,
        },
        payload: new URLSearchParams({ _csrf: token, display_name: 'Changé par un autre site', email }).toString(),
      });

    before(async () => {
      t = await createTestApp(target);
      await createTestUser(t.db, 'alice@exemple.gouv.fr', [], { displayName: 'Alice' });
      await createTestUser(t.db, 'bruno@exemple.gouv.fr', [], { displayName: 'Bruno' });
    });
    after(async () => t.close());

    test('a token taken before signing in is refused once signed in; a fresh one is accepted', async () => {
      const c = new TestClient(t.app, { remoteAddress: `10.9.0.${++ip}` });
      await c.get('/connexion');
      const anonymous = c.lastCsrf!;
      assert.equal((await c.post('/connexion', { email: 'alice@exemple.gouv.fr', password: TEST_PASSWORD })).statusCode, 303);
      const audit = await countRows(t.db, 'audit_log');
      const refused = await postProfile(
        { session: c.cookie(SESSION_COOKIE), csrf: c.cookie(CSRF_COOKIE) },
        anonymous,
        'alice@exemple.gouv.fr',
      );
      assert.equal(refused.statusCode, 403);
      assert.match(refused.body, /Formulaire expiré/);
      assert.equal(await nameOf('alice@exemple.gouv.fr'), 'Alice', 'nothing written');
      assert.equal(await countRows(t.db, 'audit_log'), audit);

      const fresh = await c.csrf();
      assert.notEqual(fresh, anonymous);
      const ok = await postProfile({ session: c.cookie(SESSION_COOKIE), csrf: c.cookie(CSRF_COOKIE) }, fresh, 'alice@exemple.gouv.fr', {
        origin: 'http://localhost:3000',
      });
      assert.equal(ok.statusCode, 303);
      assert.equal(await nameOf('alice@exemple.gouv.fr'), 'Changé par un autre site');
      await t.db.query(`UPDATE users SET display_name = 'Alice' WHERE email = 'alice@exemple.gouv.fr'`);
    });

    test('another account’s cookie and token pair is refused', async () => {
      const alice = await as('alice@exemple.gouv.fr');
      const bruno = await as('bruno@exemple.gouv.fr');
      const brunoToken = await bruno.csrf();
      const refused = await postProfile(
        { session: alice.cookie(SESSION_COOKIE), csrf: bruno.cookie(CSRF_COOKIE) },
        brunoToken,
        'alice@exemple.gouv.fr',
      );
      assert.equal(refused.statusCode, 403);
      assert.equal(await nameOf('alice@exemple.gouv.fr'), 'Alice');
      // Bruno's pair still works for Bruno's own session.
      const own = await postProfile(
        { session: bruno.cookie(SESSION_COOKIE), csrf: bruno.cookie(CSRF_COOKIE) },
        brunoToken,
        'bruno@exemple.gouv.fr',
      );
      assert.equal(own.statusCode, 303);
      await t.db.query(`UPDATE users SET display_name = 'Bruno' WHERE email = 'bruno@exemple.gouv.fr'`);
    });

    test('a state-changing request from another site is refused with a clear French page, even with a valid token', async () => {
      const alice = await as('alice@exemple.gouv.fr');
      const token = await alice.csrf();
      const cookies = { session: alice.cookie(SESSION_COOKIE), csrf: alice.cookie(CSRF_COOKIE) };
      const audit = await countRows(t.db, 'audit_log');
      const crossSite: Record<string, string>[] = [
        { origin: 'https://attaquant.example' },
        { origin: 'http://localhost:3000.attaquant.example' },
        { origin: 'null' },
        { referer: 'https://attaquant.example/piege.html' },
        { origin: 'https://attaquant.example', referer: 'http://localhost:3000/compte' },
        { 'sec-fetch-site': 'cross-site' },
        { 'sec-fetch-site': 'same-site', origin: 'https://autre.localhost' },
      ];
      for (const headers of crossSite) {
        const res = await postProfile(cookies, token, 'alice@exemple.gouv.fr', headers);
        assert.equal(res.statusCode, 403, JSON.stringify(headers));
        assert.match(res.body, /Demande refusée/);
        assert.match(res.body, /envoyée depuis un autre site que Vigie/);
        assert.match(res.body, /Rien n’a été modifié/);
      }
      assert.equal(await nameOf('alice@exemple.gouv.fr'), 'Alice', 'nothing written');
      assert.equal(await countRows(t.db, 'audit_log'), audit);

      // This site, by its public address or the address the request was sent to; or a client that says nothing.
      const sameSite: Record<string, string>[] = [
        { origin: 'http://localhost:3000' },
        { origin: 'http://localhost' },
        { referer: 'http://localhost:3000/compte' },
        { origin: 'http://localhost:3000', 'sec-fetch-site': 'same-origin' },
        // A browser told not to send referrers may send `Origin: null` on the site's own posts; Sec-Fetch-Site tells.
        { origin: 'null', 'sec-fetch-site': 'same-origin' },
        {},
      ];
      for (const headers of sameSite) {
        const res = await postProfile(cookies, token, 'alice@exemple.gouv.fr', headers);
        assert.equal(res.statusCode, 303, JSON.stringify(headers));
      }
      await t.db.query(`UPDATE users SET display_name = 'Alice' WHERE email = 'alice@exemple.gouv.fr'`);
    });

    test('pages ask browsers for a same-origin referrer policy, so that the site’s own posts carry their origin', async () => {
      const res = await t.app.inject({ url: '/connexion' });
      assert.equal(res.headers['referrer-policy'], 'same-origin');
    });

    test('the test client fetches a fresh token after its session changes', async () => {
      const c = new TestClient(t.app, { remoteAddress: `10.9.0.${++ip}` });
      await c.get('/connexion');
      const before = c.lastCsrf;
      await c.post('/connexion', { email: 'bruno@exemple.gouv.fr', password: TEST_PASSWORD });
      assert.equal(c.lastCsrf, null, 'the anonymous token is dropped at sign-in');
      assert.equal((await c.post('/compte/profil', { display_name: 'Bruno', email: 'bruno@exemple.gouv.fr' })).statusCode, 303);
      assert.notEqual(c.lastCsrf, before);
      assert.equal((await c.post('/deconnexion')).statusCode, 303);
      assert.equal(c.lastCsrf, null);
      assert.equal((await c.post('/connexion', { email: 'bruno@exemple.gouv.fr', password: TEST_PASSWORD })).statusCode, 303);
    });
  });
}
