import type { Queryable } from '../../kernel/db/db.ts';
import { canEditProcedure, canManageAdministration, type CurrentUser } from '../../kernel/auth/scope.ts';
import { PROCEDURE_SELECT, procedurePlace, procedureSnapshot, rowToInput, rowToRaw, type ProcedureRow } from '../queries/procedures.ts';
import { FIELD_LABELS, validateProcedure, type RawProcedure } from '../validation.ts';
import type { ProcedureInput } from '../model.ts';
import {
  COLUMNS,
  CLEAR_MARKER,
  formatHelpChannels,
  isClearMarker,
  matchCode,
  mapColumns,
  parseHelpChannels,
  splitList,
  unneutralise,
  type ColumnKey,
} from './columns.ts';
import type { Table } from '../../kernel/spreadsheet/table.ts';

export interface RowError {
  line: number;
  column: string;
  message: string;
}

/** One changed cell of an update, as the preview shows it: the value now, and the value after the import. */
export interface CellDiff {
  field: string;
  before: string;
  after: string;
}

export interface RowChange {
  line: number;
  stableId: string;
  title: string;
  action: 'create' | 'update' | 'unchanged';
  /** French names of the fields an update changes. */
  fields: string[];
  /** Before → after of every changed field (updates only). */
  diffs?: CellDiff[];
}

export interface PlannedWrite {
  action: 'create' | 'update';
  input: ProcedureInput;
  /** The version (updated_at) of the existing row the preview was computed from: the apply step checks it did not move. */
  version: string | null;
  before: Record<string, unknown> | null;
}

export interface ImportPlan {
  rows: number;
  errors: RowError[];
  /** Rows with at least one error (a row may carry several messages). */
  errorRows: number;
  changes: RowChange[];
  ignoredColumns: string[];
  counts: { create: number; update: number; unchanged: number };
  writes: PlannedWrite[];
}

const HEADER_OF: Record<string, string> = Object.fromEntries(COLUMNS.map((c) => [c.key, c.header]));

/** Field names compared for updates, with the column that carries them. */
const DIFF_FIELDS: [keyof ProcedureInput, ColumnKey][] = [
  ['title', 'title'],
  ['slug', 'slug'],
  ['description', 'description'],
  ['administrationId', 'administration'],
  ['url', 'url'],
  ['infoUrl', 'info_url'],
  ['userCategories', 'user_categories'],
  ['volumeTotal', 'volume_total'],
  ['volumeOnline', 'volume_online'],
  ['onlineStatus', 'online_status'],
  ['franceconnect', 'franceconnect'],
  ['inScope', 'in_scope'],
  ['helpChannels', 'help_channels'],
];

/**
 * The dry run: reads every row, validates it like the form does, checks scope and uniqueness, and computes what the
 * import would change. Writes nothing. Columns missing from the file keep their current values on updates.
 * `user` null is the command line (the server's operator: every right).
 */
