import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAllowedRanges } from './ssrf.ts';
import { probe } from './probe.ts';
import { startFixtureServer, type FixtureServer } from './testing-server.ts';

const allowed = parseAllowedRanges('127.0.0.0/8');

describe('probe against the fixture server', () => {
  let f: FixtureServer;
  before(async () => {
    f = await startFixtureServer();
  });
  after(() => f.close());

  test('a page up: status, phases, bytes, expected text', async () => {
    const r = await probe(`${f.url}/ok`, { allowed, expectedText: 'Accessibilité : partiellement conforme' });
    assert.equal(r.ok, true);
    assert.equal(r.status, 200);
    assert.equal(r.errorClass, null);
    assert.ok(r.bytes > 100);
    assert.ok(r.phases.connect >= 0 && r.phases.firstByte > 0 && r.phases.total >= r.phases.firstByte);
    assert.equal(r.phases.tls, 0);
  });

  test('error classes: 5xx, 4xx, text missing, timeout, refused, dns', async () => {
    assert.equal((await probe(`${f.url}/500`, { allowed })).errorClass, '5xx');
    assert.equal((await probe(`${f.url}/404`, { allowed })).errorClass, '4xx');
    assert.equal((await probe(`${f.url}/ok`, { allowed, expectedText: 'absent de la page' })).errorClass, 'text-missing');
    const slow = await probe(`${f.url}/slow?ms=3000`, { allowed, timeoutMs: 300 });
    assert.equal(slow.errorClass, 'timeout');
    assert.ok(slow.phases.total < 1500, `total ${slow.phases.total}`);
    assert.equal((await probe('http://127.0.0.1:1/', { allowed })).errorClass, 'refused');
    const dns = await probe('http://nowhere.invalid/', {
      resolver: async () => Promise.reject(Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' })),
    });
    assert.equal(dns.errorClass, 'dns');
  });

  test('redirects followed and recorded; endless redirects stop; a redirect to the metadata address is refused', async () => {
    const r = await probe(`${f.url}/redirect`, { allowed });
    assert.equal(r.ok, true);
    assert.deepEqual(r.redirects, [`${f.url}/ok`]);
    const loop = await probe(`${f.url}/loop`, { allowed, maxRedirects: 5 });
    assert.equal(loop.errorClass, 'redirects');
    assert.equal(loop.redirects.length, 5);
    assert.equal((await probe(`${f.url}/to-metadata`, { allowed })).errorClass, 'forbidden');
  });

  test('a 100 MB body is not downloaded', async () => {
    const r = await probe(`${f.url}/huge`, { allowed, maxBytes: 1_000_000 });
    assert.equal(r.ok, true);
    assert.ok(r.bytes < 5_000_000, `${r.bytes} bytes read`);
  });

  test('expired self-signed certificate: TLS error, expiry date recorded in the past', async () => {
    const r = await probe(`${f.expiredTlsUrl}/ok`, { allowed });
    assert.equal(r.errorClass, 'tls');
    assert.ok(r.certExpiresAt, 'expiry recorded');
    assert.ok(r.certExpiresAt!.getTime() < Date.now());
    assert.ok(r.phases.tls > 0);
  });
});
