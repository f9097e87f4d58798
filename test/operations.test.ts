/**
 * Headers and operations (issue 10): /metrics is not public, answers made for a user are never cached, /readyz says
 * « not ready » when the database cannot be reached (against a PostgreSQL this test starts and stops itself).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TEST_TARGETS } from './helpers/db.ts';
import { createTestApp, testConfig, type TestApp } from './helpers/app.ts';
import { createTestUser, sessionClient } from './helpers/users.ts';
import { createApiKey } from '../src/kernel/auth/api-keys.ts';
import { buildServer } from '../src/kernel/web/server.ts';
import { openPostgres } from '../src/kernel/db/postgres.ts';

const OUTSIDE = '203.0.113.7';

for (const target of TEST_TARGETS) {
  describe(`/metrics and Cache-Control (${target})`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(target, { config: { metricsToken: 'jeton-des-mesures-0123456789' } });
    });
    after(() => t.close());

    test('/metrics answers a scrape from this machine, not one from elsewhere without the token', async () => {
      const local = await t.app.inject({ url: '/metrics', remoteAddress: '127.0.0.1' });
      assert.equal(local.statusCode, 200);
      assert.match(local.body, /process_cpu_user_seconds_total/);
      const outside = await t.app.inject({ url: '/metrics', remoteAddress: OUTSIDE });
      assert.equal(outside.statusCode, 401);
      assert.doesNotMatch(outside.body, /process_cpu/);
      const wrong = await t.app.inject({ url: '/metrics', remoteAddress: OUTSIDE, headers: { authorization: 'Bearer pas-le-bon' } });
      assert.equal(wrong.statusCode, 401);
      const withToken = await t.app.inject({
        url: '/metrics',
        remoteAddress: OUTSIDE,
        headers: { authorization: 'Bearer jeton-des-mesures-0123456789' },
      });
      assert.equal(withToken.statusCode, 200);
      assert.match(withToken.body, /vigie_http_request_duration_seconds/);
    });

    test('a request forwarded by a proxy on this machine is not « from this machine »', async () => {
      const proxied = await t.app.inject({ url: '/metrics', remoteAddress: '127.0.0.1', headers: { 'x-forwarded-for': OUTSIDE } });
      assert.equal(proxied.statusCode, 401);
    });

    test('without METRICS_TOKEN, /metrics is loopback only', async () => {
      const app = await buildServer({ ...t.deps, config: testConfig() }, []);
      try {
        assert.equal((await app.inject({ url: '/metrics', remoteAddress: OUTSIDE })).statusCode, 403);
        assert.equal((await app.inject({ url: '/metrics', remoteAddress: '::1' })).statusCode, 200);
      } finally {
        await app.close();
      }
    });

    test('everything answered behind a session or an API key carries Cache-Control: no-store', async () => {
      const userId = await createTestUser(t.db, undefined, [{ role: 'admin' }]);
      const client = await sessionClient(t.app, t.db, userId);
      for (const url of ['/', '/observatoire', '/api/v1/editions', '/api/v1/indicators', '/compte', '/nulle-part']) {
        const res = await client.get(url);
        assert.ok(res.statusCode < 500, `${url}: ${res.statusCode}`);
        assert.equal(res.headers['cache-control'], 'no-store', url);
      }
      const { key } = await createApiKey(t.db, userId, 'essai cache');
      for (const url of ['/api/v1/feedback/procedures', '/api/v1/editions', '/api/v1/indicators']) {
        const res = await t.app.inject({ url, headers: { authorization: `Bearer ${key}` } });
        assert.equal(res.statusCode, 200, url);
        assert.equal(res.headers['cache-control'], 'no-store', url);
      }
      // A wrong key is answered without being cached either.
      const refused = await t.app.inject({ url: '/api/v1/feedback/procedures', headers: { authorization: 'Bearer vigie_inconnue' } });
      assert.equal(refused.statusCode, 401);
      assert.equal(refused.headers['cache-control'], 'no-store');
    });

    test('anonymous public answers and static files keep their cache headers', async () => {
      const api = await t.app.inject({ url: '/api/v1/indicators' });
      assert.match(String(api.headers['cache-control']), /public, max-age=/);
      const userId = await createTestUser(t.db);
      const client = await sessionClient(t.app, t.db, userId);
      const css = await client.get('/assets/dsfr/dsfr.min.css');
      assert.match(String(css.headers['cache-control']), /max-age=/);
    });
  });
}

/** The PostgreSQL binaries of this machine (Debian's layout), or null. */
function postgresBin(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  for (const version of readdirSync(root).sort().reverse()) {
    const bin = path.join(root, version, 'bin');
    if (existsSync(path.join(bin, 'initdb')) && existsSync(path.join(bin, 'pg_ctl'))) return bin;
  }
  return null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

/** A PostgreSQL of this test's own in a temporary folder (initdb refuses root: run as the `postgres` user then). */
class OwnPostgres {
  readonly dir = mkdtempSync(path.join(tmpdir(), 'vigie-readyz-'));
  private readonly asUser: string[];
  constructor(
    private readonly bin: string,
    readonly port: number,
  ) {
    this.asUser = process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--'] : [];
    if (this.asUser.length) {
      const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
      const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
      chownSync(this.dir, uid, gid);
    }
  }
  private run(tool: string, args: string[]): void {
    const [command, ...rest] = [...this.asUser, path.join(this.bin, tool), ...args];
    execFileSync(command, rest, { stdio: 'pipe', timeout: 60_000 });
  }
  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }
  init(): void {
    this.run('initdb', ['-D', path.join(this.dir, 'data'), '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  }
  start(): void {
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c shared_buffers=16MB`;
    this.run('pg_ctl', ['-D', path.join(this.dir, 'data'), '-o', options, '-l', path.join(this.dir, 'log'), '-w', 'start']);
  }
  stop(): void {
    this.run('pg_ctl', ['-D', path.join(this.dir, 'data'), '-m', 'immediate', '-w', 'stop']);
  }
  destroy(): void {
    try {
      this.stop();
    } catch {
      // already stopped
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

describe('/readyz follows the database (a PostgreSQL started and stopped by this test)', () => {
  const bin = postgresBin();
  const skip = bin ? false : 'no PostgreSQL binaries under /usr/lib/postgresql/*/bin (initdb, pg_ctl): install postgresql to run this test';
  let pg: OwnPostgres;
  let app: Awaited<ReturnType<typeof buildServer>>;
  let db: Awaited<ReturnType<typeof openPostgres>>;

  before(async () => {
    if (!bin) return;
    pg = new OwnPostgres(bin, await freePort());
    pg.init();
    pg.start();
    db = await openPostgres(pg.url, { max: 2 });
    app = await buildServer({ config: testConfig(), db, mailer: { async send() {}, async close() {} }, jobs: null }, []);
    await app.ready();
  });
  after(async () => {
    if (!bin) return;
    await app?.close();
    await db?.close().catch(() => {});
    pg.destroy();
  });

  test('ready, then « not ready » (503) within seconds of the server stopping, then ready again once it is back', { skip }, async () => {
    const ready = await app.inject('/readyz');
    assert.equal(ready.statusCode, 200);
    assert.deepEqual(ready.json(), { status: 'ok', database: 'postgres' });

    pg.stop();
    const started = Date.now();
    const down = await app.inject('/readyz');
    assert.equal(down.statusCode, 503);
    assert.deepEqual(down.json(), { status: 'unavailable', database: 'postgres' });
    assert.ok(Date.now() - started < 5000, `answered in ${Date.now() - started} ms`);
    // Liveness is not readiness: the process itself is fine.
    assert.equal((await app.inject('/healthz')).statusCode, 200);

    pg.start();
    let back = await app.inject('/readyz');
    for (let i = 0; i < 20 && back.statusCode !== 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      back = await app.inject('/readyz');
    }
    assert.equal(back.statusCode, 200);
  });
});
