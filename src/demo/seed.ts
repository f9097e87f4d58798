import type { AppDeps } from '../kernel/web/deps.ts';
import type { DemoCredentials } from '../kernel/module.ts';
import { MODULES } from '../app.ts';

export type { DemoCredentials };

export interface DemoResult {
  credentials: DemoCredentials[];
}

/**
 * Loads the demonstration data of every module (`VigieModule.seedDemo`), in the modules' order.
 * Each module's seed is idempotent and marks its rows as demo data (is_demo).
 */
export async function seedDemo(deps: AppDeps): Promise<DemoResult> {
  const credentials: DemoCredentials[] = [];
  for (const module of MODULES) {
    const result = await module.seedDemo?.(deps);
    if (result) credentials.push(...result);
  }
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
