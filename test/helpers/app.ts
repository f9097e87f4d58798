import type { FastifyInstance } from 'fastify';
import { loadConfig, type Config } from '../../src/kernel/config.ts';
import { buildServer } from '../../src/kernel/web/server.ts';
import type { AppDeps } from '../../src/kernel/web/deps.ts';
import type { Mailer, MailMessage } from '../../src/kernel/mail/mailer.ts';
import { MODULES } from '../../src/app.ts';
import { openTestDb, type TestDb, type TestTarget } from './db.ts';

export interface TestApp {
  app: FastifyInstance;
  deps: AppDeps;
  db: TestDb;
  /** Mails sent through the test mailer (tests that need real SMTP start an smtp-server instead). */
  mails: MailMessage[];
  close(): Promise<void>;
}

// Benchmarks use these servers too (bin/bench.js, not under the test runner): they measure without the query check.
export function testConfig(overrides: Partial<Config> = {}): Config {
  return loadConfig(
    { VIGIE_DATA_DIR: '.test-cache/data', LOG_LEVEL: 'silent', PUBLIC_URL: 'http://localhost:3000' },
    {
      sessionSecret: 'test-secret-of-enough-length-0123456789',
      seedDemo: false,
      runJobs: false,
      checkQueryReads: process.env.NODE_ENV === 'test',
      ...overrides,
    },
  );
}

/** The real server on a database of its own, reached with `app.inject` (no socket) or `app.listen` for browsers. */
export async function createTestApp(target: TestTarget, options: { config?: Partial<Config>; mailer?: Mailer } = {}): Promise<TestApp> {
  const db = await openTestDb(target);
  const mails: MailMessage[] = [];
  const mailer: Mailer = options.mailer ?? {
    async send(message) {
      mails.push(message);
    },
    async close() {},
  };
  const deps: AppDeps = { config: testConfig(options.config), db, mailer, jobs: null };
  const app = await buildServer(deps, MODULES);
  await app.ready();
  return {
    app,
    deps,
    db,
    mails,
    async close() {
      await app.close();
      await db.destroy();
    },
  };
}
