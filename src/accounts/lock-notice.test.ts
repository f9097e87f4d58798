import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS, openTestDb, type TestDb } from '../../test/helpers/db.ts';
import { createTestApp, testConfig, type TestApp } from '../../test/helpers/app.ts';
import { TestClient } from '../../test/helpers/client.ts';
import { smtpMailer } from '../kernel/mail/smtp.ts';
import type { MailMessage } from '../kernel/mail/mailer.ts';
import { registerMailWorker } from '../kernel/mail/queue.ts';
import type { Jobs } from '../kernel/jobs/jobs.ts';
import { eventually, jobsForTest } from '../kernel/jobs/fixtures/jobs-for-test.ts';
import { countRows } from './testing.ts';
import { TEST_PASSWORD, createTestUser } from '../../test/helpers/users.ts';
import { decodeQuotedPrintable, startSmtp, mailsReceived } from './testing-smtp.ts';
import { DEFAULT_LOCKOUT_RULES } from './lockout.ts';

const FAILURES_BEFORE_LOCK = DEFAULT_LOCKOUT_RULES.failuresBeforeLock;
import { LOCK_NOTICE_INTERVAL_MINUTES, recordLockNotice } from './lock-notice.ts';

const unlockLink = (text: string) => /http:\/\/localhost:3000(\/deblocage-compte\?jeton=[A-Za-z0-9_-]+)/.exec(text)?.[1];
const resetLink = (text: string) => /http:\/\/localhost:3000(\/reinitialisation-mot-de-passe\?jeton=[A-Za-z0-9_-]+)/.exec(text)?.[1];
const tokenOf = (link: string) => new URL(link, 'http://x').searchParams.get('jeton')!;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const parisTime = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Paris' });

