import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startFixtureServer, type FixtureServer } from '../testing-server.ts';
import { BrowserScanner } from './scanner.ts';
import { declarationPresence, toFindings } from './findings.ts';

describe('browser scanner in a child process (Chromium, axe-core)', () => {
  let f: FixtureServer;
  let scanner: BrowserScanner;
  before(async () => {
    f = await startFixtureServer();
    scanner = new BrowserScanner({ pageTimeoutMs: 4000, restartEvery: 3, allowedRanges: '127.0.0.0/8' });
  });
  after(async () => {
    await scanner.close();
    await f.close();
  });

  test('known axe violations map to RGAA criteria 1.1 and 11.1 « non conforme »; load time and bytes measured', async () => {
    const outcome = await scanner.scan(`${f.url}/a11y`);
    assert.equal(outcome.ok, true, JSON.stringify(outcome).slice(0, 300));
    if (!outcome.ok) return;
    assert.ok(outcome.loadMs !== null && outcome.loadMs >= 0);
    assert.ok(outcome.bytes > 0);
    const findings = toFindings(`${f.url}/a11y`, outcome.violations, outcome.incomplete);
    const nc = findings.filter((x) => x.verdict === 'non-conforme');
    const byRule = new Map(nc.map((x) => [x.ruleId, x]));
    assert.equal(byRule.get('image-alt')?.criterion, '1.1');
    assert.deepEqual(byRule.get('image-alt')?.tests, ['1.1.1']);
    assert.match(byRule.get('image-alt')!.elements[0].html, /<img/);
    assert.equal(byRule.get('label')?.criterion, '11.1');
    assert.ok(findings.every((x) => x.verdict === 'non-conforme' || x.verdict === 'a-verifier'));
    const presence = declarationPresence(outcome.text, outcome.links);
    assert.equal(presence.mention, 'non');
    assert.equal(presence.link, `${f.url}/declaration`);
  });

  test('declaration page: rate and date extracted', async () => {
    const outcome = await scanner.scan(`${f.url}/declaration`);
    assert.equal(outcome.ok, true);
    if (!outcome.ok) return;
    assert.deepEqual(declarationPresence(outcome.text, outcome.links), { mention: null, link: null, rate: 75.5, date: '2026-03-03' });
  });

  test('hostile pages: alert() dismissed, infinite loop, 100 MB body, endless redirects, download: reported, nothing hangs', async () => {
    const started = Date.now();
    const alert = await scanner.scan(`${f.url}/alert`);
    assert.ok(alert.notes.includes('dialog:alert'), JSON.stringify(alert).slice(0, 300));
    const loop = await scanner.scan(`${f.url}/infinite`);
    assert.equal(loop.ok, false);
    if (!loop.ok) assert.match(loop.error, /timeout|killed/);
    const huge = await scanner.scan(`${f.url}/huge`);
    assert.equal(huge.ok, false);
    if (!huge.ok) assert.equal(huge.error, 'too-large');
    const redirects = await scanner.scan(`${f.url}/loop`);
    assert.equal(redirects.ok, false);
    if (!redirects.ok) assert.equal(redirects.error, 'redirects');
    const download = await scanner.scan(`${f.url}/download`);
    assert.equal(download.ok, false);
    // And the scanner still works afterwards (restarted browser every 3 pages).
    const after = await scanner.scan(`${f.url}/ok`);
    assert.equal(after.ok, true);
    assert.ok(Date.now() - started < 60_000, `${Date.now() - started} ms`);
  });

  test('the forgery guard applies to the browser too', async () => {
    const strict = new BrowserScanner({ pageTimeoutMs: 4000, allowedRanges: '' });
    try {
      const outcome = await strict.scan(`${f.url}/ok`);
      assert.equal(outcome.ok, false);
      assert.ok(
        outcome.notes.some((n) => n.startsWith('blocked:')),
        JSON.stringify(outcome),
      );
    } finally {
      await strict.close();
    }
  });
});
