import { randomBytes } from 'node:crypto';
import type { Queryable } from '../../kernel/db/db.ts';
import { run, sql, type Sql } from '../../kernel/db/sql.ts';
import type { ProcedurePlace } from '../../kernel/auth/scope.ts';
import type { TemplateId } from '../questionnaire/template.ts';
import { DEFAULT_SETTINGS, normaliseSettings, type FormSettings } from './settings.ts';

export interface FormRow {
  id: number;
  procedureId: number;
  template: TemplateId;
  name: string;
  locked: boolean;
  publishedVersion: number | null;
  place: ProcedurePlace;
  procedureTitle: string;
  procedureUrl: string | null;
}

const FORM_SELECT = `SELECT f.id, f.procedure_id, f.template, f.name, f.locked, f.published_version,
         p.administration_id, a.ministry_id, p.title AS procedure_title, p.url AS procedure_url
    FROM feedback_forms f JOIN procedures p ON p.id = f.procedure_id JOIN administrations a ON a.id = p.administration_id`;

function toForm(r: any): FormRow {
  return {
    id: Number(r.id),
    procedureId: Number(r.procedure_id),
    template: r.template,
    name: r.name,
    locked: r.locked,
    publishedVersion: r.published_version,
    place: { procedureId: Number(r.procedure_id), administrationId: Number(r.administration_id), ministryId: Number(r.ministry_id) },
    procedureTitle: r.procedure_title,
    procedureUrl: r.procedure_url,
  };
}

export async function getForm(db: Queryable, id: number): Promise<FormRow | null> {
  const { rows } = await db.query(`${FORM_SELECT} WHERE f.id = $1 AND f.deleted_at IS NULL`, [id]);
  return rows[0] ? toForm(rows[0]) : null;
}

export async function listFormsInScope(db: Queryable, scope: Sql): Promise<(FormRow & { buttons: number; reviews30: number })[]> {
  const select = sql.trusted(
    FORM_SELECT.replace(
      'SELECT f.id,',
      `SELECT (SELECT count(*) FROM feedback_buttons b WHERE b.form_id = f.id AND b.deleted_at IS NULL)::int AS buttons,
        (SELECT coalesce(sum(count), 0) FROM feedback_rollups r WHERE r.form_id = f.id AND r.question = '_review'
           AND r.day > (now() AT TIME ZONE 'Europe/Paris')::date - 30)::bigint AS reviews30, f.id,`,
    ),
  );
  const { rows } = await run(db, sql`${select} WHERE f.deleted_at IS NULL AND ${scope} ORDER BY search_text(p.title), f.id LIMIT 500`);
  return rows.map((r) => ({ ...toForm(r), buttons: Number(r.buttons), reviews30: Number(r.reviews30) }));
}

export interface VersionRow {
  version: number;
  status: 'draft' | 'published' | 'retired';
  settings: FormSettings;
  createdAt: Date;
  publishedAt: Date | null;
  retiredAt: Date | null;
}

export async function listVersions(db: Queryable, form: FormRow): Promise<VersionRow[]> {
  const { rows } = await db.query(
    'SELECT version, status, settings, created_at, published_at, retired_at FROM feedback_form_versions WHERE form_id = $1 ORDER BY version DESC',
    [form.id],
  );
  return rows.map((r) => ({
    version: r.version,
    status: r.status,
    settings: normaliseSettings(form.template, r.settings),
    createdAt: new Date(r.created_at),
    publishedAt: r.published_at ? new Date(r.published_at) : null,
    retiredAt: r.retired_at ? new Date(r.retired_at) : null,
  }));
}

/** Creates a form with its first version, published at once with the default settings. */
export async function insertForm(
  tx: Queryable,
  input: { procedureId: number; template: TemplateId; name: string; isDemo?: boolean },
  userId: number | null,
): Promise<number> {
  const { rows } = await tx.query<{ id: number }>(
    `INSERT INTO feedback_forms (procedure_id, template, name, published_version, is_demo) VALUES ($1, $2, $3, 1, $4) RETURNING id`,
    [input.procedureId, input.template, input.name, input.isDemo ?? false],
  );
  const id = Number(rows[0].id);
  await tx.query(
    `INSERT INTO feedback_form_versions (form_id, version, settings, status, created_by, published_at) VALUES ($1, 1, $2, 'published', $3, now())`,
    [id, JSON.stringify(DEFAULT_SETTINGS), userId],
  );
  return id;
}

