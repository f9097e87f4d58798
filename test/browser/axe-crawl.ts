import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TestTarget } from '../helpers/db.ts';
import { seedDemo } from '../../src/demo/seed.ts';
import { demoState } from '../../src/kernel/web/render.ts';
import { signInContext, startBrowserApp, type BrowserApp } from './browser.ts';
import { createTestUser } from '../helpers/users.ts';
import { crawl } from './crawl.ts';
import { getRoutePatterns, routeMatcher } from './route-patterns.ts';

/**
 * The axe crawl of every page reachable by links, as an anonymous visitor and as the steering admin, on one engine.
 * One test file per engine (axe-crawl-*.test.ts): each crawl takes minutes, and the test runner's 10-minute limit is
 * per file.
 */
export function describeAxeCrawl(target: TestTarget): void {
  describe(`accessibility crawl of every page (${target})`, () => {
    let t: BrowserApp;
    let routeOf: (pathname: string) => string | null;
    before(async () => {
      t = await startBrowserApp(target);
      await seedDemo(t.deps);
      demoState.loaded = true; // the demo banner is part of every page people see
      routeOf = routeMatcher(getRoutePatterns(t.app));
    });
    after(async () => t?.close());

    test('as an anonymous visitor, every page reachable by links passes axe (WCAG 2.2 AA, RGAA) and the page checks', async (tc) => {
      const context = await t.newContext();
      try {
        const report = await crawl(context, ['/', '/plan-du-site'], { origin: t.origin, routeOf });
        tc.diagnostic(`${report.visited.length} pages visitées`);
        assert.ok(report.visited.includes('/accessibilite'), `the crawl reached only: ${report.visited.join(', ')}`);
        assert.equal(report.problems.length, 0, `\n${report.problems.join('\n')}\n(pages visitées : ${report.visited.join(', ')})`);
      } finally {
        await context.close();
      }
    });

    test('as the steering admin, every page reachable by links passes axe (WCAG 2.2 AA, RGAA) and the page checks', async (tc) => {
      const adminId = await createTestUser(t.db, 'axe-crawl-admin@vigie.test', [{ role: 'admin' }]);
      const context = await t.newContext();
      try {
        await signInContext(t, context, adminId);
        const report = await crawl(context, ['/', '/plan-du-site'], { origin: t.origin, routeOf });
        tc.diagnostic(`${report.visited.length} pages visitées`);
        // The admin sees the back-office navigation: the crawl must have gone past the public pages.
        assert.ok(report.visited.includes('/catalogue'), `the crawl reached only: ${report.visited.join(', ')}`);
        // « Mes démarches », where a signed-in person lands, is in the navigation.
        assert.ok(report.visited.includes('/mes-demarches'), `the crawl reached only: ${report.visited.join(', ')}`);
        // The feedback dashboards per ministry and administration are reached from /avis and the ministry pages.
        for (const prefix of ['/avis/ministeres/', '/avis/administrations/']) {
          assert.ok(
            report.visited.some((p) => p.startsWith(prefix)),
            `no ${prefix}… page in: ${report.visited.join(', ')}`,
          );
        }
        assert.equal(report.problems.length, 0, `\n${report.problems.join('\n')}\n(pages visitées : ${report.visited.join(', ')})`);
      } finally {
        await context.close();
      }
    });
  });
}
