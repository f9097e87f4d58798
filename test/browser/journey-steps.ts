import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { formatViolations, runAxe } from './browser.ts';

/** Fills and sends the login form the way a person does (the page must be /connexion). */
export async function submitLogin(page: Page, email: string, password: string): Promise<void> {
  await page.locator('input[name="email"]').fill(email);
  await page.locator('input[name="password"]').fill(password);
  await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Se connecter', exact: true }).click()]);
}

/** Fails with a readable list when the page, in its current state, has accessibility violations. */
export async function assertAccessible(page: Page): Promise<void> {
  const violations = await runAxe(page);
  assert.equal(violations.length, 0, `\n${formatViolations(new URL(page.url()).pathname, violations)}`);
}
