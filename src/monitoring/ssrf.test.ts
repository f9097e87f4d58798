import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  addressRefusal,
  browserRequestRefusal,
  embeddedIPv4,
  guardedLookup,
  parseAllowedRanges,
  targetUrlRefusal,
  type Resolver,
} from './ssrf.ts';
import { probe } from './probe.ts';

const LOOPBACK_ALLOWED = parseAllowedRanges('127.0.0.0/8');

describe('SSRF guard: addresses', () => {
  test('loopback, private, link-local, metadata and their IPv6 forms are refused', () => {
    for (const address of [
      '127.0.0.1',
      '127.255.0.9',
      '10.0.0.1',
      '172.16.3.4',
      '172.31.255.255',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '255.255.255.255',
      '::1',
      '::',
      'fc00::1',
      'fd12:3456::1',
      'fe80::1',
      'ff02::1',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '::ffff:10.0.0.1',
      '::ffff:169.254.169.254',
      '64:ff9b::a9fe:a9fe',
      '2002:7f00:1::',
    ]) {
      assert.notEqual(addressRefusal(address), null, `${address} must be refused`);
    }
  });

  test('public addresses pass, IPv4-mapped public too', () => {
    for (const address of ['8.8.8.8', '1.1.1.1', '172.32.0.1', '192.169.0.1', '2001:4860:4860::8888', '2a01:e0a::1', '::ffff:8.8.8.8']) {
      assert.equal(addressRefusal(address), null, `${address} must pass`);
    }
  });

  test('embedded IPv4 read from mapped, NAT64 and 6to4 forms', () => {
    assert.equal(embeddedIPv4('::ffff:127.0.0.1'), '127.0.0.1');
    assert.equal(embeddedIPv4('::ffff:7f00:1'), '127.0.0.1');
    assert.equal(embeddedIPv4('64:ff9b::a9fe:a9fe'), '169.254.169.254');
    assert.equal(embeddedIPv4('2002:0a00:0001::1'), '10.0.0.1');
    assert.equal(embeddedIPv4('2001:db8::1'), null);
  });

  test('an allowed range lets its addresses through, and only them', () => {
    assert.equal(addressRefusal('127.0.0.1', LOOPBACK_ALLOWED), null);
    assert.equal(addressRefusal('::ffff:127.0.0.1', LOOPBACK_ALLOWED), null);
    assert.notEqual(addressRefusal('10.0.0.1', LOOPBACK_ALLOWED), null);
    assert.notEqual(addressRefusal('::1', LOOPBACK_ALLOWED), null);
    assert.throws(() => parseAllowedRanges('127.0.0.0/33'), /plage d’adresses invalide/);
    assert.throws(() => parseAllowedRanges('localhost'), /plage d’adresses invalide/);
  });
});

