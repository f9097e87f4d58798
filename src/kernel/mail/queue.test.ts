import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS, openTestDb, type TestDb } from '../../../test/helpers/db.ts';
import type { Jobs } from '../jobs/jobs.ts';
import { eventually, jobsForTest } from '../jobs/fixtures/jobs-for-test.ts';
import type { Mailer, MailMessage } from './mailer.ts';
import { queueMail, registerMailWorker } from './queue.ts';
import { outboxMailer } from './smtp.ts';

/** A mailer whose first `failures` deliveries fail, as an SMTP server briefly down would. */
function flakyMailer(failures: number): Mailer & { delivered: MailMessage[]; attempts: number } {
  const mailer = {
    delivered: [] as MailMessage[],
    attempts: 0,
    async send(message: MailMessage) {
      mailer.attempts++;
      if (mailer.attempts <= failures) throw new Error('SMTP indisponible');
      mailer.delivered.push(message);
    },
    async close() {},
  };
  return mailer;
}

const message: MailMessage = { to: 'agent@exemple.gouv.fr', subject: 'Invitation sur Vigie', text: 'Bonjour', html: '<p>Bonjour</p>' };

test('without jobs, a mail is sent at once through the mailer', async () => {
  const mailer = flakyMailer(0);
  await queueMail({ jobs: null, mailer }, message);
  assert.deepEqual(mailer.delivered, [message]);
});

for (const target of TEST_TARGETS) {
  describe(`mail queue (${target})`, () => {
    let db: TestDb;
    let jobs: Jobs;
    let drop: () => Promise<void>;
    const mailer = flakyMailer(1);
    before(async () => {
      db = await openTestDb(target);
      ({ jobs, drop } = await jobsForTest(db));
      await registerMailWorker({ jobs, mailer });
    });
    after(async () => {
      await drop();
      await db.destroy();
    });

    test('without jobs, a mail queued inside a transaction goes to the outbox with it: kept on commit, gone on rollback', async () => {
      const outbox = outboxMailer(db, () => {});
      const count = async () =>
        Number((await db.query('SELECT count(*) AS n FROM mail_outbox WHERE subject = $1', [message.subject])).rows[0].n);
      const before = await count();
      // On PGlite (one connection) a mail written outside the open transaction would wait for it for ever.
      await db.transaction(async (tx) => {
        await queueMail({ jobs: null, mailer: outbox }, message, { tx });
      });
      assert.equal(await count(), before + 1);
      await assert.rejects(
        db.transaction(async (tx) => {
          await queueMail({ jobs: null, mailer: outbox }, message, { tx });
          throw new Error('annulé');
        }),
        /annulé/,
      );
      assert.equal(await count(), before + 1, 'the rolled back transaction left no mail');
    });

    test('a queued mail is delivered by the worker, retried when the mail server fails', async () => {
      await queueMail({ jobs, mailer }, message, { retry: { retryLimit: 2, retryDelay: 0, retryBackoff: false } });
      assert.equal(mailer.delivered.length, 0, 'queueMail returns before delivery');
      await eventually(async () => (mailer.delivered.length > 0 ? true : undefined), 'the mail to be delivered');
      assert.equal(mailer.attempts, 2);
      assert.deepEqual(mailer.delivered, [message]);
    });
  });
}
