import type { Queryable } from '../kernel/db/db.ts';
import { run, sql } from '../kernel/db/sql.ts';
import { isBlank, type Table } from '../kernel/spreadsheet/table.ts';
import type { HelpPoint, VolumeMonth } from './model.ts';
import { POINT_FIELDS, VOLUME_FIELDS, validatePoint, validateVolume, type PointFields } from './validate.ts';
import { upsertVolume } from './queries.ts';

/** A header as written in open-data files: lower case, no accents, spaces/dashes as underscores. */
function headerKey(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[\s\-'’]+/g, '_')
    .replace(/[^a-z0-9_]/g, '');
}

const POINT_HEADERS: Record<string, (typeof POINT_FIELDS)[number]> = {
  identifiant: 'identifier',
  id: 'identifier',
  identifier: 'identifier',
  nom: 'name',
  name: 'name',
  nom_du_lieu: 'name',
  type: 'kind',
  type_de_lieu: 'kind',
  kind: 'kind',
  adresse: 'address',
  address: 'address',
  code_postal: 'postal_code',
  postal_code: 'postal_code',
  code_commune: 'commune_code',
  code_insee: 'commune_code',
  commune_code: 'commune_code',
  code_commune_insee: 'commune_code',
  commune: 'commune_name',
  nom_commune: 'commune_name',
  commune_name: 'commune_name',
  latitude: 'latitude',
  lat: 'latitude',
  longitude: 'longitude',
  lon: 'longitude',
  lng: 'longitude',
  horaires: 'opening_hours',
  horaires_douverture: 'opening_hours',
  opening_hours: 'opening_hours',
  accessibilite: 'accessibility',
  accessibilite_du_lieu: 'accessibility',
  accessibility: 'accessibility',
  telephone: 'phone',
  phone: 'phone',
  demarches: 'procedures',
  procedures: 'procedures',
  demarches_servies: 'procedures',
};
const REQUIRED_POINT = ['identifier', 'name', 'kind', 'commune_code', 'latitude', 'longitude'] as const;
export const POINT_TEMPLATE_HEADERS = [
  'identifiant',
  'nom',
  'type',
  'adresse',
  'code_postal',
  'code_commune',
  'commune',
  'latitude',
  'longitude',
  'horaires',
  'accessibilite',
  'telephone',
  'demarches',
];

const VOLUME_HEADERS: Record<string, (typeof VOLUME_FIELDS)[number] | 'procedure'> = {
  demarche: 'procedure',
  identifiant_demarche: 'procedure',
  procedure: 'procedure',
  mois: 'month',
  month: 'month',
  appels_recus: 'calls_received',
  appels_traites: 'calls_answered',
  appels_decroches: 'calls_answered',
  courriels_recus: 'mails_received',
  courriels_traites: 'mails_answered',
  mails_recus: 'mails_received',
  mails_traites: 'mails_answered',
  attente_moyenne_secondes: 'mean_wait_seconds',
  attente_moyenne: 'mean_wait_seconds',
  attente_moyenne_s: 'mean_wait_seconds',
};
export const VOLUME_TEMPLATE_HEADERS = [
  'demarche',
  'mois',
  'appels_recus',
  'appels_traites',
  'courriels_recus',
  'courriels_traites',
  'attente_moyenne_secondes',
];

export interface RowError {
  line: number;
  message: string;
}

export interface ImportPlan<T> {
  rows: T[];
  /** Columns the import does not know (open-data files carry more): left aside, named in the report. */
  ignored: string[];
  errors: RowError[];
  created: number;
  updated: number;
}

const FIELD_NAMES: Record<string, string> = {
  identifier: 'identifiant',
  name: 'nom',
  kind: 'type',
  address: 'adresse',
  postal_code: 'code postal',
  commune_code: 'code commune',
  commune_name: 'commune',
  latitude: 'latitude',
  longitude: 'longitude',
  opening_hours: 'horaires',
  accessibility: 'accessibilité',
  phone: 'téléphone',
  procedures: 'démarches',
  month: 'mois',
  calls_received: 'appels reçus',
  calls_answered: 'appels traités',
  mails_received: 'courriels reçus',
  mails_answered: 'courriels traités',
  mean_wait_seconds: 'attente moyenne',
  procedure: 'démarche',
};

function mapHeaders<K extends string>(
  table: Table,
  known: Record<string, K>,
  required: readonly K[],
  errors: RowError[],
  ignored: string[],
): Map<K, number> {
  const columns = new Map<K, number>();
  table.headers.forEach((h, i) => {
    const key = Object.hasOwn(known, headerKey(h)) ? known[headerKey(h)] : undefined;
    if (key === undefined) {
      if (h.trim()) ignored.push(h.trim().slice(0, 60));
      return;
    }
    if (columns.has(key)) errors.push({ line: 1, message: `La colonne « ${h.trim()} » est en double.` });
    columns.set(key, i);
  });
  for (const key of required)
    if (!columns.has(key)) errors.push({ line: 1, message: `Colonne obligatoire manquante : « ${FIELD_NAMES[key] ?? key} ».` });
  return columns;
}

/**
 * Checks a file of help points without writing anything: every row valid, identifiers unique in the file, procedures
 * known to the catalogue. The plan counts the points created and updated (same identifier: updated).
 */
export async function planPointImport(db: Queryable, table: Table): Promise<ImportPlan<HelpPoint>> {
  const errors: RowError[] = [];
  const ignored: string[] = [];
  const columns = mapHeaders(table, POINT_HEADERS, REQUIRED_POINT, errors, ignored);
  if (errors.length) return { rows: [], ignored, errors, created: 0, updated: 0 };
  const rows: HelpPoint[] = [];
  const seen = new Map<string, number>();
  const lines: number[] = [];
  for (const row of table.rows) {
    if (isBlank(row.cells)) continue;
    const fields = Object.fromEntries(
      POINT_FIELDS.map((f) => [f, columns.has(f) ? (row.cells[columns.get(f)!] ?? '') : '']),
    ) as PointFields;
    const result = validatePoint(fields);
    if (!result.ok) {
      for (const [field, message] of Object.entries(result.errors))
        errors.push({ line: row.line, message: `${FIELD_NAMES[field] ?? field} : ${message}` });
      continue;
    }
    const first = seen.get(result.data.identifier);
    if (first !== undefined) {
      errors.push({ line: row.line, message: `identifiant : « ${result.data.identifier} » figure déjà ligne ${first}.` });
      continue;
    }
    seen.set(result.data.identifier, row.line);
    rows.push(result.data);
    lines.push(row.line);
  }
  if (table.rows.length > 0 && rows.length === 0 && errors.length === 0)
    errors.push({ line: 1, message: 'Le fichier ne contient aucune ligne de données.' });
  const stableIds = [...new Set(rows.flatMap((r) => r.procedures))];
  if (stableIds.length) {
    const { rows: known } = await run(db, sql`SELECT stable_id FROM procedures WHERE stable_id = ANY(${stableIds}::text[])`);
    const knownSet = new Set(known.map((k) => k.stable_id));
    rows.forEach((r, i) => {
      const unknown = r.procedures.filter((p) => !knownSet.has(p));
      if (unknown.length)
        errors.push({
          line: lines[i],
          message: `démarches : identifiant inconnu du catalogue : ${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? '…' : ''}.`,
        });
    });
  }
  const { rows: existing } = await run(
    db,
    sql`SELECT identifier FROM support_points WHERE identifier = ANY(${rows.map((r) => r.identifier)}::text[])`,
  );
  const updated = existing.length;
  errors.sort((a, b) => a.line - b.line);
  return { rows, ignored, errors, created: rows.length - updated, updated };
}

/** Writes one help point (insert or update by identifier) and its procedures; returns its id. */
export async function upsertPoint(db: Queryable, p: HelpPoint, isDemo = false): Promise<number> {
  const { rows } = await run(
    db,
    sql`INSERT INTO support_points (identifier, name, kind, address, postal_code, commune_code, commune_name, latitude, longitude,
      opening_hours, accessibility, phone, all_procedures, is_demo)
    VALUES (${p.identifier}, ${p.name}, ${p.kind}, ${p.address}, ${p.postalCode}, ${p.communeCode}, ${p.communeName}, ${p.latitude}, ${p.longitude},
      ${p.openingHours}, ${p.accessibility}, ${p.phone}, ${p.allProcedures}, ${isDemo})
    ON CONFLICT (identifier) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind, address = EXCLUDED.address, postal_code = EXCLUDED.postal_code,
      commune_code = EXCLUDED.commune_code, commune_name = EXCLUDED.commune_name, latitude = EXCLUDED.latitude, longitude = EXCLUDED.longitude,
      opening_hours = EXCLUDED.opening_hours, accessibility = EXCLUDED.accessibility, phone = EXCLUDED.phone, all_procedures = EXCLUDED.all_procedures,
      updated_at = now()
    RETURNING id`,
  );
  const id = Number(rows[0].id);
  await run(db, sql`DELETE FROM support_point_procedures WHERE point_id = ${id}`);
  if (!p.allProcedures && p.procedures.length) {
    await run(
      db,
      sql`INSERT INTO support_point_procedures (point_id, procedure_id)
      SELECT ${id}, id FROM procedures WHERE stable_id = ANY(${p.procedures}::text[]) ON CONFLICT DO NOTHING`,
    );
  }
  return id;
}

export interface VolumeRow extends VolumeMonth {
  procedureId: number;
}

/** Checks a file of contact-centre volumes (a procedure's stable id and a month per row) without writing anything. */
export async function planVolumeImport(db: Queryable, table: Table, onlyProcedureId: number | null): Promise<ImportPlan<VolumeRow>> {
  const errors: RowError[] = [];
  const ignored: string[] = [];
  const columns = mapHeaders(table, VOLUME_HEADERS, ['procedure', 'month'], errors, ignored);
  if (errors.length) return { rows: [], ignored, errors, created: 0, updated: 0 };
  const cell = (cells: string[], key: string) => (columns.has(key as never) ? (cells[columns.get(key as never)!] ?? '') : '');
  const stableIds = [...new Set(table.rows.map((r) => cell(r.cells, 'procedure').trim()).filter(Boolean))];
  const { rows: known } = await run(db, sql`SELECT id, stable_id FROM procedures WHERE stable_id = ANY(${stableIds}::text[])`);
  const ids = new Map(known.map((k) => [k.stable_id as string, Number(k.id)]));
  const rows: VolumeRow[] = [];
  const seen = new Map<string, number>();
  for (const row of table.rows) {
    if (isBlank(row.cells)) continue;
    const stableId = cell(row.cells, 'procedure').trim();
    const procedureId = ids.get(stableId);
    if (!stableId) errors.push({ line: row.line, message: 'démarche : l’identifiant de la démarche est obligatoire.' });
    else if (procedureId === undefined)
      errors.push({ line: row.line, message: `démarche : identifiant inconnu du catalogue « ${stableId.slice(0, 80)} ».` });
    else if (onlyProcedureId !== null && procedureId !== onlyProcedureId)
      errors.push({
        line: row.line,
        message: `démarche : ce fichier ne peut contenir que la démarche de cette page, pas « ${stableId.slice(0, 80)} ».`,
      });
    const result = validateVolume(
      Object.fromEntries(VOLUME_FIELDS.map((f) => [f, cell(row.cells, f)])) as Record<(typeof VOLUME_FIELDS)[number], string>,
    );
    if (!result.ok) {
      for (const [field, message] of Object.entries(result.errors))
        errors.push({ line: row.line, message: `${FIELD_NAMES[field] ?? field} : ${message}` });
      continue;
    }
    if (procedureId === undefined) continue;
    const key = `${procedureId}:${result.data.month}`;
    if (seen.has(key)) {
      errors.push({
        line: row.line,
        message: `mois : ${result.data.month.slice(0, 7)} de cette démarche figure déjà ligne ${seen.get(key)}.`,
      });
      continue;
    }
    seen.set(key, row.line);
    rows.push({ ...result.data, procedureId });
  }
  if (rows.length === 0 && errors.length === 0) errors.push({ line: 1, message: 'Le fichier ne contient aucune ligne de données.' });
  let updated = 0;
  if (rows.length) {
    const { rows: existing } = await run(
      db,
      sql`SELECT count(*) AS n FROM support_volumes v
      JOIN unnest(${rows.map((r) => r.procedureId)}::bigint[], ${rows.map((r) => r.month)}::date[]) AS x(procedure_id, month)
        ON v.procedure_id = x.procedure_id AND v.month = x.month`,
    );
    updated = Number(existing[0].n);
  }
  errors.sort((a, b) => a.line - b.line);
  return { rows, ignored, errors, created: rows.length - updated, updated };
}

export async function applyVolumes(db: Queryable, rows: VolumeRow[]): Promise<void> {
  for (const r of rows) await upsertVolume(db, r.procedureId, r);
}
