import type { BrowserContext, Page } from 'playwright-core';
import { formatViolations, runAxe } from './browser.ts';

/** Links a crawl must not follow: actions, static files, downloads, machine endpoints. */
const SKIPPED_PATHS = [/^\/deconnexion/, /^\/assets\//, /^\/api\//, /^\/metrics/, /^\/healthz/, /^\/readyz/];
const DOWNLOAD_EXTENSIONS = /\.(csv|xlsx|xls|ods|json|zip|pdf|xml|txt|tar|gz)$/i;

export interface CrawlOptions {
  origin: string;
  /** Maps a path to its route pattern (null: unknown route, counted on its own path). */
  routeOf(pathname: string): string | null;
  /** Pages visited per route pattern, and again per route pattern with a query string. */
  perPattern?: number;
  /** Hard bound on the pages of one crawl. */
  maxPages?: number;
}

export interface CrawlReport {
  visited: string[];
  problems: string[];
}

function shouldFollow(url: URL, origin: string): boolean {
  if (url.origin !== origin) return false;
  if (SKIPPED_PATHS.some((re) => re.test(url.pathname))) return false;
  return !DOWNLOAD_EXTENSIONS.test(url.pathname);
}

/** What every page owes its readers beyond axe's rules: title, one h1, a language. */
async function checkPage(page: Page): Promise<string[]> {
  const facts = await page.evaluate(() => ({
    title: document.title,
    h1: document.querySelectorAll('h1').length,
    lang: document.documentElement.getAttribute('lang') ?? '',
  }));
  const problems: string[] = [];
  if (!facts.title.endsWith(' – Vigie')) problems.push(`titre « ${facts.title} » ne se termine pas par « – Vigie »`);
  if (facts.h1 !== 1) problems.push(`${facts.h1} titres h1 (un seul attendu)`);
  if (!facts.lang) problems.push('attribut lang absent sur <html>');
  return problems;
}

async function pageLinks(page: Page): Promise<string[]> {
  return page.$$eval('a[href]:not([download])', (anchors) => anchors.map((a) => (a as HTMLAnchorElement).href));
}

/**
 * Visits every same-origin page reachable by links from `start` (breadth first, GET only), a few per route pattern,
 * and checks each: HTTP status, axe-core (WCAG 2.2 AA and RGAA rules), title, h1, lang, no CSP or JavaScript error.
 */
export async function crawl(context: BrowserContext, start: string[], options: CrawlOptions): Promise<CrawlReport> {
  const perPattern = options.perPattern ?? 3;
  const maxPages = options.maxPages ?? 250;
  const seen = new Set<string>();
  const perKey = new Map<string, number>();
  const queue: string[] = [];
  const visited: string[] = [];
  const problems: string[] = [];

  const enqueue = (href: string) => {
    const url = new URL(href, options.origin);
    url.hash = '';
    if (!shouldFollow(url, options.origin)) return;
    const relative = url.pathname + url.search;
    if (seen.has(relative)) return;
    seen.add(relative);
    // Filters, sorts and pages of one list are variants of one page: a few of them are enough.
    const key = `${options.routeOf(url.pathname) ?? url.pathname}${url.search ? '?…' : ''}`;
    const count = perKey.get(key) ?? 0;
    if (count >= perPattern) return;
    perKey.set(key, count + 1);
    queue.push(relative);
  };
  start.forEach(enqueue);

  const page = await context.newPage();
  const runtimeErrors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text()))
      runtimeErrors.push(`erreur CSP : ${message.text()}`);
  });
  page.on('pageerror', (error) => runtimeErrors.push(`erreur JavaScript : ${error.message}`));

  try {
    while (queue.length > 0 && visited.length < maxPages) {
      const path = queue.shift()!;
      runtimeErrors.length = 0;
      let response: Awaited<ReturnType<typeof page.goto>>;
      try {
        response = await page.goto(path, { waitUntil: 'load' });
      } catch (error) {
        // A link to a file without a telling extension (export?format=csv…): a download, not a page.
        if (/Download is starting/i.test(String(error))) continue;
        problems.push(`${path} — la page n’a pas pu être chargée : ${String(error).split('\n')[0]}`);
        continue;
      }
      visited.push(path);
      const status = response?.status() ?? 0;
      const here = new URL(page.url());
      const label = here.pathname + here.search === path ? path : `${path} (→ ${here.pathname}${here.search})`;
      if (status === 404 || status >= 500) {
        problems.push(`${label} — statut HTTP ${status}`);
        continue;
      }
      for (const problem of await checkPage(page)) problems.push(`${label} — ${problem}`);
      const violations = await runAxe(page);
      if (violations.length) problems.push(formatViolations(label, violations));
      for (const error of runtimeErrors) problems.push(`${label} — ${error}`);
      for (const href of await pageLinks(page)) enqueue(href);
    }
  } finally {
    await page.close();
  }
  if (queue.length > 0) problems.push(`exploration arrêtée à ${maxPages} pages, ${queue.length} restantes : augmenter maxPages`);
  return { visited, problems };
}
