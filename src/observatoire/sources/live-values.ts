import type { Queryable } from '../../kernel/db/db.ts';
import type { RawValue } from '../rules/model.ts';
import { registeredSources, type ValueWindow } from './source.ts';

/**
 * Live values of every indicator for a batch of procedures, in a fixed number of queries:
 * - stored values (obs_live_values): manual indicators, and demo/imported values of computed indicators whose
 *   module has no registered source yet;
 * - for `online` and `auth` without a stored value, the catalogue's own fields;
 * - then each registered source, which overrides the stored values of its indicators.
 */
export async function liveValues(db: Queryable, procedureIds: number[], window: ValueWindow): Promise<Map<number, Record<string, RawValue>>> {
  const result = new Map<number, Record<string, RawValue>>();
  if (procedureIds.length === 0) return result;
  const { rows: catalog } = await db.query(
    'SELECT id, online_status, franceconnect FROM procedures WHERE id = ANY($1::bigint[])',
    [procedureIds],
  );
  for (const r of catalog) result.set(Number(r.id), { online: r.online_status, auth: r.franceconnect });
  const { rows: stored } = await db.query(
    'SELECT procedure_id, indicator, value FROM obs_live_values WHERE procedure_id = ANY($1::bigint[])',
    [procedureIds],
  );
  for (const r of stored) {
    const values = result.get(Number(r.procedure_id));
    if (values) values[r.indicator] = r.value;
  }
  for (const source of registeredSources()) {
    const fromSource = await source.valuesFor(db, procedureIds, window);
    for (const id of procedureIds) {
      const values = result.get(id);
      if (!values) continue;
      const own = fromSource.get(id) ?? {};
      for (const indicator of source.indicators) values[indicator] = own[indicator] ?? null;
    }
  }
  return result;
}
