import type { AppDeps } from '../kernel/web/deps.ts';
import { seedCatalogDemo } from '../catalog/demo/seed.ts';
import { seedAccountsDemo } from '../accounts/demo.ts';
import { seedObservatoireDemo } from '../observatoire/demo/seed.ts';
import { seedFeedbackDemo } from '../feedback/demo/seed.ts';

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
  await seedObservatoireDemo(deps.db);
  await seedFeedbackDemo(deps.db);
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
