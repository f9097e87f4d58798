import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { TEST_TARGETS, openTestDb, type TestDb } from '../../test/helpers/db.ts';
import { testConfig } from '../../test/helpers/app.ts';
import { TestClient } from '../../test/helpers/client.ts';
import { buildServer } from '../kernel/web/server.ts';
import { MODULES } from '../app.ts';
import type { Db } from '../kernel/db/db.ts';
import type { Jobs } from '../kernel/jobs/jobs.ts';
import type { MailMessage } from '../kernel/mail/mailer.ts';
import { registerMailWorker } from '../kernel/mail/queue.ts';
import { eventually, jobsForTest } from '../kernel/jobs/fixtures/jobs-for-test.ts';
import { createTestUser } from '../../test/helpers/users.ts';
import { PASSWORD_RESET_QUEUE } from './password-reset-request.ts';

const strip = (body: string) => body.replace(/name="_csrf" value="[^"]+"/g, '');
const recordingMailer = (into: MailMessage[]) => ({
  async send(message: MailMessage) {
    into.push(message);
  },
  async close() {},
});

/** The database as the app sees it, with every statement it sends recorded (the test's own queries go to `db`). */
function recorded(db: Db, log: string[]): Db {
  return new Proxy(db, {
    get(target, prop) {
      if (prop === 'query') return (text: string, ...rest: any[]) => (log.push(text), (target.query as any)(text, ...rest));
      if (prop === 'transaction') return (fn: any) => (log.push('BEGIN'), target.transaction(fn));
      const value = Reflect.get(target, prop);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

for (const target of TEST_TARGETS) {
  describe(`« Mot de passe oublié »: the same work on the request for every address (${target})`, () => {
    let db: TestDb;
    let app: FastifyInstance;
    const statements: string[] = [];
    const queued: { name: string; data: any }[] = [];
    // Jobs that only record what is queued: no worker runs, so what the request does is all there is to see.
    const jobs: Jobs = {
      async send(name, data) {
        queued.push({ name, data });
        return String(queued.length);
      },
      async work() {},
      async schedule() {},
      async stop() {},
    };
    before(async () => {
      db = await openTestDb(target);
      await createTestUser(db, 'connu@exemple.gouv.fr');
      app = await buildServer({ config: testConfig(), db: recorded(db, statements), mailer: recordingMailer([]), jobs }, MODULES);
      await app.ready();
    });
    after(async () => {
      await app.close();
      await db.destroy();
    });

    test('known and unknown addresses: the same answer, one job each, not one database statement', async () => {
      const c = new TestClient(app, { remoteAddress: '10.7.0.1' });
      await c.get('/mot-de-passe-oublie');
      const answers: string[] = [];
      const work: string[][] = [];
      for (const email of ['inconnu@exemple.gouv.fr', 'connu@exemple.gouv.fr', 'CONNU@exemple.gouv.fr']) {
        statements.length = 0;
        const res = await c.post('/mot-de-passe-oublie', { email });
        assert.equal(res.statusCode, 200);
        answers.push(strip(res.body));
        // The route's rate limit counts in the database (shared by every server): the same statement whatever the address.
        work.push(statements.filter((text) => !text.includes('rate_limit_counters')));
      }
      assert.equal(answers[1], answers[0]);
      assert.equal(answers[2], answers[0]);
      assert.deepEqual(work, [[], [], []], 'the request never looks the address up');
      assert.deepEqual(
        queued.filter((j) => j.name === PASSWORD_RESET_QUEUE).map((j) => [j.name, j.data.email]),
        [
          [PASSWORD_RESET_QUEUE, 'inconnu@exemple.gouv.fr'],
          [PASSWORD_RESET_QUEUE, 'connu@exemple.gouv.fr'],
          [PASSWORD_RESET_QUEUE, 'connu@exemple.gouv.fr'],
        ],
      );
    });
  });

  describe(`« Mot de passe oublié » through the job queue (${target})`, () => {
    let db: TestDb;
    let app: FastifyInstance;
    let drop: () => Promise<void>;
    const delivered: MailMessage[] = [];
    before(async () => {
      db = await openTestDb(target);
      await createTestUser(db, 'connu@exemple.gouv.fr');
      let jobs: Jobs;
      ({ jobs, drop } = await jobsForTest(db));
      const mailer = recordingMailer(delivered);
      await registerMailWorker({ jobs, mailer });
      app = await buildServer({ config: testConfig(), db, mailer, jobs }, MODULES);
      await app.ready();
    });
    after(async () => {
      await app.close();
      await drop();
      await db.destroy();
    });

    test('the worker decides: only the known address gets a mail, with a link that works', async () => {
      const c = new TestClient(app, { remoteAddress: '10.7.1.1' });
      await c.get('/mot-de-passe-oublie');
      const unknown = await c.post('/mot-de-passe-oublie', { email: 'inconnu@exemple.gouv.fr' });
      const known = await c.post('/mot-de-passe-oublie', { email: 'connu@exemple.gouv.fr' });
      assert.equal(strip(unknown.body), strip(known.body));
      await eventually(async () => (delivered.length ? true : undefined), 'the reset mail');
      const audits = async () =>
        (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'user.request_password_reset'`)).rows[0].n;
      await eventually(async () => ((await audits()) === 1 ? true : undefined), 'the audit entry');
      await new Promise((resolve) => setTimeout(resolve, 1500));
      assert.deepEqual(
        delivered.map((m) => m.to),
        ['connu@exemple.gouv.fr'],
        'one mail, none for the unknown address',
      );
      assert.equal(await audits(), 1);
      const link = /http:\/\/localhost:3000(\/reinitialisation-mot-de-passe\?jeton=[A-Za-z0-9_-]+)/.exec(delivered[0].text)?.[1];
      assert.ok(link);
      assert.equal((await c.get(link)).statusCode, 200);
    });
  });
}
