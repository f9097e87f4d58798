import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { TEST_TARGETS } from '../../test/helpers/db.ts';
import { createTestApp, type TestApp } from '../../test/helpers/app.ts';
import { TestClient } from '../../test/helpers/client.ts';
import { SESSION_COOKIE } from '../kernel/auth/session.ts';
import { countRows } from './testing.ts';
import { TEST_PASSWORD, createTestUser, signedInClient } from '../../test/helpers/users.ts';
import { LOGIN_FAILURE, LOGIN_RATE_LIMIT } from './routes/login.ts';
import { DEFAULT_LOCKOUT_RULES, lockMinutes } from './lockout.ts';

const FAILURES_BEFORE_LOCK = DEFAULT_LOCKOUT_RULES.failuresBeforeLock;
import { safeReturnPath } from './return-path.ts';

const failure = LOGIN_FAILURE.slice(0, 40);

test('the lock climbs the ladder 1, 5, 15, 60 minutes after the allowed failures, then stays on the last rung', () => {
  const rules = DEFAULT_LOCKOUT_RULES;
  assert.equal(rules.failuresBeforeLock, 5);
  assert.equal(lockMinutes(rules, 4), 0);
  assert.equal(lockMinutes(rules, 5), 1);
  assert.equal(lockMinutes(rules, 6), 5);
  assert.equal(lockMinutes(rules, 7), 15);
  assert.equal(lockMinutes(rules, 8), 60);
  assert.equal(lockMinutes(rules, 45), 60);
});

test('return paths stay on this site', () => {
  assert.equal(safeReturnPath('/catalogue?page=2#x'), '/catalogue?page=2#x');
  for (const bad of [
    '//evil.example',
    '/.//evil.example',
    '/a/..//evil.example',
    '/./..//evil.example',
    '/\\evil.example',
    'https://evil.example',
    'javascript:alert(1)',
    '/\t/evil.example',
    '',
    undefined,
    ['/x'],
  ]) {
    assert.equal(safeReturnPath(bad), '/', String(bad));
  }
});

test('whatever the input, the return path resolves on this site', () => {
  const tricky = fc.constantFrom(
    '/',
    '//',
    '\\',
    '/\\',
    'http:',
    'https://',
    '%2F',
    '%5C',
    '\t',
    '\n',
    '@',
    '.',
    'evil.example',
    '#',
    '?',
    '/.',
    '/..',
    '..',
    './',
  );
  fc.assert(
    fc.property(fc.array(fc.oneof(tricky, fc.string()), { maxLength: 8 }), (parts) => {
      const result = safeReturnPath(parts.join(''));
      for (const base of ['https://vigie.gouv.fr', 'http://localhost:3000']) {
        assert.equal(new URL(result, base).origin, new URL(base).origin, `${JSON.stringify(parts.join(''))} → ${result}`);
      }
      assert.ok(result.startsWith('/') && !result.startsWith('//'));
    }),
    { numRuns: 2000 },
  );
});

