import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { formatViolations, launchChromium, runAxe } from './browser.ts';

let browser: Browser;
before(async () => {
  browser = await launchChromium();
});
after(async () => browser?.close());

test('the axe runner reports WCAG violations with the rule and the offending element', async () => {
  const page = await browser.newPage();
  await page.setContent(
    '<!doctype html><html><head><title>t</title></head><body><main><img src="data:," id="sans-alt"><input type="text" id="sans-label"></main></body></html>',
  );
  const violations = await runAxe(page);
  const ids = violations.map((v) => v.id).sort();
  assert.ok(ids.includes('html-has-lang'), ids.join(', '));
  assert.ok(ids.includes('image-alt'), ids.join(', '));
  assert.ok(ids.includes('label'), ids.join(', '));
  const text = formatViolations('/exemple', violations);
  assert.match(text, /\/exemple — image-alt \(critical\)/);
  assert.match(text, /#sans-alt/);
  await page.close();
});

test('the axe runner finds nothing to report on an accessible page', async () => {
  const page = await browser.newPage();
  await page.setContent(
    '<!doctype html><html lang="fr"><head><title>Essai</title></head><body><main><h1>Essai</h1><img src="data:," alt="Logo"><label for="nom">Nom</label><input type="text" id="nom"></main></body></html>',
  );
  assert.deepEqual(await runAxe(page), []);
  await page.close();
});

test('the axe runner checks the RGAA and WCAG 2.2 rules too: content outside every landmark, small targets', async () => {
  const page = await browser.newPage();
  await page.setContent(
    '<!doctype html><html lang="fr"><head><title>Essai</title></head><body><div><p>Bandeau hors de tout repère</p></div>' +
      '<main><h1>Essai</h1><div><button style="display:block;width:8px;height:8px;padding:0;border:0;overflow:hidden">a</button>' +
      '<button style="display:block;width:8px;height:8px;padding:0;border:0;overflow:hidden">b</button></div></main></body></html>',
  );
  const ids = (await runAxe(page)).map((v) => v.id);
  assert.ok(ids.includes('region'), ids.join(', ')); // RGAA 9.2.1, only with the RGAAv4 tag
  assert.ok(ids.includes('target-size'), ids.join(', ')); // WCAG 2.2 (2.5.8), only with the wcag22aa tag
  await page.close();
});