/** Saves new settings as a draft version (replacing an unpublished draft); returns its number. */
export async function saveDraft(tx: Queryable, formId: number, settings: FormSettings, userId: number): Promise<number> {
  const { rows: draft } = await tx.query<{ version: number }>(
    `UPDATE feedback_form_versions SET settings = $2, created_by = $3, created_at = now() WHERE form_id = $1 AND status = 'draft' RETURNING version`,
    [formId, JSON.stringify(settings), userId],
  );
  if (draft[0]) return draft[0].version;
  const { rows } = await tx.query<{ version: number }>(
    `INSERT INTO feedback_form_versions (form_id, version, settings, status, created_by)
     SELECT $1, coalesce(max(version), 0) + 1, $2, 'draft', $3 FROM feedback_form_versions WHERE form_id = $1 RETURNING version`,
    [formId, JSON.stringify(settings), userId],
  );
  return rows[0].version;
}

/** Publishes the draft: the previous live version is retired, the form points to the new one. */
export async function publishDraft(tx: Queryable, formId: number): Promise<number | null> {
  const { rows } = await tx.query<{ version: number }>(
    `SELECT version FROM feedback_form_versions WHERE form_id = $1 AND status = 'draft' FOR UPDATE`,
    [formId],
  );
  if (!rows[0]) return null;
  await tx.query(`UPDATE feedback_form_versions SET status = 'retired', retired_at = now() WHERE form_id = $1 AND status = 'published'`, [
    formId,
  ]);
  await tx.query(`UPDATE feedback_form_versions SET status = 'published', published_at = now() WHERE form_id = $1 AND version = $2`, [
    formId,
    rows[0].version,
  ]);
  await tx.query('UPDATE feedback_forms SET published_version = $2, updated_at = now() WHERE id = $1', [formId, rows[0].version]);
  return rows[0].version;
}

export interface ButtonRow {
  id: number;
  formId: number;
  publicKey: string;
  name: string;
  placement: string;
  isTest: boolean;
  closedAt: Date | null;
  deletedAt: Date | null;
  closedClicks: number;
}

function toButton(r: any): ButtonRow {
  return {
    id: Number(r.id),
    formId: Number(r.form_id),
    publicKey: r.public_key,
    name: r.name,
    placement: r.placement,
    isTest: r.is_test,
    closedAt: r.closed_at ? new Date(r.closed_at) : null,
    deletedAt: r.deleted_at ? new Date(r.deleted_at) : null,
    closedClicks: Number(r.closed_clicks),
  };
}

export async function listButtons(db: Queryable, formId: number): Promise<ButtonRow[]> {
  const { rows } = await db.query('SELECT * FROM feedback_buttons WHERE form_id = $1 AND deleted_at IS NULL ORDER BY id', [formId]);
  return rows.map(toButton);
}

export async function getButton(db: Queryable, id: number): Promise<ButtonRow | null> {
  const { rows } = await db.query('SELECT * FROM feedback_buttons WHERE id = $1', [id]);
  return rows[0] ? toButton(rows[0]) : null;
}

export async function insertButton(
  tx: Queryable,
  input: { formId: number; name: string; placement: string; isTest: boolean },
): Promise<ButtonRow> {
  const { rows } = await tx.query(
    'INSERT INTO feedback_buttons (form_id, public_key, name, placement, is_test) VALUES ($1, $2, $3, $4, $5) RETURNING *',
    [input.formId, randomBytes(9).toString('base64url'), input.name, input.placement, input.isTest],
  );
  return toButton(rows[0]);
}

/** What the public questionnaire needs, found from the button's public key. */
export interface LiveButton {
  button: ButtonRow;
  form: FormRow;
  version: number;
  settings: FormSettings;
}

export async function loadLiveButton(db: Queryable, publicKey: string): Promise<{ live: LiveButton | null; closed: ButtonRow | null }> {
  const { rows } = await db.query(
    `SELECT b.*, f.procedure_id, f.template, f.name AS form_name, f.locked, f.published_version, f.deleted_at AS form_deleted_at,
            p.administration_id, a.ministry_id, p.title AS procedure_title, p.url AS procedure_url, v.settings
       FROM feedback_buttons b
       JOIN feedback_forms f ON f.id = b.form_id
       JOIN procedures p ON p.id = f.procedure_id JOIN administrations a ON a.id = p.administration_id
       LEFT JOIN feedback_form_versions v ON v.form_id = f.id AND v.version = f.published_version
      WHERE b.public_key = $1`,
    [publicKey],
  );
  const r = rows[0];
  if (!r) return { live: null, closed: null };
  const button = toButton(r);
  if (button.closedAt || button.deletedAt || r.form_deleted_at || r.published_version === null) return { live: null, closed: button };
  const form = toForm({ ...r, id: r.form_id, name: r.form_name });
  return { live: { button, form, version: r.published_version, settings: normaliseSettings(form.template, r.settings) }, closed: null };
}
