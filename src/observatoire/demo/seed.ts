import type { Db } from '../../kernel/db/db.ts';
import { createDraft } from '../editions/drafts.ts';
import { publishEdition } from '../editions/publish.ts';
import { demoValues } from './values.ts';

const EDITIONS = [
  { name: 'Édition d’avril 2026', period: '1er trimestre 2026', windowStart: '2025-04-01', windowEnd: '2026-03-31', publishedAt: '2026-04-15T09:00:00Z' },
  { name: 'Édition de juillet 2026', period: '2e trimestre 2026', windowStart: '2025-07-01', windowEnd: '2026-06-30', publishedAt: '2026-07-15T09:00:00Z' },
  { name: 'Édition d’octobre 2026', period: '3e trimestre 2026', windowStart: '2025-10-01', windowEnd: '2026-09-30', publishedAt: '2026-10-15T09:00:00Z' },
];

async function writeDemoValues(db: Db, procedures: { id: number; stable_id: string; online_status: string }[], edition: number): Promise<void> {
  const ids: number[] = [];
  const indicators: string[] = [];
  const values: string[] = [];
  for (const p of procedures) {
    for (const [indicator, value] of Object.entries(demoValues(p.stable_id, edition, p.online_status))) {
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
 * Demo data of the observatoire, after the catalogue's: values for every procedure in scope (computed indicators
 * included, until their modules provide them), three published editions and a draft. Idempotent.
 */
export async function seedObservatoireDemo(db: Db): Promise<{ editions: number }> {
  const { rows: existing } = await db.query('SELECT count(*) AS n FROM obs_editions WHERE is_demo');
  if (Number(existing[0].n) > 0) return { editions: 0 };
  const { rows } = await db.query(`SELECT id, stable_id, online_status FROM procedures WHERE in_scope AND archived_at IS NULL ORDER BY id`);
  const procedures = rows.map((r) => ({ id: Number(r.id), stable_id: r.stable_id, online_status: r.online_status }));
  if (procedures.length === 0) return { editions: 0 };
  for (const [i, e] of EDITIONS.entries()) {
    await writeDemoValues(db, procedures, i);
    const id = await createDraft(db, e, null);
    await db.query('UPDATE obs_editions SET is_demo = true WHERE id = $1', [id]);
    await publishEdition(db, id, null, null, new Date(e.publishedAt));
  }
  await writeDemoValues(db, procedures, EDITIONS.length);
  const draft = await createDraft(db, { name: 'Édition de janvier 2027', period: '4e trimestre 2026', windowStart: '2026-01-01', windowEnd: '2026-12-31' }, null);
  await db.query('UPDATE obs_editions SET is_demo = true WHERE id = $1', [draft]);
  return { editions: EDITIONS.length };
}
