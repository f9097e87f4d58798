import type { Db } from '../../kernel/db/db.ts';
import { createDraft } from '../editions/drafts.ts';
import { publishEdition } from '../editions/publish.ts';
import { demoCalendar } from './calendar.ts';
import { demoValues } from './values.ts';

async function writeDemoValues(
  db: Db,
  procedures: { id: number; stable_id: string; online_status: string; usage: string | null }[],
  edition: number,
): Promise<void> {
  const ids: number[] = [];
  const indicators: string[] = [];
  const values: string[] = [];
  for (const p of procedures) {
    for (const [indicator, value] of Object.entries(demoValues(p.stable_id, edition, p.online_status, p.usage))) {
      ids.push(p.id);
      indicators.push(indicator);
      values.push(value);
    }
  }
  await db.query(
    `INSERT INTO obs_live_values (procedure_id, indicator, value) SELECT unnest($1::bigint[]), unnest($2::text[]), unnest($3::text[])
     ON CONFLICT (procedure_id, indicator) DO UPDATE SET value = excluded.value, updated_at = now()`,
    [ids, indicators, values],
  );
}

/**
 * Demo data of the observatoire, after the catalogue's and the feedback's: the editions of the demo calendar
 * (calendar.ts, relative to `today`, YYYY-MM-DD in Paris), each published by the product's own publication from its window, so that its
 * feedback figures are the feedback dashboards' figures for that window. The indicators without a module yet
 * (accessibility, monitoring, « Dites-le-nous une fois ») get the values a team would have entered before each
 * publication; « Utilisation de la version numérique » is the catalogue's online share. The current quarter is the
 * draft. Idempotent.
 */
export async function seedObservatoireDemo(db: Db, today: string): Promise<{ editions: number }> {
  const { rows: existing } = await db.query('SELECT count(*) AS n FROM obs_editions WHERE is_demo');
  if (Number(existing[0].n) > 0) return { editions: 0 };
  const { rows } = await db.query(
    `SELECT id, stable_id, online_status, CASE WHEN volume_total > 0 THEN round(100.0 * volume_online / volume_total, 1)::text END AS usage
       FROM procedures WHERE in_scope AND archived_at IS NULL ORDER BY id`,
  );
  const procedures = rows.map((r) => ({ id: Number(r.id), stable_id: r.stable_id, online_status: r.online_status, usage: r.usage }));
  if (procedures.length === 0) return { editions: 0 };
  const calendar = demoCalendar(today);
  let published = 0;
  for (const [i, e] of calendar.entries()) {
    await writeDemoValues(db, procedures, i);
    const id = await createDraft(db, e, null);
    await db.query('UPDATE obs_editions SET is_demo = true WHERE id = $1', [id]);
    if (e.publishedAt) {
      await publishEdition(db, id, null, null, e.publishedAt);
      published++;
    }
  }
  return { editions: published };
}
