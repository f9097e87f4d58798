/**
 * The browser process's driver, run as a child process of Vigie (never in the server's own process): receives pages to
 * measure and scan over IPC, drives Chromium (playwright-core, CHROMIUM_PATH), answers one result per page. The parent
 * (scanner.ts) kills this process group when it does not answer in time; this process restarts Chromium every N pages.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser } from 'playwright-core';
import { browserRequestRefusal, parseAllowedRanges } from '../ssrf.ts';
import { startEgressProxy, type EgressProxy } from './egress-proxy.ts';
import type { AxeRule, ChildRequest, PageOutcome } from './protocol.ts';

interface Measured {
  load: number | null;
  lcp: number | null;
  bytes: number;
  text: string;
  links: { text: string; href: string }[];
}

// Scripts run in the page, as text (the TypeScript loader would add helpers the page does not have).
const MEASURE_SCRIPT = `new Promise((resolve) => {
  const nav = performance.getEntriesByType('navigation')[0];
  let lcp = null;
  try {
    new PerformanceObserver((list) => { const e = list.getEntries(); if (e.length) lcp = e[e.length - 1].startTime; })
      .observe({ type: 'largest-contentful-paint', buffered: true });
  } catch (e) {}
  const resources = performance.getEntriesByType('resource');
  const bytes = (nav ? nav.transferSize || 0 : 0) + resources.reduce((sum, r) => sum + (r.transferSize || 0), 0);
  const links = [...document.querySelectorAll('a[href]')].filter((a) => /accessibilit/i.test(a.textContent || '')).slice(0, 5)
    .map((a) => ({ text: (a.textContent || '').trim().slice(0, 200), href: a.href }));
  setTimeout(() => resolve({ load: nav ? nav.loadEventEnd - nav.startTime : null, lcp, bytes,
    text: ((document.body && document.body.innerText) || '').slice(0, 200000), links }), 50);
})`;

const AXE_SCRIPT = `axe.run(document, { runOnly: { type: 'tag', values: ['RGAAv4'] }, resultTypes: ['violations', 'incomplete'] }).then((r) => {
  const map = (list) => list.map((rule) => ({ id: rule.id, help: rule.help, tags: rule.tags,
    nodes: rule.nodes.slice(0, 20).map((n) => ({ target: (n.target || []).join(' '), html: String(n.html || '').slice(0, 500), message: n.failureSummary || '' })) }));
  return { violations: map(r.violations), incomplete: map(r.incomplete) };
})`;

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
// A child process: its settings come through the environment its parent (scanner.ts) sets from the parent's settings,
// which the kernel's configuration read and checked at start; the child reads only what it was given.
const allowed = parseAllowedRanges(process.env.MONITORING_ALLOWED_RANGES ?? '');
const restartEvery = Number(process.env.SCANNER_RESTART_EVERY ?? 20);
const memoryMb = Number(process.env.SCANNER_MEMORY_MB ?? 512);

let browser: Browser | null = null;
let pagesSinceStart = 0;
let proxy: EgressProxy | null = null;
/** The notes of the page being scanned (the scanner sends pages one at a time; were two to overlap, a refusal would be noted on the later). */
let currentNotes: string[] = [];

async function ensureBrowser(): Promise<Browser> {
  if (browser && pagesSinceStart < restartEvery) return browser;
  if (browser) await browser.close().catch(() => {});
  pagesSinceStart = 0;
  proxy ??= await startEgressProxy(allowed, (reason) => currentNotes.push(`blocked:${reason}`));
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      // Every request through the guarded proxy, loopback included (Chromium would otherwise go there directly).
      `--proxy-server=${proxy.url}`,
      '--proxy-bypass-list=<-loopback>',
      `--js-flags=--max-old-space-size=${memoryMb}`,
      '--renderer-process-limit=2',
      '--disable-extensions',
    ],
  });
  return browser;
}