describe('SSRF guard: target URLs at creation', () => {
  const resolverTo =
    (address: string): Resolver =>
    async () => [{ address, family: address.includes(':') ? 6 : 4 }];

  test('literal addresses 127.0.0.1, 10.0.0.1, 169.254.169.254, [::1] are refused', async () => {
    for (const url of [
      'http://127.0.0.1/',
      'http://10.0.0.1/',
      'http://169.254.169.254/latest/meta-data/',
      'http://[::1]:8080/',
      'https://[::ffff:127.0.0.1]/',
    ]) {
      const refusal = await targetUrlRefusal(url);
      assert.match(refusal ?? '', /ne peut pas être surveillée/, url);
    }
  });

  test('a name resolving to loopback is refused (localhost through the system resolver, a custom one)', async () => {
    assert.match((await targetUrlRefusal('http://localhost:3000/')) ?? '', /localhost/);
    assert.match((await targetUrlRefusal('https://rebind.example/', undefined, resolverTo('127.0.0.1'))) ?? '', /127\.0\.0\.1/);
    // One private address among public ones is enough to refuse.
    const mixed: Resolver = async () => [
      { address: '93.184.216.34', family: 4 },
      { address: '10.1.2.3', family: 4 },
    ];
    assert.notEqual(await targetUrlRefusal('https://mixed.example/', undefined, mixed), null);
    assert.equal(await targetUrlRefusal('https://public.example/', undefined, resolverTo('93.184.216.34')), null);
  });

  test('each refusal of a host says why: the literal address, the name and what it designates, a name that does not resolve', async () => {
    assert.equal(
      await targetUrlRefusal('http://10.0.0.1/'),
      'Cette adresse ne peut pas être surveillée (adresse non publique : 10.0.0.1).',
    );
    assert.equal(
      await targetUrlRefusal('https://[::ffff:a9fe:a9fe]/'),
      'Cette adresse ne peut pas être surveillée (adresse non publique : ::ffff:a9fe:a9fe (169.254.169.254)).',
    );
    assert.equal(
      await targetUrlRefusal('https://rebind.example/', undefined, resolverTo('fd12::1')),
      'Cette adresse ne peut pas être surveillée : « rebind.example » désigne adresse non publique : fd12::1.',
    );
    const unknown: Resolver = async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
    };
    assert.equal(
      await targetUrlRefusal('https://inconnu.example/', undefined, unknown),
      'Le nom « inconnu.example » ne se résout pas : vérifiez l’adresse.',
    );
    assert.equal(
      await targetUrlRefusal('https://vide.example/', undefined, async () => []),
      'Le nom « vide.example » ne se résout pas : vérifiez l’adresse.',
    );
    // The allowed range lets a literal and a name through alike.
    assert.equal(await targetUrlRefusal('http://127.0.0.1:8080/', LOOPBACK_ALLOWED), null);
    assert.equal(await targetUrlRefusal('http://local.example/', LOOPBACK_ALLOWED, resolverTo('127.0.0.2')), null);
  });

  test('other schemes, credentials and garbage are refused', async () => {
    assert.match((await targetUrlRefusal('file:///etc/passwd')) ?? '', /http ou https/);
    assert.match((await targetUrlRefusal('gopher://example.org/')) ?? '', /http ou https/);
    assert.match((await targetUrlRefusal('https://user:pw@example.org/')) ?? '', /identifiant/);
    assert.match((await targetUrlRefusal('pas une url')) ?? '', /URL valide/);
  });
});

describe('SSRF guard: what the scanner’s browser asks for', () => {
  const refusal = (url: string, resolver?: Resolver, allowed = parseAllowedRanges('')) =>
    browserRequestRefusal(new URL(url), allowed, resolver ?? (async () => [{ address: '93.184.216.34', family: 4 }]));

  test('data:, blob: and about: stay in the browser; other schemes than http(s) are refused', async () => {
    assert.equal(await refusal('data:text/html,<p>x</p>'), null);
    assert.equal(await refusal('blob:https://exemple.gouv.fr/1f0e'), null);
    assert.equal(await refusal('about:blank'), null);
    assert.equal(await refusal('ftp://exemple.gouv.fr/fichier'), 'protocole refusé : ftp:');
    assert.equal(await refusal('file:///etc/passwd'), 'protocole refusé : file:');
    assert.equal(await refusal('https://exemple.gouv.fr/style.css'), null);
  });

  test('literal private addresses and their IPv6 forms are refused; a name designating one, or not resolving, too', async () => {
    assert.equal(await refusal('http://169.254.169.254/latest/meta-data/'), 'adresse non publique : 169.254.169.254');
    assert.equal(await refusal('http://[::1]:8080/'), 'adresse non publique : ::1');
    assert.equal(await refusal('http://[::ffff:127.0.0.1]/'), 'adresse non publique : ::ffff:7f00:1 (127.0.0.1)');
    assert.equal(await refusal('http://0x7f.1/'), 'adresse non publique : 127.0.0.1', 'the URL parser’s form of the address');
    const mixed: Resolver = async () => [
      { address: '93.184.216.34', family: 4 },
      { address: '10.1.2.3', family: 4 },
    ];
    assert.equal(await refusal('https://cdn.example/a.js', mixed), 'adresse non publique : 10.1.2.3');
    const unknown: Resolver = async () => {
      throw new Error('getaddrinfo ENOTFOUND');
    };
    assert.equal(await refusal('https://inconnu.example/', unknown), 'nom introuvable : inconnu.example');
    assert.equal(await refusal('https://vide.example/', async () => []), 'nom introuvable : vide.example');
    assert.equal(await refusal('http://127.0.0.1:3000/', undefined, LOOPBACK_ALLOWED), null);
  });

  test('each host is resolved once for a page: its answer is kept in the page’s cache', async () => {
    let calls = 0;
    const counting: Resolver = async () =>
      calls++ === 0 ? [{ address: '93.184.216.34', family: 4 }] : [{ address: '127.0.0.1', family: 4 }];
    const cache = new Map<string, string | null>();
    const check = (url: string) => browserRequestRefusal(new URL(url), undefined, counting, cache);
    assert.equal(await check('https://exemple.gouv.fr/'), null);
    assert.equal(await check('https://exemple.gouv.fr/image.png'), null);
    assert.equal(calls, 1);
    // A new page, a new cache: resolved again (now to loopback: refused).
    assert.equal(await browserRequestRefusal(new URL('https://exemple.gouv.fr/'), undefined, counting), 'adresse non publique : 127.0.0.1');
  });
});

