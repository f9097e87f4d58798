import type { Queryable } from '../../kernel/db/db.ts';
import type { RawValue } from '../rules/model.ts';
import { registeredSources, type SourceValues, type ValueWindow } from './source.ts';

/**
 * Live values of every indicator for a batch of procedures, in a fixed number of queries:
 * - stored values (obs_live_values): manual indicators, and demo/imported values of computed indicators whose
 *   module has no registered source yet;
 * - for `online` and `auth` without a stored value, the catalogue's own fields;
 * - then each registered source, which overrides the stored values of its indicators.
 * `enteredByHand` gathers the sources' cells whose value was entered by hand (their `manualFallback`), per procedure.
 */
export async function liveValues(
  db: Queryable,
  procedureIds: number[],
  window: ValueWindow,
): Promise<SourceValues & { enteredByHand: Map<number, Set<string>> }> {
  const enteredByHand = new Map<number, Set<string>>();
  const result = Object.assign(new Map<number, Record<string, RawValue>>(), { enteredByHand });
  if (procedureIds.length === 0) return result;
  const { rows: catalog } = await db.query('SELECT id, online_status, franceconnect FROM procedures WHERE id = ANY($1::bigint[])', [
    procedureIds,
  ]);
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
      const byHand = [...(fromSource.enteredByHand?.get(id) ?? [])].filter(
        (i) => (source.manualFallback ?? []).includes(i) && values[i] !== null,
      );
      const cells = enteredByHand.get(id) ?? new Set<string>();
      for (const indicator of source.indicators) cells.delete(indicator);
      for (const indicator of byHand) cells.add(indicator);
      if (cells.size) enteredByHand.set(id, cells);
      else enteredByHand.delete(id);
    }
  }
  return result;
}