async function scanPage(request: ChildRequest): Promise<PageOutcome> {
  const b = await ensureBrowser();
  pagesSinceStart++;
  const context = await b.newContext({ acceptDownloads: false, serviceWorkers: 'block', bypassCSP: true });
  const notes: string[] = [];
  let tooLarge = false;
  let transferred = 0;
  currentNotes = notes;
  try {
    const page = await context.newPage();
    page.on('dialog', (dialog) => {
      notes.push(`dialog:${dialog.type()}`);
      void dialog.dismiss().catch(() => {});
    });
    page.on('download', (download) => {
      notes.push('download');
      void download.cancel().catch(() => {});
    });
    page.on('response', (response) => {
      const length = Number(response.headers()['content-length'] ?? 0);
      if (length > request.maxBytes && !tooLarge) {
        // Not downloaded further: the page is closed at once.
        tooLarge = true;
        void page.close().catch(() => {});
      }
      transferred += Number.isFinite(length) ? length : 0;
    });
    // Every host the page asks for goes through the same guard as the targets (resolved here, cached for the page).
    const hosts = new Map<string, string | null>();
    await page.route('**/*', async (route) => {
      const refusal = await browserRequestRefusal(new URL(route.request().url()), allowed, undefined, hosts);
      if (refusal) {
        notes.push(`blocked:${refusal}`);
        return route.abort('blockedbyclient');
      }
      return route.continue();
    });
    const started = Date.now();
    let response: Awaited<ReturnType<typeof page.goto>>;
    try {
      response = await page.goto(request.url, { waitUntil: 'load', timeout: request.timeoutMs });
    } catch (error) {
      const message = String((error as Error).message ?? error);
      const kind = tooLarge
        ? 'too-large'
        : /Timeout/i.test(message)
          ? 'timeout'
          : /ERR_TOO_MANY_REDIRECTS/.test(message)
            ? 'redirects'
            : 'navigation';
      return { ok: false, error: kind, errorMessage: message.split('\n')[0].slice(0, 300), notes };
    }
    if (tooLarge) return { ok: false, error: 'too-large', errorMessage: `page de plus de ${request.maxBytes} octets`, notes };
    const remaining = () => Math.max(1000, request.timeoutMs - (Date.now() - started));
    const timing = await withTimeout(page.evaluate(MEASURE_SCRIPT) as Promise<Measured>, remaining());
    await page.addScriptTag({ content: AXE_SOURCE });
    const axe = (await withTimeout(page.evaluate(AXE_SCRIPT), remaining())) as { violations: AxeRule[]; incomplete: AxeRule[] };
    return {
      ok: true,
      status: response?.status() ?? null,
      loadMs: timing.load,
      lcpMs: timing.lcp,
      bytes: timing.bytes || transferred,
      text: timing.text,
      links: timing.links,
      violations: axe.violations,
      incomplete: axe.incomplete,
      notes,
    };
  } catch (error) {
    const message = String((error as Error).message ?? error);
    return {
      ok: false,
      error: /délai|Timeout/i.test(message) ? 'timeout' : 'crash',
      errorMessage: message.split('\n')[0].slice(0, 300),
      notes,
    };
  } finally {
    await withTimeout(context.close(), 5000).catch(async () => {
      // A renderer that does not let go: restart the browser.
      await browser?.close().catch(() => {});
      browser = null;
    });
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('délai dépassé')), ms);
    promise.then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e) => (clearTimeout(timer), reject(e)),
    );
  });
}

process.on('message', (message: ChildRequest) => {
  void scanPage(message).then(
    (outcome) => process.send?.({ id: message.id, outcome }),
    (error) =>
      process.send?.({ id: message.id, outcome: { ok: false, error: 'crash', errorMessage: String(error).slice(0, 300), notes: [] } }),
  );
});
process.on('disconnect', () => {
  void (browser?.close() ?? Promise.resolve()).finally(() => void (proxy?.close() ?? Promise.resolve()).finally(() => process.exit(0)));
});
process.send?.({ ready: true });