export async function planImport(db: Queryable, user: CurrentUser | null, table: Table): Promise<ImportPlan> {
  const columns = mapColumns(table.headers);
  const has = (key: ColumnKey) => columns.index[key] !== undefined;
  const columnName = (key: string) => columns.header[key as ColumnKey] ?? HEADER_OF[key] ?? key;
  const cell = (cells: string[], key: ColumnKey) => unneutralise((cells[columns.index[key]!] ?? '').trim());
  /**
   * What the file says for a column: `undefined` when it says nothing (column absent, or empty cell of an existing
   * procedure: the value stays as it is), '' when it asks to clear the value (the marker « (vide) »), else the text.
   */
  const given = (cells: string[], key: ColumnKey, exists: boolean): string | undefined => {
    if (!has(key)) return undefined;
    const text = cell(cells, key);
    if (isClearMarker(text)) return '';
    if (text === '' && exists) return undefined;
    return text;
  };

  const stableIds = table.rows.map((r) => cell(r.cells, 'stable_id'));
  const existingRows = await db.query<ProcedureRow & { version: string }>(
    `${PROCEDURE_SELECT.replace('SELECT ', 'SELECT p.updated_at::text AS version, ')} WHERE p.stable_id = ANY($1::text[])`,
    [stableIds.filter(Boolean)],
  );
  const existing = new Map(existingRows.rows.map((r) => [r.stable_id, r]));
  const administrations = await db.query<{ id: number; code: string; ministry_id: number; archived: boolean }>(
    'SELECT id, code, ministry_id, archived_at IS NOT NULL AS archived FROM administrations',
  );
  const administrationByCode = new Map(administrations.rows.map((a) => [matchCode(a.code), a]));
  const codeOf = new Map(administrations.rows.map((a) => [Number(a.id), a.code]));

  const plan: ImportPlan = {
    rows: table.rows.length,
    errors: [],
    errorRows: 0,
    changes: [],
    ignoredColumns: columns.ignored,
    counts: { create: 0, update: 0, unchanged: 0 },
    writes: [],
  };
  const seenIds = new Map<string, number>();
  const seenSlugs = new Map<string, { line: number; stableId: string }>();
  const pending: {
    line: number;
    stableId: string;
    title: string;
    input: ProcedureInput;
    current: (ProcedureRow & { version: string }) | undefined;
  }[] = [];

  for (const { line, cells } of table.rows) {
    const errorsBefore = plan.errors.length;
    // An error never names a column the file does not have: it says which field is missing instead.
    const fail = (key: string, message: string) =>
      plan.errors.push(
        has(key as ColumnKey) || key === 'stable_id'
          ? { line, column: columnName(key), message }
          : {
              line,
              column: '',
              message: `${message} Le fichier n’a pas de colonne « ${HEADER_OF[key] ?? FIELD_LABELS[key] ?? key} » pour ce champ : ajoutez-la, ou corrigez la démarche dans le catalogue.`,
            },
      );
    const stableId = cell(cells, 'stable_id');
    if (!stableId) {
      fail('stable_id', 'L’identifiant est obligatoire.');
      continue;
    }
    if (seenIds.has(stableId)) {
      fail(
        'stable_id',
        `L’identifiant « ${stableId} » apparaît déjà ligne ${seenIds.get(stableId)} : chaque démarche ne doit figurer qu’une fois.`,
      );
      continue;
    }
    seenIds.set(stableId, line);
    const current = existing.get(stableId);
    const raw: RawProcedure & { administration?: string } = current
      ? { ...rowToRaw(current), administration: current.administration_code }
      : {};
    raw.stable_id = stableId;
    const exists = current !== undefined;
    const text = (key: ColumnKey) => given(cells, key, exists);
    const set = <K extends keyof typeof raw>(field: K, value: (typeof raw)[K] | undefined) => {
      if (value !== undefined) raw[field] = value;
    };
    set('title', text('title'));
    const slug = text('slug');
    set('slug', slug === '' ? (current ? current.slug : '') : slug);
    set('description', text('description'));
    set('administration', text('administration'));
    set('url', text('url'));
    set('info_url', text('info_url'));
    const categories = text('user_categories');
    set('user_categories', categories === undefined ? undefined : splitList(categories));
    set('volume_total', text('volume_total'));
    set('volume_online', text('volume_online'));
    set('online_status', text('online_status'));
    set('franceconnect', text('franceconnect'));
    set('in_scope', text('in_scope'));
    const channels = text('help_channels');
    set('help_channels', channels === undefined ? undefined : parseHelpChannels(channels));

    const result = validateProcedure(raw);
    if (!result.ok) {
      for (const [key, message] of Object.entries(result.errors)) {
        const channel = /^help_\w+_(\d+)$/.exec(key);
        if (channel) fail('help_channels', `Canal n° ${Number(channel[1]) + 1} : ${message}`);
        else fail(key, message);
      }
    }
    const code = (raw.administration ?? '').trim();
    const administration = administrationByCode.get(matchCode(code));
    if (!code)
      fail('administration', 'L’administration est obligatoire pour une nouvelle démarche : indiquez son code (par exemple ants).');
    else if (!administration)
      fail(
        'administration',
        `Administration inconnue : « ${code} ». Indiquez le code d’une administration du catalogue (par exemple ants, dgfip).`,
      );
    else if (administration.archived && administration.id !== Number(current?.administration_id))
      fail('administration', `L’administration « ${code} » est archivée.`);

    if (user && administration) {
      const place = current ? procedurePlace(current) : null;
      if (place && !canEditProcedure(user, place))
        fail('stable_id', 'Cette démarche existe mais n’est pas dans votre périmètre : vous ne pouvez pas la modifier.');
      else if (
        administration.id !== place?.administrationId &&
        !canManageAdministration(user, Number(administration.id), Number(administration.ministry_id))
      ) {
        fail('administration', `L’administration « ${code} » n’est pas dans votre périmètre.`);
      }
    }
    if (!result.ok || !administration || plan.errors.length > errorsBefore) continue;
    const input: ProcedureInput = { ...result.data, administrationId: Number(administration.id) };
    const other = seenSlugs.get(input.slug);
    if (other) {
      fail('slug', `Le slug « ${input.slug} » est déjà utilisé ligne ${other.line} par « ${other.stableId} ».`);
      continue;
    }
    seenSlugs.set(input.slug, { line, stableId });
    pending.push({ line, stableId, title: input.title, input, current });
  }

  // Slugs held in the database by procedures that keep them (absent from the file, or keeping the same slug).
  const slugOwners = await db.query<{ slug: string; stable_id: string }>(
    'SELECT slug, stable_id FROM procedures WHERE slug = ANY($1::text[])',
    [pending.map((p) => p.input.slug)],
  );
  const finalSlugOf = new Map(pending.map((p) => [p.stableId, p.input.slug]));
  const takenBy = new Map<string, string>();
  for (const owner of slugOwners.rows) {
    const keeps = !finalSlugOf.has(owner.stable_id) || finalSlugOf.get(owner.stable_id) === owner.slug;
    if (keeps) takenBy.set(owner.slug, owner.stable_id);
  }

  for (const p of pending) {
    const owner = takenBy.get(p.input.slug);
    if (owner && owner !== p.stableId) {
      plan.errors.push({
        line: p.line,
        column: columnName('slug'),
        message: `Le slug « ${p.input.slug} » est déjà celui de la démarche « ${owner} ».`,
      });
      continue;
    }
    if (!p.current) {
      plan.changes.push({ line: p.line, stableId: p.stableId, title: p.title, action: 'create', fields: [] });
      plan.writes.push({ action: 'create', input: p.input, version: null, before: null });
      plan.counts.create++;
      continue;
    }
    const before = rowToInput(p.current);
    const changed = DIFF_FIELDS.filter(([field]) => JSON.stringify(before[field]) !== JSON.stringify(p.input[field]));
    const label = (field: keyof ProcedureInput, column: ColumnKey) =>
      column === 'administration' ? 'Administration' : (FIELD_LABELS[column] ?? field);
    const fields = changed.map(([field, column]) => label(field, column));
    const show = (field: keyof ProcedureInput, value: unknown) => displayValue(field, value, codeOf);
    const diffs = changed.map(([field, column]) => ({
      field: label(field, column),
      before: show(field, before[field]),
      after: show(field, p.input[field]),
    }));
    if (fields.length === 0) {
      plan.changes.push({ line: p.line, stableId: p.stableId, title: p.title, action: 'unchanged', fields });
      plan.counts.unchanged++;
    } else {
      plan.changes.push({ line: p.line, stableId: p.stableId, title: p.title, action: 'update', fields, diffs });
      plan.writes.push({ action: 'update', input: p.input, version: p.current.version, before: procedureSnapshot(before) });
      plan.counts.update++;
    }
  }
  plan.errors.sort((a, b) => a.line - b.line);
  plan.errorRows = new Set(plan.errors.map((e) => e.line)).size;
  return plan;
}

/** A field's value as the preview shows it, in the words of the import file (codes, « oui »/« non », one channel per line). */
function displayValue(field: keyof ProcedureInput, value: unknown, codeOf: Map<number, string>): string {
  if (value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) return CLEAR_MARKER;
  if (field === 'administrationId') return codeOf.get(Number(value)) ?? String(value);
  if (field === 'helpChannels') return formatHelpChannels(value as ProcedureInput['helpChannels']).replace(/\n/g, ' ; ');
  if (typeof value === 'boolean') return value ? 'oui' : 'non';
  if (Array.isArray(value)) return value.join(', ');
  return String(value);
}
