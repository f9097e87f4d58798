import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { NO_ALLOWED_RANGES, parseAllowedRanges, type Resolver } from '../ssrf.ts';
import { startEgressProxy, type EgressProxy } from './egress-proxy.ts';

/** A GET of an absolute http URL through the proxy (as Chromium sends plain http to a proxy). */
function getThrough(proxy: EgressProxy, url: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(proxy.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port: Number(port), path: url, headers: { host: new URL(url).host } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens a CONNECT tunnel (as Chromium does for https) and, when it is granted, sends a plain GET through it. */
function tunnel(proxy: EgressProxy, authority: string): Promise<{ answer: string; body: string }> {
  const { hostname, port } = new URL(proxy.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let text = '';
    let granted = false;
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(`CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n\r\n`));
    socket.on('data', (chunk: string) => {
      text += chunk;
      if (!granted && text.includes('\r\n\r\n')) {
        const answer = text.split('\r\n')[0]!;
        if (!answer.includes(' 200 ')) {
          socket.destroy();
          return resolve({ answer, body: '' });
        }
        granted = true;
        text = '';
        socket.write(`GET / HTTP/1.1\r\nHost: ${authority}\r\nConnection: close\r\n\r\n`);
      }
    });
    socket.on('end', () =>
      resolve({ answer: 'HTTP/1.1 200 Connection Established', body: text.split('\r\n\r\n').slice(1).join('\r\n\r\n') }),
    );
    socket.on('error', reject);
  });
}

describe('the scanner browser’s egress proxy (every connection checked when it is made)', () => {
  let fixture: Server;
  let fixturePort: number;
  let reached = 0;

  before(async () => {
    fixture = createServer((_req, res) => {
      reached++;
      res.end('page interne');
    });
    await new Promise<void>((resolve) => fixture.listen(0, '127.0.0.1', resolve));
    fixturePort = (fixture.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((resolve) => fixture.close(() => resolve())));

  test('a name that now designates a private address is refused at the connection, though an earlier check saw it public (DNS rebinding)', async () => {
    // The first answer is public (what the scanner's own check saw), every later one is loopback.
    let calls = 0;
    const rebinding: Resolver = async () =>
      calls++ === 0 ? [{ address: '93.184.216.34', family: 4 }] : [{ address: '127.0.0.1', family: 4 }];
    const refusals: string[] = [];
    const proxy = await startEgressProxy(NO_ALLOWED_RANGES, (reason) => refusals.push(reason), rebinding);
    try {
      assert.deepEqual(await rebinding('rebind.example'), [{ address: '93.184.216.34', family: 4 }]);
      const before = reached;
      const plain = await getThrough(proxy, `http://rebind.example:${fixturePort}/`);
      assert.equal(plain.status, 403);
      const secure = await tunnel(proxy, `rebind.example:${fixturePort}`);
      assert.match(secure.answer, / 403 /);
      assert.equal(reached, before, 'the internal server was never reached');
      assert.equal(refusals.length, 2);
      assert.match(refusals[0]!, /« rebind\.example » désigne adresse non publique : 127\.0\.0\.1/);
    } finally {
      await proxy.close();
    }
  });

  test('address literals are checked too: loopback, private and the metadata address are refused', async () => {
    const refusals: string[] = [];
    const proxy = await startEgressProxy(NO_ALLOWED_RANGES, (reason) => refusals.push(reason));
    try {
      assert.equal((await getThrough(proxy, `http://127.0.0.1:${fixturePort}/`)).status, 403);
      assert.equal((await getThrough(proxy, 'http://169.254.169.254/latest/meta-data/')).status, 403);
      assert.match((await tunnel(proxy, '10.0.0.1:443')).answer, / 403 /);
      assert.match((await tunnel(proxy, '[::1]:443')).answer, / 403 /);
      assert.equal(refusals.length, 4);
    } finally {
      await proxy.close();
    }
  });

  test('an allowed address is reached through both ways, with the page unchanged', async () => {
    const resolver: Resolver = async () => [{ address: '127.0.0.1', family: 4 }];
    const proxy = await startEgressProxy(parseAllowedRanges('127.0.0.0/8'), () => {}, resolver);
    try {
      assert.deepEqual(await getThrough(proxy, `http://fixture.example:${fixturePort}/`), { status: 200, body: 'page interne' });
      const secure = await tunnel(proxy, `fixture.example:${fixturePort}`);
      assert.match(secure.answer, / 200 /);
      assert.equal(secure.body, 'page interne');
    } finally {
      await proxy.close();
    }
  });
});
