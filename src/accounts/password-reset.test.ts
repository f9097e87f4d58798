import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS } from '../../test/helpers/db.ts';
import { createTestApp, type TestApp } from '../../test/helpers/app.ts';
import { TestClient } from '../../test/helpers/client.ts';
import { smtpMailer } from '../kernel/mail/smtp.ts';
import { SESSION_COOKIE } from '../kernel/auth/session.ts';
import { countRows } from './testing.ts';
import { createTestUser, signedInClient, TEST_PASSWORD } from '../../test/helpers/users.ts';
import { decodeQuotedPrintable, startSmtp, mailsReceived } from './testing-smtp.ts';

const resetLink = (text: string) => /http:\/\/localhost:3000(\/reinitialisation-mot-de-passe\?jeton=[A-Za-z0-9_-]+)/.exec(text)?.[1];
const verifyLink = (text: string) => /http:\/\/localhost:3000(\/verification-adresse\?jeton=[A-Za-z0-9_-]+)/.exec(text)?.[1];
const tokenOf = (link: string) => new URL(link, 'http://x').searchParams.get('jeton')!;

for (const target of TEST_TARGETS) {
  describe(`password reset through a real SMTP server (${target})`, () => {
    let t: TestApp;
    let smtp: Awaited<ReturnType<typeof startSmtp>>;
    let ip = 0;
    const client = () => new TestClient(t.app, { remoteAddress: `10.3.0.${++ip}` });
    before(async () => {
      smtp = await startSmtp();
      t = await createTestApp(target, { mailer: smtpMailer(`smtp://127.0.0.1:${smtp.port}`, 'Vigie <ne-pas-repondre@vigie.localhost>') });
      await createTestUser(t.db, 'oubli@exemple.gouv.fr');
    });
    after(async () => {
      await t.close();
      await smtp.close();
    });

    test('the same answer for known and unknown addresses; only the known one gets a mail', async () => {
      const c = client();
      await c.get('/mot-de-passe-oublie');
      const unknown = await c.post('/mot-de-passe-oublie', { email: 'inconnu@exemple.gouv.fr' });
      const known = await c.post('/mot-de-passe-oublie', { email: 'oubli@exemple.gouv.fr' });
      assert.equal(unknown.statusCode, 200);
      assert.equal(known.statusCode, 200);
      const strip = (body: string) => body.replace(/name="_csrf" value="[^"]+"/g, '');
      assert.equal(strip(unknown.body), strip(known.body));
      await mailsReceived(smtp, 1);
      await c.post('/mot-de-passe-oublie', { email: 'inconnu@exemple.gouv.fr' });
      await c.post('/mot-de-passe-oublie', { email: 'oubli@exemple.gouv.fr' });
      await mailsReceived(smtp, 2);
      assert.equal(smtp.received.length, 2);
      assert.deepEqual(
        smtp.received.map((m) => m.to),
        [['oubli@exemple.gouv.fr'], ['oubli@exemple.gouv.fr']],
      );
      assert.match(smtp.received[0].raw, /Subject: =\?UTF-8\?|Subject: R/);
    });

    test('the link sets a new password once, closes the sessions and clears the lock', async () => {
      const signedIn = await signedInClient(t.app, 'oubli@exemple.gouv.fr', TEST_PASSWORD, `10.3.1.${++ip}`);
      await t.db.query(
        `UPDATE users SET failed_logins = 9, locked_until = now() + interval '1 hour' WHERE email = 'oubli@exemple.gouv.fr'`,
      );
      const c = client();
      await c.get('/mot-de-passe-oublie');
      const sent = smtp.received.length;
      await c.post('/mot-de-passe-oublie', { email: 'oubli@exemple.gouv.fr' });
      await mailsReceived(smtp, sent + 1);
      const link = resetLink(decodeQuotedPrintable(smtp.received.at(-1)!.raw))!;
      assert.ok(link, 'the mail carries the link');
      const { rows } = await t.db.query(`SELECT token_hash FROM account_tokens WHERE purpose = 'password_reset' ORDER BY id DESC LIMIT 1`);
      assert.notEqual(rows[0].token_hash, tokenOf(link), 'tokens are stored hashed');

      const form = await c.get(link);
      assert.equal(form.statusCode, 200);
      const short = await c.post('/reinitialisation-mot-de-passe', {
        jeton: tokenOf(link),
        password: 'trop-court',
        password_confirmation: 'trop-court',
      });
      assert.equal(short.statusCode, 400);
      assert.match(short.body, /au moins 12 caractères/);
      const ok = await c.post('/reinitialisation-mot-de-passe', {
        jeton: tokenOf(link),
        password: 'nouvelle-phrase-secrete',
        password_confirmation: 'nouvelle-phrase-secrete',
      });
      assert.equal(ok.statusCode, 303);
      assert.equal(ok.headers.location, '/connexion?ok=mot-de-passe-reinitialise');

      assert.equal((await signedIn.get('/compte')).statusCode, 303, 'old sessions are closed');
      const reuse = await c.post('/reinitialisation-mot-de-passe', {
        jeton: tokenOf(link),
        password: 'encore-une-phrase-x',
        password_confirmation: 'encore-une-phrase-x',
      });
      assert.equal(reuse.statusCode, 404, 'single use');
      await c.get('/connexion');
      assert.equal((await c.post('/connexion', { email: 'oubli@exemple.gouv.fr', password: 'nouvelle-phrase-secrete' })).statusCode, 303);
      assert.equal((await t.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'user.reset_password'`)).rows[0].n, 1);
    });

    test('a link older than one hour is refused', async () => {
      const c = client();
      await c.get('/mot-de-passe-oublie');
      const sent = smtp.received.length;
      await c.post('/mot-de-passe-oublie', { email: 'oubli@exemple.gouv.fr' });
      await mailsReceived(smtp, sent + 1);
      const link = resetLink(decodeQuotedPrintable(smtp.received.at(-1)!.raw))!;
      const { rows } = await t.db.query(
        `SELECT expires_at - created_at <= interval '1 hour' AS ok FROM account_tokens ORDER BY id DESC LIMIT 1`,
      );
      assert.equal(rows[0].ok, true);
      await t.db.query(`UPDATE account_tokens SET expires_at = now() - interval '1 second'`);
      assert.equal((await c.get(link)).statusCode, 404);
      const post = await c.post('/reinitialisation-mot-de-passe', {
        jeton: tokenOf(link),
        password: 'nouvelle-phrase-tardive',
        password_confirmation: 'nouvelle-phrase-tardive',
      });
      assert.equal(post.statusCode, 404);
    });

    test('a malformed address is refused next to the field without mail', async () => {
      const c = client();
      await c.get('/mot-de-passe-oublie');
      const before = smtp.received.length;
      const res = await c.post('/mot-de-passe-oublie', { email: '<b>pas une adresse</b>' });
      assert.equal(res.statusCode, 400);
      assert.match(res.body, /id="champ-email-erreur"/);
      assert.match(res.body, /&lt;b&gt;pas une adresse&lt;\/b&gt;/);
      assert.equal(smtp.received.length, before);
    });
  });

  describe(`e-mail verification (${target})`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(target);
      const id = await createTestUser(t.db, 'cli@exemple.gouv.fr', [{ role: 'admin' }]);
      await t.db.query('UPDATE users SET email_verified_at = NULL WHERE id = $1', [id]);
      await createTestUser(t.db, 'pris@exemple.gouv.fr');
    });
    after(async () => t.close());

    test('an unverified account asks for the link and confirms its address', async () => {
      const c = await signedInClient(t.app, 'cli@exemple.gouv.fr');
      const page = await c.get('/compte');
      assert.match(page.body, /Adresse électronique non vérifiée/);
      assert.equal((await c.post('/compte/verification')).statusCode, 303);
      const link = verifyLink(t.mails.at(-1)!.text)!;
      assert.ok(link);
      const confirm = await c.get(link);
      assert.equal(confirm.statusCode, 200, 'opening the link does not spend it');
      const res = await c.post('/verification-adresse', { jeton: tokenOf(link) });
      assert.equal(res.statusCode, 303);
      assert.doesNotMatch((await c.get('/compte')).body, /Adresse électronique non vérifiée/);
      assert.equal((await c.post('/verification-adresse', { jeton: tokenOf(link) })).statusCode, 404);
    });

    test('changing the address needs a new verification; an address of another account is refused', async () => {
      const c = await signedInClient(t.app, 'cli@exemple.gouv.fr');
      await c.get('/compte');
      const before = await countRows(t.db, 'audit_log');
      const taken = await c.post('/compte/profil', { display_name: 'X', email: 'PRIS@exemple.gouv.fr' });
      assert.equal(taken.statusCode, 400);
      assert.match(taken.body, /déjà celle d’un autre compte/);
      assert.equal(await countRows(t.db, 'audit_log'), before);
      const moved = await c.post('/compte/profil', {
        display_name: '<script>alert(1)</script>',
        email: 'nouvelle-adresse@exemple.gouv.fr',
      });
      assert.equal(moved.statusCode, 303);
      const mail = t.mails.at(-1)!;
      assert.equal(mail.to, 'nouvelle-adresse@exemple.gouv.fr');
      const page = await c.get('/compte');
      assert.match(page.body, /Adresse électronique non vérifiée/);
      assert.match(page.body, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
      assert.doesNotMatch(page.body, /<script>alert/);
      // A link sent for the old address no longer applies once the address changed.
      await c.post('/compte/profil', { display_name: 'X', email: 'troisieme@exemple.gouv.fr' });
      await c.get(verifyLink(mail.text)!);
      assert.equal((await c.post('/verification-adresse', { jeton: tokenOf(verifyLink(mail.text)!) })).statusCode, 404);
    });

    test('profile input is validated', async () => {
      const c = await signedInClient(t.app, 'pris@exemple.gouv.fr');
      await c.get('/compte');
      const res = await c.post('/compte/profil', { display_name: 'x'.repeat(101), email: 'pris@exemple.gouv.fr' });
      assert.equal(res.statusCode, 400);
      assert.match(res.body, /au plus 100 caractères/);
    });

    test('changing the password needs the current one and closes the other sessions', async () => {
      const other = await signedInClient(t.app, 'pris@exemple.gouv.fr', TEST_PASSWORD, '10.4.0.1');
      const c = await signedInClient(t.app, 'pris@exemple.gouv.fr', TEST_PASSWORD, '10.4.0.2');
      await c.get('/compte');
      const wrong = await c.post('/compte/mot-de-passe', {
        current_password: 'pas-le-bon-mot',
        password: 'nouvelle-phrase-123',
        password_confirmation: 'nouvelle-phrase-123',
      });
      assert.equal(wrong.statusCode, 400);
      assert.match(wrong.body, /Le mot de passe actuel est incorrect/);
      const ok = await c.post('/compte/mot-de-passe', {
        current_password: TEST_PASSWORD,
        password: 'nouvelle-phrase-123',
        password_confirmation: 'nouvelle-phrase-123',
      });
      assert.equal(ok.statusCode, 303);
      assert.equal((await c.get('/compte')).statusCode, 200);
      assert.equal((await other.get('/compte')).statusCode, 303);
      const { rows } = await t.db.query(`SELECT password_hash FROM users WHERE email = 'pris@exemple.gouv.fr'`);
      assert.match(rows[0].password_hash, /^\$argon2id\$/);
    });

    test('« se déconnecter de tous les appareils » closes every session of the user', async () => {
      await createTestUser(t.db, 'partout@exemple.gouv.fr');
      const a = await signedInClient(t.app, 'partout@exemple.gouv.fr', TEST_PASSWORD, '10.4.1.1');
      const b = await signedInClient(t.app, 'partout@exemple.gouv.fr', TEST_PASSWORD, '10.4.1.2');
      const page = await a.get('/compte');
      assert.match(page.body, /Cette session/);
      assert.match(page.body, /action="\/compte\/sessions\/\d+\/revoquer"/);
      const res = await a.post('/compte/sessions/fermer');
      assert.equal(res.statusCode, 303);
      assert.equal(a.cookie(SESSION_COOKIE), undefined);
      assert.equal((await b.get('/compte')).statusCode, 303);
    });
  });
}
