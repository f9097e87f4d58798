import type { Queryable } from '../../kernel/db/db.ts';
import type { RuleSet } from './model.ts';

export interface IndicatorDefinition {
  slug: string;
  position: number;
  label: string;
  shortLabel: string;
  unit: 'category' | 'score10' | 'percent' | 'count' | 'ms';
  source: 'manual' | 'feedback' | 'accessibility' | 'monitoring' | 'support';
  description: string;
  method: string;
  help: string;
}

/**
 * Definitions change rarely (steering admin only) and are read by every page and API call: kept per database handle,
 * dropped by `forgetIndicators` when they are edited on this server. Across servers: an edit bumps the database's
 * public version (trigger on obs_indicators, migration 0310) and `syncPublicVersion` (cache/public-cache.ts) calls
 * `forgetIndicators` on every other server within about a second.
 */
const cache = new WeakMap<Queryable, Promise<IndicatorDefinition[]>>();

export function forgetIndicators(db: Queryable): void {
  cache.delete(db);
}

export function loadIndicators(db: Queryable): Promise<IndicatorDefinition[]> {
  let entry = cache.get(db);
  if (!entry) {
    entry = readIndicators(db);
    entry.catch(() => cache.delete(db));
    cache.set(db, entry);
  }
  return entry;
}

async function readIndicators(db: Queryable): Promise<IndicatorDefinition[]> {
  const { rows } = await db.query(
    'SELECT slug, position, label, short_label, unit, source, description, method, help FROM obs_indicators ORDER BY position',
  );
  return rows.map((r) => ({
    slug: r.slug,
    position: r.position,
    label: r.label,
    shortLabel: r.short_label,
    unit: r.unit,
    source: r.source,
    description: r.description,
    method: r.method,
    help: r.help,
  }));
}

export async function loadRuleSet(db: Queryable, version?: number): Promise<RuleSet> {
  const { rows } =
    version === undefined
      ? await db.query('SELECT version, rules FROM obs_rule_sets ORDER BY version DESC LIMIT 1')
      : await db.query('SELECT version, rules FROM obs_rule_sets WHERE version = $1', [version]);
  if (!rows[0]) throw new Error(`no rule set${version === undefined ? '' : ` version ${version}`}`);
  return { version: rows[0].version, ...rows[0].rules };
}

export async function listRuleSets(db: Queryable): Promise<{ version: number; note: string; createdAt: Date; author: string | null }[]> {
  const { rows } = await db.query(
    `SELECT r.version, r.note, r.created_at, u.email FROM obs_rule_sets r LEFT JOIN users u ON u.id = r.created_by ORDER BY r.version DESC`,
  );
  return rows.map((r) => ({ version: r.version, note: r.note, createdAt: r.created_at, author: r.email ?? null }));
}

/** Saves a new version (the previous ones stay, for the editions published with them); returns its number. */
export async function saveRuleSet(db: Queryable, rules: Omit<RuleSet, 'version'>, note: string, userId: number | null): Promise<number> {
  const { rows } = await db.query(
    `INSERT INTO obs_rule_sets (version, rules, note, created_by)
     SELECT coalesce(max(version), 0) + 1, $1::jsonb, $2, $3 FROM obs_rule_sets RETURNING version`,
    [JSON.stringify({ grayLabels: rules.grayLabels, indicators: rules.indicators }), note, userId],
  );
  return rows[0].version;
}

export async function loadGoals(db: Queryable): Promise<Map<string, number>> {
  const { rows } = await db.query('SELECT indicator, target_percent FROM obs_goals');
  return new Map(rows.map((r) => [r.indicator, Number(r.target_percent)]));
}