describe('SSRF guard: at connection time', () => {
  let server: http.Server;
  let port: number;
  let hits = 0;
  before(async () => {
    server = http.createServer((_req, res) => {
      hits++;
      res.end('secret');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('DNS rebinding: a name public at creation, loopback at connection, is refused before connecting', async () => {
    let calls = 0;
    const rebinding: Resolver = async () =>
      calls++ === 0 ? [{ address: '93.184.216.34', family: 4 }] : [{ address: '127.0.0.1', family: 4 }];
    assert.equal(await targetUrlRefusal(`http://rebind.example:${port}/`, undefined, rebinding), null);
    const result = await probe(`http://rebind.example:${port}/`, { resolver: rebinding });
    assert.equal(result.ok, false);
    assert.equal(result.errorClass, 'forbidden');
    assert.equal(hits, 0, 'no request reached the loopback server');
  });

  test('literal loopback (IPv4, IPv6, localhost) is refused at connection time; the allowed range opens loopback', async () => {
    assert.equal((await probe(`http://127.0.0.1:${port}/`)).errorClass, 'forbidden');
    assert.equal((await probe(`http://localhost:${port}/`)).errorClass, 'forbidden');
    assert.equal((await probe(`http://[::1]:${port}/`)).errorClass, 'forbidden');
    assert.equal(hits, 0);
    const ok = await probe(`http://127.0.0.1:${port}/`, { allowed: LOOPBACK_ALLOWED });
    assert.equal(ok.ok, true);
    assert.equal(hits, 1);
  });

  test('guardedLookup answers like dns.lookup for a public address and refuses a private one', async () => {
    const lookup = guardedLookup(undefined, async () => [{ address: '10.0.0.1', family: 4 }]);
    const error = await new Promise<Error | null>((resolve) => lookup('intranet.example', {}, (e) => resolve(e)));
    assert.match(String(error?.message), /10\.0\.0\.1/);
    const ok = guardedLookup(undefined, async () => [{ address: '93.184.216.34', family: 4 }]);
    const address = await new Promise<string>((resolve) => ok('public.example', { all: false }, (_e, a) => resolve(a as string)));
    assert.equal(address, '93.184.216.34');
  });
});

describe('SSRF guard: the setting', () => {
  test('MONITORING_ALLOWED_RANGES is read and checked at start', async () => {
    const { loadMonitoringSettings } = await import('./settings.ts');
    const settings = loadMonitoringSettings({ MONITORING_ALLOWED_RANGES: '127.0.0.0/8, fd00::/8' });
    assert.equal(addressRefusal('127.0.0.1', settings.allowed), null);
    assert.equal(addressRefusal('fd00::5', settings.allowed), null);
    assert.notEqual(addressRefusal('10.0.0.1', settings.allowed), null);
    assert.notEqual(addressRefusal('127.0.0.1', loadMonitoringSettings({}).allowed), null);
    assert.throws(() => loadMonitoringSettings({ MONITORING_ALLOWED_RANGES: '127.0.0.0/99' }), /MONITORING_ALLOWED_RANGES/);
    assert.throws(() => loadMonitoringSettings({ MONITORING_INCIDENT_OPEN_AFTER: '0' }), /MONITORING_INCIDENT_OPEN_AFTER/);
  });
});