for (const target of TEST_TARGETS) {
  describe(`password login (${target})`, () => {
    let t: TestApp;
    let ip = 0;
    const client = () => new TestClient(t.app, { remoteAddress: `10.0.0.${++ip}` });
    before(async () => {
      t = await createTestApp(target);
      await createTestUser(t.db, 'agent@exemple.gouv.fr', [{ role: 'admin' }], { displayName: 'Agent' });
      await createTestUser(t.db, 'verrou@exemple.gouv.fr');
      await createTestUser(t.db, 'rate@exemple.gouv.fr');
    });
    after(async () => t.close());

    test('the login page has a labelled form and no OIDC button without OIDC settings', async () => {
      const res = await client().get('/connexion');
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /<label class="fr-label" for="champ-email">/);
      assert.match(res.body, /autocomplete="current-password"/);
      assert.doesNotMatch(res.body, /connexion\/oidc/);
    });

    test('good credentials open a session with a safe cookie and go back to a local page', async () => {
      const c = client();
      await c.get('/connexion');
      const res = await c.post('/connexion', { email: 'AGENT@exemple.gouv.fr', password: TEST_PASSWORD, retour: '/compte' });
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, '/compte');
      const cookie = res.cookies.find((k) => k.name === SESSION_COOKIE)!;
      assert.ok(cookie.httpOnly);
      assert.equal(cookie.sameSite, 'Lax');
      assert.ok(!cookie.secure, 'not secure over plain HTTP');
      const page = await c.get('/compte');
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /agent@exemple\.gouv\.fr/);
    });

    test('an external return address is ignored', async () => {
      const c = client();
      await c.get('/connexion');
      const res = await c.post('/connexion', { email: 'agent@exemple.gouv.fr', password: TEST_PASSWORD, retour: '//evil.example/x' });
      assert.equal(res.headers.location, '/mes-demarches');
    });

    test('unknown address and wrong password get the very same answer', async () => {
      const c = client();
      await c.get('/connexion');
      const unknown = await c.post('/connexion', { email: 'personne@exemple.gouv.fr', password: 'nimporte-quoi-123' });
      const wrong = await c.post('/connexion', { email: 'agent@exemple.gouv.fr', password: 'mauvais-mot-de-passe' });
      assert.equal(unknown.statusCode, 400);
      assert.equal(wrong.statusCode, 400);
      assert.ok(unknown.body.includes(failure) && wrong.body.includes(failure));
      assert.equal(
        unknown.cookies.find((k) => k.name === SESSION_COOKIE),
        undefined,
      );
    });

    test('malformed input is refused next to the field, nothing written', async () => {
      const c = client();
      await c.get('/connexion');
      const sessions = await countRows(t.db, 'sessions');
      const res = await c.post('/connexion', { email: 'pas-une-adresse', password: '' });
      assert.equal(res.statusCode, 400);
      assert.match(res.body, /id="champ-email-erreur"/);
      assert.match(res.body, /id="champ-password-erreur"/);
      const huge = await c.post('/connexion', { email: 'a'.repeat(300) + '@x.fr', password: 'x'.repeat(5000) });
      assert.equal(huge.statusCode, 400);
      assert.equal(await countRows(t.db, 'sessions'), sessions);
    });

    test('an oversized or badly encoded body is refused in French, nothing written', async () => {
      const c = client();
      await c.get('/connexion');
      const sessions = await countRows(t.db, 'sessions');
      const audit = await countRows(t.db, 'audit_log');
      const big = await c.post('/connexion', { email: 'agent@exemple.gouv.fr', password: 'x'.repeat(2 * 1024 * 1024) });
      assert.equal(big.statusCode, 413);
      assert.match(big.body, /Envoi trop volumineux/);
      const bad = await c.request({
        method: 'POST',
        url: '/connexion',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: Buffer.concat([
          Buffer.from(`_csrf=${encodeURIComponent(await c.csrf())}&email=agent%40exemple.gouv.fr&password=`),
          Buffer.from('%FF%FE'),
        ]),
      });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /Texte invalide/);
      assert.equal(await countRows(t.db, 'sessions'), sessions);
      assert.equal(await countRows(t.db, 'audit_log'), audit);
    });

    test('repeated failures lock the account, even for the right password, with the same message', async () => {
      const c = client();
      await c.get('/connexion');
      for (let i = 0; i < FAILURES_BEFORE_LOCK; i++) {
        const res = await c.post('/connexion', { email: 'verrou@exemple.gouv.fr', password: `faux-mot-de-passe-${i}` });
        assert.equal(res.statusCode, 400);
      }
      const { rows } = await t.db.query(
        `SELECT failed_logins, locked_until > now() + interval '50 seconds' AS locked FROM users WHERE email = 'verrou@exemple.gouv.fr'`,
      );
      assert.equal(rows[0].failed_logins, FAILURES_BEFORE_LOCK);
      assert.equal(rows[0].locked, true);
      const right = await c.post('/connexion', { email: 'verrou@exemple.gouv.fr', password: TEST_PASSWORD });
      assert.equal(right.statusCode, 400);
      assert.ok(right.body.includes(failure));
      const audit = await t.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'user.lock'`);
      assert.equal(audit.rows[0].n, 1);
      // Once the lock has passed, the right password works and the counter is reset.
      await t.db.query(`UPDATE users SET locked_until = now() - interval '1 second' WHERE email = 'verrou@exemple.gouv.fr'`);
      const later = await c.post('/connexion', { email: 'verrou@exemple.gouv.fr', password: TEST_PASSWORD });
      assert.equal(later.statusCode, 303);
      const after = await t.db.query(`SELECT failed_logins, locked_until FROM users WHERE email = 'verrou@exemple.gouv.fr'`);
      assert.equal(after.rows[0].failed_logins, 0);
      assert.equal(after.rows[0].locked_until, null);
    });

    /** Seconds of lock left on the account (0 when not locked). */
    const lockSecondsLeft = async (email: string) =>
      Number(
        (
          await t.db.query(
            `SELECT coalesce(greatest(extract(epoch FROM locked_until - now()), 0), 0)::float AS s FROM users WHERE lower(email) = $1`,
            [email],
          )
        ).rows[0].s,
      );
    /** As if `interval` had passed: the last failure and the lock move back in time, nothing else changes. */
    const timePasses = (email: string, interval: string) =>
      t.db.query(
        `UPDATE users SET last_failed_login_at = last_failed_login_at - $2::interval, locked_until = locked_until - $2::interval WHERE lower(email) = $1`,
        [email, interval],
      );

    test('sixteen wrong passwords sent at once lock the account on the first rung (1 minute), not for a day', async () => {
      const email = 'rafale@exemple.gouv.fr';
      await createTestUser(t.db, email);
      const locksBefore = (await t.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'user.lock'`)).rows[0].n;
      const clients = await Promise.all(
        Array.from({ length: 16 }, async () => {
          const c = client();
          await c.get('/connexion');
          return c;
        }),
      );
      const answers = await Promise.all(clients.map((c, i) => c.post('/connexion', { email, password: `rafale-fausse-${i}` })));
      assert.deepEqual(
        answers.map((a) => a.statusCode),
        Array(16).fill(400),
      );
      const left = await lockSecondsLeft(email);
      assert.ok(left > 45 && left <= 60, `locked for about one minute, not ${Math.round(left / 60)} minutes`);
      const { rows } = await t.db.query(`SELECT failed_logins FROM users WHERE email = $1`, [email]);
      assert.equal(rows[0].failed_logins, 5, 'failures arriving once the account is locked are not counted');
      assert.equal(
        (await t.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'user.lock'`)).rows[0].n,
        locksBefore + 1,
        'one lock',
      );
    });

    test('each failure after a lock climbs the ladder: 5, 15, then 60 minutes, and no further', async () => {
      const email = 'echelle@exemple.gouv.fr';
      await createTestUser(t.db, email);
      const c = client();
      await c.get('/connexion');
      for (let i = 0; i < 5; i++) await c.post('/connexion', { email, password: `faux-${i}` });
      const seen: number[] = [Math.round((await lockSecondsLeft(email)) / 60)];
      for (let i = 0; i < 4; i++) {
        await timePasses(email, `${Math.ceil(await lockSecondsLeft(email)) + 1} seconds`); // the lock just passed
        assert.equal(await lockSecondsLeft(email), 0);
        await c.post('/connexion', { email, password: `encore-faux-${i}` });
        seen.push(Math.round((await lockSecondsLeft(email)) / 60));
      }
      assert.deepEqual(seen, [1, 5, 15, 60, 60]);
    });

    test('one wrong password a day never locks the account', async () => {
      const email = 'distrait@exemple.gouv.fr';
      await createTestUser(t.db, email);
      const c = client();
      await c.get('/connexion');
      for (let day = 0; day < 10; day++) {
        const res = await c.post('/connexion', { email, password: `faute-du-jour-${day}` });
        assert.equal(res.statusCode, 400);
        assert.equal(await lockSecondsLeft(email), 0, `day ${day + 1}: not locked`);
        const { rows } = await t.db.query(`SELECT failed_logins FROM users WHERE email = $1`, [email]);
        assert.equal(rows[0].failed_logins, 1, `day ${day + 1}: the counter restarted after a quiet day`);
        await timePasses(email, '1 day');
      }
      assert.equal((await c.post('/connexion', { email, password: TEST_PASSWORD })).statusCode, 303);
    });

    test('the lock-out rules are data: the steering team changes them in app_settings', async () => {
      const email = 'regles@exemple.gouv.fr';
      await createTestUser(t.db, email);
      const { rows } = await t.db.query(`SELECT value FROM app_settings WHERE key = 'accounts_lockout'`);
      assert.deepEqual(rows[0].value, { failuresBeforeLock: 5, ladderMinutes: [1, 5, 15, 60], quietMinutes: 60 });
      await t.db.query(
        `UPDATE app_settings SET value = '{"failuresBeforeLock": 2, "ladderMinutes": [3], "quietMinutes": 10}' WHERE key = 'accounts_lockout'`,
      );
      try {
        const c = client();
        await c.get('/connexion');
        await c.post('/connexion', { email, password: 'faux-un' });
        assert.equal(await lockSecondsLeft(email), 0);
        await c.post('/connexion', { email, password: 'faux-deux' });
        const left = await lockSecondsLeft(email);
        assert.ok(left > 150 && left <= 180, `3 minutes, got ${left} s`);
      } finally {
        await t.db.query(`UPDATE app_settings SET value = $1 WHERE key = 'accounts_lockout'`, [JSON.stringify(rows[0].value)]);
      }
    });

    test('a disabled account cannot sign in', async () => {
      const id = await createTestUser(t.db, 'parti@exemple.gouv.fr');
      await t.db.query('UPDATE users SET disabled_at = now() WHERE id = $1', [id]);
      const c = client();
      await c.get('/connexion');
      const res = await c.post('/connexion', { email: 'parti@exemple.gouv.fr', password: TEST_PASSWORD });
      assert.equal(res.statusCode, 400);
      assert.ok(res.body.includes(failure));
    });

    test('login attempts are rate limited per address', async () => {
      const c = client();
      await c.get('/connexion');
      let last = 0;
      for (let i = 0; i <= LOGIN_RATE_LIMIT.max; i++) {
        last = (await c.post('/connexion', { email: 'rate@exemple.gouv.fr', password: 'x' })).statusCode;
      }
      assert.equal(last, 429);
      const other = client();
      await other.get('/connexion');
      assert.equal((await other.post('/connexion', { email: 'rate@exemple.gouv.fr', password: 'x' })).statusCode, 400);
    });

    test('logging out ends the session on the server', async () => {
      const c = await signedInClient(t.app, 'agent@exemple.gouv.fr', TEST_PASSWORD, `10.1.0.${++ip}`);
      const token = c.cookie(SESSION_COOKIE)!;
      const before = await countRows(t.db, 'sessions');
      const res = await c.post('/deconnexion');
      assert.equal(res.statusCode, 303);
      assert.equal(await countRows(t.db, 'sessions'), before - 1);
      const replay = await t.app.inject({ url: '/compte', headers: { cookie: `${SESSION_COOKIE}=${token}` } });
      assert.equal(replay.statusCode, 303);
      assert.match(String(replay.headers.location), /^\/connexion\?retour=%2Fcompte/);
    });
  });

  describe(`login with OIDC and secure cookies configured (${target})`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(target, {
        config: {
          secureCookies: true,
          oidc: { issuer: 'https://oidc.example', clientId: 'x', clientSecret: 'y', label: 'ProConnect', scopes: 'openid' },
        },
      });
      await createTestUser(t.db, 'agent@exemple.gouv.fr');
    });
    after(async () => t.close());

    test('the login page offers the OIDC button and the session cookie is Secure', async () => {
      const c = new TestClient(t.app);
      const page = await c.get('/connexion');
      assert.match(page.body, /href="\/connexion\/oidc">Se connecter avec ProConnect</);
      const res = await c.post('/connexion', { email: 'agent@exemple.gouv.fr', password: TEST_PASSWORD });
      assert.equal(res.statusCode, 303);
      assert.ok(res.cookies.find((k) => k.name === SESSION_COOKIE)!.secure);
    });
  });
}
