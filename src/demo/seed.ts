import type { AppDeps } from '../kernel/web/deps.ts';
import { seedCatalogDemo } from '../catalog/demo/seed.ts';
import { seedAccountsDemo } from '../accounts/demo.ts';
import { seedObservatoireDemo } from '../observatoire/demo/seed.ts';
import { seedFeedbackDemo } from '../feedback/demo/seed.ts';
import { demoCalendar } from '../observatoire/demo/calendar.ts';
import { registerIndicatorSource } from '../observatoire/sources/source.ts';
import { feedbackIndicatorSource } from '../feedback/analytics/observatoire-source.ts';
import { todayInParis } from '../feedback/backoffice/window.ts';

export interface DemoCredentials {
  role: string;
  email: string;
  password: string;
}

export interface DemoResult {
  credentials: DemoCredentials[];
}

/**
 * Loads the demonstration data of every module, once, in one transaction per module.
 * Each module's seed is idempotent and marks its rows as demo data (is_demo).
 */
export async function seedDemo(deps: AppDeps): Promise<DemoResult> {
  const credentials: DemoCredentials[] = [];
  // Module seeds are added here as modules land (catalog, accounts, observatoire, feedback).
  await seedCatalogDemo(deps.db);
  credentials.push(...(await seedAccountsDemo(deps.db)));
  // Reviews first: the observatoire's demo editions are published from them, by the product's own computation. The
  // feedback source is registered here too: `vigie seed-demo` runs without the HTTP routes that register it.
  registerIndicatorSource(feedbackIndicatorSource);
  const today = todayInParis();
  const calendar = demoCalendar(today);
  await seedFeedbackDemo(deps.db, 60, { start: calendar[0].windowStart, end: today });
  await seedObservatoireDemo(deps.db, today);
  return { credentials };
}

export async function isDemoLoaded(deps: AppDeps): Promise<boolean> {
  const { rows } = await deps.db.query(`SELECT value FROM app_settings WHERE key = 'demo_loaded'`);
  return rows.length > 0;
}

export async function markDemoLoaded(deps: AppDeps): Promise<void> {
  await deps.db.query(
    `INSERT INTO app_settings (key, value) VALUES ('demo_loaded', 'true') ON CONFLICT (key) DO UPDATE SET value = 'true', updated_at = now()`,
  );
}