for (const target of TEST_TARGETS) {
  describe(`lock-out notice through a real SMTP server (${target})`, () => {
    let t: TestApp;
    let smtp: Awaited<ReturnType<typeof startSmtp>>;
    let userId: number;
    let ip = 0;
    const client = async () => {
      const c = new TestClient(t.app, { remoteAddress: `10.5.0.${++ip}` });
      await c.get('/connexion');
      return c;
    };
    const auditCount = async (action: string) =>
      (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log WHERE action = $1', [action])).rows[0].n;
    /** Lets the current lock pass without touching the failure counter, as waiting would. */
    const lockPasses = () => t.db.query(`UPDATE users SET locked_until = now() - interval '1 second' WHERE id = $1`, [userId]);

    before(async () => {
      smtp = await startSmtp();
      t = await createTestApp(target, { mailer: smtpMailer(`smtp://127.0.0.1:${smtp.port}`, 'Vigie <ne-pas-repondre@vigie.localhost>') });
      userId = await createTestUser(t.db, 'cible@exemple.gouv.fr');
    });
    after(async () => {
      await t.close();
      await smtp.close();
    });

    test('the lock sends one mail to the owner; an unknown address sends nothing and gets the same answer', async () => {
      const c = await client();
      const strip = (body: string, email: string) => body.replace(/name="_csrf" value="[^"]+"/g, '').replaceAll(email, 'ADRESSE');
      const unknownAnswers: string[] = [];
      for (let i = 0; i < FAILURES_BEFORE_LOCK + 2; i++) {
        const res = await c.post('/connexion', { email: 'inconnu@exemple.gouv.fr', password: `mauvais-mot-de-passe-${i}` });
        assert.equal(res.statusCode, 400);
        unknownAnswers.push(strip(res.body, 'inconnu@exemple.gouv.fr'));
      }
      for (let i = 0; i < FAILURES_BEFORE_LOCK + 2; i++) {
        const res = await c.post('/connexion', { email: 'cible@exemple.gouv.fr', password: `mauvais-mot-de-passe-${i}` });
        assert.equal(res.statusCode, 400);
        assert.equal(
          strip(res.body, 'cible@exemple.gouv.fr'),
          unknownAnswers[i],
          `attempt ${i + 1}: same answer as for an unknown address`,
        );
      }
      await mailsReceived(smtp, 1);
      await pause(300);
      assert.equal(smtp.received.length, 1, 'one mail, none for the unknown address');
      assert.deepEqual(smtp.received[0].to, ['cible@exemple.gouv.fr']);

      const text = decodeQuotedPrintable(smtp.received[0].raw);
      const { rows } = await t.db.query<{ locked_until: Date }>('SELECT locked_until FROM users WHERE id = $1', [userId]);
      assert.ok(
        text.includes(
          `bloquée pendant 1 minute, jusqu’au ${parisTime.format(new Date(rows[0].locked_until)).replace(/^1 /, '1er ')} (heure de Paris)`,
        ),
        text,
      );
      assert.ok(text.includes('Chaque nouvel échec après ce blocage le prolonge : 5 minutes, puis 15 minutes, puis 1 heure.'), text);
      assert.ok(unlockLink(text), 'the mail carries an unlock link');
      assert.match(text, /Si ce n’est pas vous/);
      assert.ok(resetLink(text), 'the mail carries a reset link');
      assert.doesNotMatch(text, /10\.5\.0\.|mauvais-mot-de-passe/, 'nothing about the attempts themselves');
      assert.equal(await auditCount('user.lock_notice'), 1);
    });

    test('further locks within the hour send nothing more; after it, a new lock sends a new notice', async () => {
      const c = await client();
      const tokens = await countRows(t.db, 'account_tokens');
      const locks = await auditCount('user.lock');
      for (let i = 0; i < 3; i++) {
        await lockPasses();
        const res = await c.post('/connexion', { email: 'cible@exemple.gouv.fr', password: `encore-faux-${i}` });
        assert.equal(res.statusCode, 400);
      }
      assert.equal(await auditCount('user.lock'), locks + 3, 'each failure after a lock locks again');
      assert.equal(await auditCount('user.lock_notice'), 1);
      assert.equal(await countRows(t.db, 'account_tokens'), tokens, 'no new link');
      await pause(300);
      assert.equal(smtp.received.length, 1);

      await t.db.query(`UPDATE users SET lock_notice_sent_at = now() - $2 * interval '1 minute' - interval '1 second' WHERE id = $1`, [
        userId,
        LOCK_NOTICE_INTERVAL_MINUTES,
      ]);
      await lockPasses();
      await c.post('/connexion', { email: 'cible@exemple.gouv.fr', password: 'toujours-faux' });
      await mailsReceived(smtp, 2);
      assert.equal(await auditCount('user.lock_notice'), 2);
      const text = decodeQuotedPrintable(smtp.received[1].raw);
      assert.match(text, /bloquée pendant 1 heure, jusqu’au/, "the true duration of this lock (the ladder's last rung)");
      assert.doesNotMatch(text, /le prolonge/, 'no longer rung left to announce');
    });

    test('the link in the notice sets a new password once and lifts the lock', async () => {
      const link = resetLink(decodeQuotedPrintable(smtp.received.at(-1)!.raw))!;
      const c = await client();
      const right = await c.post('/connexion', { email: 'cible@exemple.gouv.fr', password: TEST_PASSWORD });
      assert.equal(right.statusCode, 400, 'still locked');
      assert.equal((await c.get(link)).statusCode, 200);
      const set = await c.post('/reinitialisation-mot-de-passe', {
        jeton: tokenOf(link),
        password: 'phrase-apres-blocage',
        password_confirmation: 'phrase-apres-blocage',
      });
      assert.equal(set.statusCode, 303);
      const again = await c.post('/reinitialisation-mot-de-passe', {
        jeton: tokenOf(link),
        password: 'autre-phrase-encore',
        password_confirmation: 'autre-phrase-encore',
      });
      assert.equal(again.statusCode, 404, 'single use');
      await c.get('/connexion');
      assert.equal((await c.post('/connexion', { email: 'cible@exemple.gouv.fr', password: 'phrase-apres-blocage' })).statusCode, 303);
    });

    test('the unlock link of the notice lifts the lock once; the failure count stays, so the next failure locks again', async () => {
      const link = unlockLink(decodeQuotedPrintable(smtp.received.at(-1)!.raw))!;
      const c = await client();
      for (let i = 0; i < FAILURES_BEFORE_LOCK; i++)
        await c.post('/connexion', { email: 'cible@exemple.gouv.fr', password: `de-nouveau-faux-${i}` });
      assert.equal(
        (await c.post('/connexion', { email: 'cible@exemple.gouv.fr', password: 'phrase-apres-blocage' })).statusCode,
        400,
        'locked',
      );
      const page = await c.get(link);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Débloquer mon compte/);
      assert.equal(
        (await t.db.query<{ locked: boolean }>('SELECT locked_until > now() AS locked FROM users WHERE id = $1', [userId])).rows[0].locked,
        true,
        'opening the link (a mail scanner) spends nothing',
      );
      const done = await c.post('/deblocage-compte', { jeton: tokenOf(link) });
      assert.equal(done.statusCode, 303);
      assert.equal(done.headers.location, '/connexion?ok=compte-debloque');
      assert.equal(await auditCount('user.unlock'), 1);
      assert.equal((await c.post('/deblocage-compte', { jeton: tokenOf(link) })).statusCode, 404, 'single use');
      await c.get('/connexion');
      assert.equal((await c.post('/connexion', { email: 'cible@exemple.gouv.fr', password: 'encore-une-faute' })).statusCode, 400);
      assert.equal(
        (await t.db.query<{ locked: boolean }>('SELECT locked_until > now() AS locked FROM users WHERE id = $1', [userId])).rows[0].locked,
        true,
        'locked again at once',
      );
      await lockPasses();
      await c.get('/connexion');
      assert.equal((await c.post('/connexion', { email: 'cible@exemple.gouv.fr', password: 'phrase-apres-blocage' })).statusCode, 303);
    });
  });

  describe(`lock-out notice through the job queue (${target})`, () => {
    let db: TestDb;
    let jobs: Jobs;
    let drop: () => Promise<void>;
    const delivered: MailMessage[] = [];
    const mailer = {
      async send(message: MailMessage) {
        delivered.push(message);
      },
      async close() {},
    };
    before(async () => {
      db = await openTestDb(target);
      ({ jobs, drop } = await jobsForTest(db));
      await registerMailWorker({ jobs, mailer });
    });
    after(async () => {
      await drop();
      await db.destroy();
    });

    test('the mail is queued with the transaction: none when it rolls back, one when it commits', async () => {
      const deps = { config: testConfig(), jobs, mailer };
      const id = await createTestUser(db, 'file@exemple.gouv.fr');
      await db.query(`UPDATE users SET failed_logins = $2, locked_until = now() + interval '1 minute' WHERE id = $1`, [
        id,
        FAILURES_BEFORE_LOCK,
      ]);
      await assert.rejects(
        db.transaction(async (tx) => {
          assert.equal(await recordLockNotice(tx, deps, id, null, DEFAULT_LOCKOUT_RULES), null, 'queued, nothing left to send');
          throw new Error('rolled back');
        }),
        /rolled back/,
      );
      assert.equal(await db.transaction((tx) => recordLockNotice(tx, deps, id, null, DEFAULT_LOCKOUT_RULES)), null);
      await eventually(async () => (delivered.length ? true : undefined), 'the notice to be delivered');
      assert.equal(await db.transaction((tx) => recordLockNotice(tx, deps, id, null, DEFAULT_LOCKOUT_RULES)), null, 'debounced');
      await pause(1500);
      assert.equal(delivered.length, 1);
      assert.equal(delivered[0].to, 'file@exemple.gouv.fr');
      assert.match(delivered[0].text, /reinitialisation-mot-de-passe\?jeton=/);
      assert.equal(
        (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'user.lock_notice'`)).rows[0].n,
        1,
      );
    });
  });
}
