import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import type { TestTarget } from '../helpers/db.ts';
import type { Config } from '../../src/kernel/config.ts';
import { SESSION_COOKIE, createSession } from '../../src/kernel/auth/session.ts';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
/**
 * The rules every browser test checks: WCAG 2.0, 2.1 and 2.2 levels A and AA, and axe's RGAA 4 tag (`RGAAv4`, which
 * adds rules such as `region`, RGAA 9.2.1: all content inside a landmark). One list, used by every `runAxe` call.
 */
export const AXE_TAGS: readonly string[] = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'RGAAv4'];

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

export interface BrowserApp extends TestApp {
  browser: Browser;
  /** Origin of the listening server, e.g. http://127.0.0.1:40123 */
  origin: string;
  /** A new browser context (cookie jar) whose relative URLs resolve against the server. */
  newContext(options?: BrowserContextOptions): Promise<BrowserContext>;
}

/** The real Vigie server listening on loopback (random port) and a headless Chromium to browse it. */
export async function startBrowserApp(target: TestTarget, options: { config?: Partial<Config> } = {}): Promise<BrowserApp> {
  const t = await createTestApp(target, options);
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = t.app.server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  const browser = await launchChromium();
  return {
    ...t,
    browser,
    origin,
    newContext: (contextOptions = {}) => browser.newContext({ baseURL: origin, locale: 'fr-FR', ...contextOptions }),
    async close() {
      await browser.close();
      await t.close();
    },
  };
}

/** Signs the browser context in as this user by giving it a session cookie made in the database. */
export async function signInContext(t: BrowserApp, context: BrowserContext, userId: number): Promise<void> {
  const token = await createSession(t.db, userId, 'browser test');
  await context.addCookies([{ name: SESSION_COOKIE, value: token, url: t.origin, httpOnly: true, sameSite: 'Lax' }]);
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** Runs axe-core (the rules of AXE_TAGS: WCAG 2.2 A and AA, RGAA 4) on the page as it is now. */
export async function runAxe(page: Page): Promise<AxeViolation[]> {
  // Vigie's CSP blocks inline <script> tags, page.addScriptTag({ content }) included; code evaluated by the driver
  // (DevTools protocol) is not subject to the page's CSP, so axe is loaded that way and the CSP stays on.
  const hasAxe = await page.evaluate(() => typeof (window as any).axe !== 'undefined');
  if (!hasAxe) await page.evaluate(AXE_SOURCE);
  return page.evaluate(
    async (tags) => {
      const result = await (window as any).axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
      return result.violations.map((v: any) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n: any) => ({ target: n.target.map(String), failureSummary: n.failureSummary })),
      }));
    },
    [...AXE_TAGS],
  );
}

/** One readable block per violation: page, rule, and the offending nodes. */
export function formatViolations(url: string, violations: AxeViolation[]): string {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .slice(0, 5)
        .map((n) => `    - ${n.target.join(' ')}${n.failureSummary ? ` : ${n.failureSummary.replace(/\s+/g, ' ')}` : ''}`)
        .join('\n');
      const more = v.nodes.length > 5 ? `\n    … et ${v.nodes.length - 5} autres éléments` : '';
      return `${url} — ${v.id} (${v.impact ?? '?'}) : ${v.help}\n${nodes}${more}`;
    })
    .join('\n');
}
