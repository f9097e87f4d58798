import type { Queryable } from '../../kernel/db/db.ts';
import { run, sql } from '../../kernel/db/sql.ts';
import { neutraliseCell } from '../../kernel/export/csv.ts';
import type { CurrentUser } from '../../kernel/auth/scope.ts';
import type { CatalogFilters } from '../filters.ts';
import { PROCEDURE_SELECT, filterCondition, type ProcedureRow } from '../queries/procedures.ts';
import { COLUMNS, formatHelpChannels, type ColumnKey } from '../import/columns.ts';

const BATCH = 1000;

/** The procedures matching the filters, batch by batch (keyset on id): memory stays flat whatever the catalogue size. */
export async function* exportBatches(db: Queryable, user: CurrentUser | null, filters: CatalogFilters): AsyncGenerator<ProcedureRow[]> {
  let after = 0;
  for (;;) {
    const { rows } = await run<ProcedureRow>(
      db,
      sql`${sql.trusted(PROCEDURE_SELECT)} WHERE ${filterCondition(user, filters)} AND p.id > ${after} ORDER BY p.id LIMIT ${BATCH}`,
    );
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < BATCH) return;
    after = Number(rows[rows.length - 1].id);
  }
}

/** A spreadsheet would run a cell starting with =, +, -, @, tab or CR as a formula: the kernel's rule (XLSX too). */
export const neutralise = neutraliseCell;

export const EXPORT_HEADERS = COLUMNS.map((c) => c.header);

/** One procedure as export cells, in COLUMNS order; volumes stay numbers, every text is neutralised. */
export function exportCells(p: ProcedureRow): (string | number | null)[] {
  const values: Record<ColumnKey, string | number | null> = {
    stable_id: p.stable_id,
    title: p.title,
    slug: p.slug,
    description: p.description,
    administration: p.administration_code,
    ministry: p.ministry_code,
    url: p.url ?? '',
    info_url: p.info_url ?? '',
    user_categories: p.user_categories.join(', '),
    volume_total: p.volume_total,
    volume_online: p.volume_online,
    online_status: p.online_status,
    franceconnect: p.franceconnect,
    in_scope: p.in_scope ? 'oui' : 'non',
    help_channels: formatHelpChannels(p.help_channels),
    archived: p.archived_at ? 'oui' : 'non',
  };
  return COLUMNS.map((c) => {
    const v = values[c.key];
    return typeof v === 'string' ? neutralise(v) : v;
  });
}
