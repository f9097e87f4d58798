import type { Queryable } from '../../kernel/db/db.ts';
import type { Place } from '../../kernel/module.ts';
import { audit, type AuditEntry } from '../../kernel/audit/audit.ts';
import { referential, RGAA_VERSIONS, type AuditType, type Referential, type RgaaVersion } from '../rgaa/referential.ts';
import type { ResultStatus } from '../conformity/rate.ts';
import type { AuditStatus, Impact, PageKind } from './model.ts';
import { addPage, createAudit } from './queries.ts';

/** The audit at work: reading an audit, its sample and grid, and every change the back-office makes to it. */

type Actor = AuditEntry['actor'];

export function rgaaOf(version: string): Referential {
  const v = RGAA_VERSIONS.find((x) => x === version);
  if (!v) throw new Error(`Unknown RGAA version ${version}`);
  return referential(v as RgaaVersion);
}

/** The place of an audit for the declared access: its procedure's, plus its outside auditors (granted this audit only). */
export async function auditPlace(db: Queryable, id: number): Promise<Place | null> {
  const { rows } = await db.query<{ procedure_id: number; administration_id: number; ministry_id: number; auditors: number[] | null }>(
    `SELECT p.id AS procedure_id, p.administration_id, a.ministry_id,
            (SELECT array_agg(x.user_id) FROM accessibility_audit_auditors x WHERE x.audit_id = au.id) AS auditors
       FROM accessibility_audits au JOIN procedures p ON p.id = au.procedure_id JOIN administrations a ON a.id = p.administration_id
      WHERE au.id = $1 AND au.deleted_at IS NULL`,
    [id],
    { name: 'accessibility_audit_place' },
  );
  const r = rows[0];
  if (!r) return null;
  return {
    procedureId: Number(r.procedure_id),
    administrationId: Number(r.administration_id),
    ministryId: Number(r.ministry_id),
    grantedUserIds: (r.auditors ?? []).map(Number),
  };
}

export interface AuditRow {
  id: number;
  procedureId: number;
  procedureTitle: string;
  rgaaVersion: string;
  type: AuditType;
  status: AuditStatus;
  name: string;
  siteUrl: string | null;
  auditedBy: string;
  tools: string[];
  startedOn: string | null;
  finishedOn: string | null;
  publishedAt: Date | null;
  previousAuditId: number | null;
  version: number;
  isDemo: boolean;
}

export interface EnvironmentRow {
  id: number;
  assistiveTechnology: string | null;
  browser: string;
  operatingSystem: string;
}

export interface AuditorRow {
  userId: number;
  email: string;
  displayName: string;
}

export interface ProcessRow {
  id: number;
  name: string;
}

export interface PageRow {
  id: number;
  position: number;
  name: string;
  url: string | null;
  kind: PageKind;
  processId: number | null;
}

export interface AuditDetail extends AuditRow {
  environments: EnvironmentRow[];
  auditors: AuditorRow[];
  processes: ProcessRow[];
  pages: PageRow[];
}

const AUDIT_SELECT = `SELECT au.id, au.procedure_id, p.title AS procedure_title, au.rgaa_version, au.audit_type, au.status, au.name,
       au.site_url, au.audited_by, au.tools, au.started_on, au.finished_on, au.published_at, au.previous_audit_id, au.version, au.is_demo
  FROM accessibility_audits au JOIN procedures p ON p.id = au.procedure_id`;

function auditRow(r: Record<string, any>): AuditRow {
  return {
    id: Number(r.id),
    procedureId: Number(r.procedure_id),
    procedureTitle: r.procedure_title,
    rgaaVersion: r.rgaa_version,
    type: r.audit_type,
    status: r.status,
    name: r.name,
    siteUrl: r.site_url,
    auditedBy: r.audited_by,
    tools: r.tools ?? [],
    startedOn: r.started_on,
    finishedOn: r.finished_on,
    publishedAt: r.published_at ? new Date(r.published_at) : null,
    previousAuditId: r.previous_audit_id === null ? null : Number(r.previous_audit_id),
    version: Number(r.version),
    isDemo: r.is_demo,
  };
}

export async function listProcedureAudits(db: Queryable, procedureId: number): Promise<AuditRow[]> {
  const { rows } = await db.query(
    `${AUDIT_SELECT} WHERE au.procedure_id = $1 AND au.deleted_at IS NULL ORDER BY au.created_at DESC, au.id DESC`,
    [procedureId],
  );
  return rows.map(auditRow);
}

export async function getAudit(db: Queryable, id: number): Promise<AuditDetail | null> {
  const { rows } = await db.query(`${AUDIT_SELECT} WHERE au.id = $1 AND au.deleted_at IS NULL`, [id], { name: 'accessibility_get_audit' });
  if (!rows[0]) return null;
  const [envs, auditors, processes, pages] = await Promise.all([
    db.query(
      `SELECT id, assistive_technology, browser, operating_system FROM accessibility_audit_environments WHERE audit_id = $1 ORDER BY position, id`,
      [id],
    ),
    db.query(
      `SELECT u.id, u.email, coalesce(u.display_name, '') AS display_name FROM accessibility_audit_auditors x JOIN users u ON u.id = x.user_id
        WHERE x.audit_id = $1 ORDER BY u.email`,
      [id],
    ),
    db.query(`SELECT id, name FROM accessibility_audit_processes WHERE audit_id = $1 ORDER BY position, id`, [id]),
    db.query(
      `SELECT id, position, name, url, kind, process_id FROM accessibility_audit_pages WHERE audit_id = $1 ORDER BY position, id`,
      [id],
      {
        name: 'accessibility_audit_pages',
      },
    ),
  ]);
  return {
    ...auditRow(rows[0]),
    environments: envs.rows.map((e) => ({
      id: Number(e.id),
      assistiveTechnology: e.assistive_technology,
      browser: e.browser,
      operatingSystem: e.operating_system,
    })),
    auditors: auditors.rows.map((u) => ({ userId: Number(u.id), email: u.email, displayName: u.display_name })),
    processes: processes.rows.map((p) => ({ id: Number(p.id), name: p.name })),
    pages: pages.rows.map((p) => ({
      id: Number(p.id),
      position: Number(p.position),
      name: p.name,
      url: p.url,
      kind: p.kind,
      processId: p.process_id === null ? null : Number(p.process_id),
    })),
  };
}

/** Raised by a change refused because the audit is published (immutable) or gone. */
export class AuditLockedError extends Error {
  constructor() {
    super('Cet audit est publié : il ne peut plus être modifié. Lancez un nouvel audit (ré-audit) pour le faire évoluer.');
  }
}

/** Locks the audit's row for the transaction and checks it can still change. */
async function lockInProgress(tx: Queryable, auditId: number): Promise<{ type: AuditType; rgaaVersion: string; procedureId: number }> {
  const { rows } = await tx.query<{ status: string; audit_type: AuditType; rgaa_version: string; procedure_id: number }>(
    `SELECT status, audit_type, rgaa_version, procedure_id FROM accessibility_audits WHERE id = $1 AND deleted_at IS NULL FOR UPDATE`,
    [auditId],
  );
  if (!rows[0] || rows[0].status !== 'in_progress') throw new AuditLockedError();
  return { type: rows[0].audit_type, rgaaVersion: rows[0].rgaa_version, procedureId: Number(rows[0].procedure_id) };
}

export interface AuditFields {
  name: string;
  siteUrl: string | null;
  auditedBy: string;
  tools: string[];
  startedOn: string | null;
  finishedOn: string | null;
}

export async function createAuditWith(
  tx: Queryable,
  input: AuditFields & { procedureId: number; type: AuditType; environments: Omit<EnvironmentRow, 'id'>[]; actor: Actor; isDemo?: boolean },
): Promise<number> {
  const id = await createAudit(tx, {
    procedureId: input.procedureId,
    type: input.type,
    name: input.name,
    actor: input.actor,
    isDemo: input.isDemo,
  });
  await tx.query(
    `UPDATE accessibility_audits SET site_url = $2, audited_by = $3, tools = $4, started_on = $5, finished_on = $6 WHERE id = $1`,
    [id, input.siteUrl, input.auditedBy, input.tools, input.startedOn, input.finishedOn],
  );
  for (const env of input.environments) await addEnvironment(tx, id, env, input.actor, false);
  return id;
}

/** Saves the audit's own fields if nobody changed them since `expectedVersion`; false when someone did. */
export async function updateAuditFields(
  tx: Queryable,
  auditId: number,
  fields: AuditFields,
  expectedVersion: number,
  actor: Actor,
): Promise<boolean> {
  await lockInProgress(tx, auditId);
  const { rows: before } = await tx.query(
    `SELECT name, site_url, audited_by, tools, started_on, finished_on FROM accessibility_audits WHERE id = $1`,
    [auditId],
  );
  const { rowCount } = await tx.query(
    `UPDATE accessibility_audits SET name = $2, site_url = $3, audited_by = $4, tools = $5, started_on = $6, finished_on = $7,
            version = version + 1, updated_at = now()
      WHERE id = $1 AND version = $8`,
    [auditId, fields.name, fields.siteUrl, fields.auditedBy, fields.tools, fields.startedOn, fields.finishedOn, expectedVersion],
  );
  if (!rowCount) return false;
  await audit(tx, {
    actor,
    action: 'accessibility.audit.update',
    entityType: 'accessibility_audit',
    entityId: auditId,
    before: before[0],
    after: {
      name: fields.name,
      site_url: fields.siteUrl,
      audited_by: fields.auditedBy,
      tools: fields.tools,
      started_on: fields.startedOn,
      finished_on: fields.finishedOn,
    },
  });
  return true;
}

export async function addEnvironment(
  tx: Queryable,
  auditId: number,
  env: Omit<EnvironmentRow, 'id'>,
  actor: Actor,
  check = true,
): Promise<void> {
  if (check) await lockInProgress(tx, auditId);
  await tx.query(
    `INSERT INTO accessibility_audit_environments (audit_id, position, assistive_technology, browser, operating_system)
     VALUES ($1, (SELECT coalesce(max(position), 0) + 1 FROM accessibility_audit_environments WHERE audit_id = $1), $2, $3, $4)`,
    [auditId, env.assistiveTechnology, env.browser, env.operatingSystem],
  );
  await audit(tx, { actor, action: 'accessibility.environment.add', entityType: 'accessibility_audit', entityId: auditId, after: env });
}

export async function removeEnvironment(tx: Queryable, auditId: number, environmentId: number, actor: Actor): Promise<boolean> {
  await lockInProgress(tx, auditId);
  const { rows } = await tx.query(
    `DELETE FROM accessibility_audit_environments WHERE id = $1 AND audit_id = $2 RETURNING assistive_technology, browser, operating_system`,
    [environmentId, auditId],
  );
  if (!rows[0]) return false;
  await audit(tx, {
    actor,
    action: 'accessibility.environment.remove',
    entityType: 'accessibility_audit',
    entityId: auditId,
    before: rows[0],
  });
  return true;
}

/** Grants the audit to the account of this address; 'unknown' when no account has it. */
export async function addAuditor(tx: Queryable, auditId: number, email: string, actor: Actor): Promise<'added' | 'already' | 'unknown'> {
  await lockInProgress(tx, auditId);
  const { rows } = await tx.query<{ id: number }>(`SELECT id FROM users WHERE lower(email) = lower($1)`, [email]);
  if (!rows[0]) return 'unknown';
  const { rowCount } = await tx.query(
    `INSERT INTO accessibility_audit_auditors (audit_id, user_id, granted_by) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
    [auditId, rows[0].id, actor?.id ?? null],
  );
  if (!rowCount) return 'already';
  await audit(tx, {
    actor,
    action: 'accessibility.auditor.grant',
    entityType: 'accessibility_audit',
    entityId: auditId,
    after: { email: email.toLowerCase() },
  });
  return 'added';
}

export async function removeAuditor(tx: Queryable, auditId: number, userId: number, actor: Actor): Promise<boolean> {
  const { rows } = await tx.query(
    `DELETE FROM accessibility_audit_auditors x USING users u WHERE x.audit_id = $1 AND x.user_id = $2 AND u.id = x.user_id RETURNING u.email`,
    [auditId, userId],
  );
  if (!rows[0]) return false;
  await audit(tx, {
    actor,
    action: 'accessibility.auditor.revoke',
    entityType: 'accessibility_audit',
    entityId: auditId,
    before: { email: rows[0].email },
  });
  return true;
}

export async function addProcess(tx: Queryable, auditId: number, name: string, actor: Actor): Promise<number | null> {
  await lockInProgress(tx, auditId);
  const { rows } = await tx.query<{ id: number }>(
    `INSERT INTO accessibility_audit_processes (audit_id, name, position)
     VALUES ($1, $2, (SELECT coalesce(max(position), 0) + 1 FROM accessibility_audit_processes WHERE audit_id = $1))
     ON CONFLICT (audit_id, name) DO NOTHING RETURNING id`,
    [auditId, name],
  );
  if (!rows[0]) return null;
  await audit(tx, { actor, action: 'accessibility.process.create', entityType: 'accessibility_audit', entityId: auditId, after: { name } });
  return Number(rows[0].id);
}

export async function addSamplePage(
  tx: Queryable,
  input: { auditId: number; name: string; url: string | null; kind: PageKind; processId: number | null; actor: Actor },
): Promise<number> {
  await lockInProgress(tx, input.auditId);
  return addPage(tx, input);
}

export async function removePage(tx: Queryable, auditId: number, pageId: number, actor: Actor): Promise<boolean> {
  await lockInProgress(tx, auditId);
  const { rows } = await tx.query(`DELETE FROM accessibility_audit_pages WHERE id = $1 AND audit_id = $2 RETURNING name, kind`, [
    pageId,
    auditId,
  ]);
  if (!rows[0]) return false;
  await audit(tx, {
    actor,
    action: 'accessibility.page.remove',
    entityType: 'accessibility_audit',
    entityId: auditId,
    before: { pageId, name: rows[0].name, kind: rows[0].kind },
  });
  return true;
}

/** Changes a sample page's name, address, kind or process (the audit in progress); false when no such page. */
export async function updatePage(
  tx: Queryable,
  input: { auditId: number; pageId: number; name: string; url: string | null; kind: PageKind; processId: number | null; actor: Actor },
): Promise<boolean> {
  await lockInProgress(tx, input.auditId);
  const { rows } = await tx.query(
    `UPDATE accessibility_audit_pages p SET name = $3, url = $4, kind = $5, process_id = $6
       FROM accessibility_audit_pages old
      WHERE p.id = $2 AND p.audit_id = $1 AND old.id = p.id
      RETURNING old.name, old.url, old.kind, old.process_id`,
    [input.auditId, input.pageId, input.name, input.url, input.kind, input.processId],
  );
  if (!rows[0]) return false;
  const b = rows[0];
  await audit(tx, {
    actor: input.actor,
    action: 'accessibility.page.update',
    entityType: 'accessibility_audit',
    entityId: input.auditId,
    before: {
      pageId: input.pageId,
      name: b.name,
      url: b.url,
      kind: b.kind,
      processId: b.process_id === null ? null : Number(b.process_id),
    },
    after: { pageId: input.pageId, name: input.name, url: input.url, kind: input.kind, processId: input.processId },
  });
  return true;
}

/** Moves a sample page one place up or down (swapping with its neighbour); false when it is already at that end. */
export async function movePage(tx: Queryable, auditId: number, pageId: number, direction: 'up' | 'down', actor: Actor): Promise<boolean> {
  await lockInProgress(tx, auditId);
  const { rows } = await tx.query<{ id: number; position: number; name: string }>(
    `SELECT id, position, name FROM accessibility_audit_pages WHERE audit_id = $1 ORDER BY position, id`,
    [auditId],
  );
  const i = rows.findIndex((r) => Number(r.id) === pageId);
  const j = direction === 'up' ? i - 1 : i + 1;
  if (i < 0 || j < 0 || j >= rows.length) return false;
  // Positions renumbered 1..n in the new order (older data may hold gaps or ties).
  const order = rows.map((r) => Number(r.id));
  [order[i], order[j]] = [order[j], order[i]];
  await tx.query(
    `UPDATE accessibility_audit_pages p SET position = o.n FROM unnest($2::bigint[]) WITH ORDINALITY AS o(id, n) WHERE p.id = o.id AND p.audit_id = $1`,
    [auditId, order],
  );
  await audit(tx, {
    actor,
    action: 'accessibility.page.move',
    entityType: 'accessibility_audit',
    entityId: auditId,
    before: { pageId, position: i + 1 },
    after: { pageId, name: rows[i].name, position: j + 1 },
  });
  return true;
}

/** What deleting an audit removes, counted for its confirmation page and its journal entry. */
export interface AuditFootprint {
  pages: number;
  tested: number;
  items: number;
  images: number;
  environments: number;
  auditors: number;
  shareLinks: number;
  invitations: number;
  /** Why it cannot be deleted (published, a later audit starts from it, a declaration names it), or null. */
  blocker: string | null;
}

export async function auditFootprint(db: Queryable, auditId: number): Promise<AuditFootprint | null> {
  const { rows } = await db.query(
    `SELECT au.status,
            (SELECT count(*)::int FROM accessibility_audit_pages WHERE audit_id = au.id) AS pages,
            (SELECT count(*)::int FROM accessibility_results WHERE audit_id = au.id AND status <> 'NT') AS tested,
            (SELECT count(*)::int FROM accessibility_nc_items i JOIN accessibility_audit_pages p ON p.id = i.page_id WHERE p.audit_id = au.id) AS items,
            (SELECT count(*)::int FROM accessibility_nc_images g JOIN accessibility_nc_items i ON i.id = g.item_id JOIN accessibility_audit_pages p ON p.id = i.page_id WHERE p.audit_id = au.id) AS images,
            (SELECT count(*)::int FROM accessibility_audit_environments WHERE audit_id = au.id) AS environments,
            (SELECT count(*)::int FROM accessibility_audit_auditors WHERE audit_id = au.id) AS auditors,
            (SELECT count(*)::int FROM accessibility_report_links WHERE audit_id = au.id) AS share_links,
            (SELECT count(*)::int FROM accessibility_auditor_invitations WHERE audit_id = au.id AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now()) AS invitations,
            EXISTS (SELECT 1 FROM accessibility_audits n WHERE n.previous_audit_id = au.id AND n.deleted_at IS NULL) AS has_next,
            EXISTS (SELECT 1 FROM accessibility_declarations d WHERE d.audit_id = au.id) AS declared
       FROM accessibility_audits au WHERE au.id = $1 AND au.deleted_at IS NULL`,
    [auditId],
  );
  const r = rows[0];
  if (!r) return null;
  const blocker =
    r.status !== 'in_progress'
      ? 'Un audit publié ne peut pas être supprimé : il fonde un rapport public et, le cas échéant, une déclaration d’accessibilité.'
      : r.has_next
        ? 'Un contre-audit part de cet audit : supprimez d’abord le contre-audit.'
        : r.declared
          ? 'Une déclaration d’accessibilité est rattachée à cet audit.'
          : null;
  return {
    pages: Number(r.pages),
    tested: Number(r.tested),
    items: Number(r.items),
    images: Number(r.images),
    environments: Number(r.environments),
    auditors: Number(r.auditors),
    shareLinks: Number(r.share_links),
    invitations: Number(r.invitations),
    blocker,
  };
}

/**
 * Deletes an audit in progress and everything it holds (sample, grid, items and screenshots, environments, auditors'
 * grants, share links, invitations: cascading foreign keys), with a journal entry that keeps its name and counts.
 * 'blocked' when it is published or another audit or a declaration depends on it; 'missing' when there is none.
 */
export async function deleteAudit(tx: Queryable, auditId: number, actor: Actor): Promise<'deleted' | 'blocked' | 'missing'> {
  const { rows: locked } = await tx.query(
    `SELECT id, name, procedure_id, audit_type FROM accessibility_audits WHERE id = $1 AND deleted_at IS NULL FOR UPDATE`,
    [auditId],
  );
  if (!locked[0]) return 'missing';
  const footprint = (await auditFootprint(tx, auditId))!;
  if (footprint.blocker) return 'blocked';
  await tx.query(`DELETE FROM accessibility_audits WHERE id = $1`, [auditId]);
  const { blocker: _, ...counts } = footprint;
  await audit(tx, {
    actor,
    action: 'accessibility.audit.delete',
    entityType: 'accessibility_audit',
    entityId: auditId,
    before: { name: locked[0].name, procedureId: Number(locked[0].procedure_id), type: locked[0].audit_type, ...counts },
  });
  return 'deleted';
}

export interface NcItem {
  id: number;
  pageId: number;
  criterion: string;
  position: number;
  description: string;
  impact: Impact | null;
  quickWin: boolean;
  recommendation: string;
  origin: 'manual' | 'automatic';
  confirmed: boolean;
  scanRule: string | null;
  hasImage: boolean;
  imageAlt: string;
}

export interface Cell {
  pageId: number;
  criterion: string;
  status: ResultStatus;
  note: string;
  version: number;
  updatedBy: string | null;
  items: NcItem[];
}

const ITEM_SELECT = `SELECT i.id, i.page_id, i.criterion, i.position, i.description, i.impact, i.quick_win, i.recommendation, i.origin, i.confirmed,
       i.scan_rule, (img.item_id IS NOT NULL) AS has_image, coalesce(img.alt, '') AS image_alt
  FROM accessibility_nc_items i LEFT JOIN accessibility_nc_images img ON img.item_id = i.id`;

function itemRow(r: Record<string, any>): NcItem {
  return {
    id: Number(r.id),
    pageId: Number(r.page_id),
    criterion: r.criterion,
    position: Number(r.position),
    description: r.description,
    impact: r.impact,
    quickWin: r.quick_win,
    recommendation: r.recommendation,
    origin: r.origin,
    confirmed: r.confirmed,
    scanRule: r.scan_rule,
    hasImage: r.has_image,
    imageAlt: r.image_alt,
  };
}

/** The cells of some pages of an audit (all when `pageIds` is null), with their items, by page then criterion. */
export async function loadCells(db: Queryable, auditId: number, pageIds: number[] | null = null): Promise<Map<number, Map<string, Cell>>> {
  const [results, items] = await Promise.all([
    db.query(
      `SELECT r.page_id, r.criterion, r.status, r.note, r.version, coalesce(nullif(u.display_name, ''), u.email) AS updated_by
         FROM accessibility_results r LEFT JOIN users u ON u.id = r.updated_by
        WHERE r.audit_id = $1 AND ($2::bigint[] IS NULL OR r.page_id = ANY($2::bigint[]))`,
      [auditId, pageIds],
      { name: 'accessibility_load_cells' },
    ),
    db.query(
      `${ITEM_SELECT} JOIN accessibility_audit_pages p ON p.id = i.page_id
        WHERE p.audit_id = $1 AND ($2::bigint[] IS NULL OR i.page_id = ANY($2::bigint[])) ORDER BY i.page_id, i.criterion, i.position, i.id`,
      [auditId, pageIds],
      { name: 'accessibility_load_items' },
    ),
  ]);
  const cells = new Map<number, Map<string, Cell>>();
  for (const r of results.rows) {
    const pageId = Number(r.page_id);
    let page = cells.get(pageId);
    if (!page) cells.set(pageId, (page = new Map()));
    page.set(r.criterion, {
      pageId,
      criterion: r.criterion,
      status: r.status,
      note: r.note,
      version: Number(r.version),
      updatedBy: r.updated_by,
      items: [],
    });
  }
  for (const r of items.rows) cells.get(Number(r.page_id))?.get(r.criterion)?.items.push(itemRow(r));
  return cells;
}

export async function loadCell(db: Queryable, auditId: number, pageId: number, criterion: string): Promise<Cell | null> {
  return (await loadCells(db, auditId, [pageId])).get(pageId)?.get(criterion) ?? null;
}

/** Bumps a cell's version (its items changed) on an audit in progress; false if the cell is not there. */
async function touchCell(tx: Queryable, auditId: number, pageId: number, criterion: string, actor: Actor): Promise<number | null> {
  const { rows } = await tx.query<{ version: number }>(
    `UPDATE accessibility_results SET version = version + 1, updated_by = $4, updated_at = now()
      WHERE audit_id = $1 AND page_id = $2 AND criterion = $3 RETURNING version`,
    [auditId, pageId, criterion, actor?.id ?? null],
  );
  return rows[0] ? Number(rows[0].version) : null;
}

export interface ItemInput {
  description: string;
  impact: Impact | null;
  quickWin: boolean;
  recommendation: string;
  image?: { contentType: string; bytes: Buffer; alt: string } | null;
}

/** Adds an item to a cell (adding never loses anyone's work: no version check); null if the cell does not exist. */
export async function addItem(
  tx: Queryable,
  input: ItemInput & {
    auditId: number;
    pageId: number;
    criterion: string;
    actor: Actor;
    origin?: 'manual' | 'automatic';
    scanRule?: string | null;
  },
): Promise<number | null> {
  await lockInProgress(tx, input.auditId);
  if ((await touchCell(tx, input.auditId, input.pageId, input.criterion, input.actor)) === null) return null;
  const automatic = input.origin === 'automatic';
  const { rows } = await tx.query<{ id: number }>(
    `INSERT INTO accessibility_nc_items (page_id, criterion, position, description, impact, quick_win, recommendation, origin, confirmed, scan_rule)
     VALUES ($1, $2, (SELECT coalesce(max(position), 0) + 1 FROM accessibility_nc_items WHERE page_id = $1 AND criterion = $2), $3, $4, $5, $6, $7, $8, $9)
     RETURNING id`,
    [
      input.pageId,
      input.criterion,
      input.description,
      input.impact,
      input.quickWin,
      input.recommendation,
      automatic ? 'automatic' : 'manual',
      !automatic,
      input.scanRule ?? null,
    ],
  );
  const id = Number(rows[0].id);
  if (input.image) {
    await tx.query(`INSERT INTO accessibility_nc_images (item_id, content_type, bytes, alt) VALUES ($1, $2, $3, $4)`, [
      id,
      input.image.contentType,
      input.image.bytes,
      input.image.alt,
    ]);
  }
  await audit(tx, {
    actor: input.actor,
    action: automatic ? 'accessibility.item.import' : 'accessibility.item.create',
    entityType: 'accessibility_audit',
    entityId: input.auditId,
    after: {
      pageId: input.pageId,
      criterion: input.criterion,
      itemId: id,
      description: input.description,
      impact: input.impact,
      quickWin: input.quickWin,
    },
  });
  return id;
}

export type ItemChange = { outcome: 'saved' } | { outcome: 'conflict'; current: Cell } | { outcome: 'missing' };

/**
 * Changes an item (or deletes it, or confirms an automatic one) if its cell has not changed since `expectedVersion`:
 * the same optimistic rule as the cell's status, so that two auditors never overwrite each other's item unseen.
 */
export async function changeItem(
  tx: Queryable,
  input: { auditId: number; itemId: number; expectedVersion: number; actor: Actor } & (
    | { action: 'update'; item: ItemInput }
    | { action: 'delete' }
    | { action: 'confirm' }
  ),
): Promise<ItemChange> {
  await lockInProgress(tx, input.auditId);
  const { rows } = await tx.query(
    `${ITEM_SELECT} JOIN accessibility_audit_pages p ON p.id = i.page_id WHERE i.id = $1 AND p.audit_id = $2`,
    [input.itemId, input.auditId],
  );
  if (!rows[0]) return { outcome: 'missing' };
  const item = itemRow(rows[0]);
  const { rowCount } = await tx.query(
    `UPDATE accessibility_results SET version = version + 1, updated_by = $5, updated_at = now()
      WHERE audit_id = $1 AND page_id = $2 AND criterion = $3 AND version = $4`,
    [input.auditId, item.pageId, item.criterion, input.expectedVersion, input.actor?.id ?? null],
  );
  if (!rowCount) return { outcome: 'conflict', current: (await loadCell(tx, input.auditId, item.pageId, item.criterion))! };
  const before = {
    pageId: item.pageId,
    criterion: item.criterion,
    itemId: item.id,
    description: item.description,
    impact: item.impact,
    quickWin: item.quickWin,
  };
  if (input.action === 'delete') {
    await tx.query(`DELETE FROM accessibility_nc_items WHERE id = $1`, [item.id]);
    await audit(tx, {
      actor: input.actor,
      action: item.confirmed ? 'accessibility.item.delete' : 'accessibility.item.discard',
      entityType: 'accessibility_audit',
      entityId: input.auditId,
      before,
    });
  } else if (input.action === 'confirm') {
    await tx.query(`UPDATE accessibility_nc_items SET confirmed = true, updated_at = now() WHERE id = $1`, [item.id]);
    await audit(tx, {
      actor: input.actor,
      action: 'accessibility.item.confirm',
      entityType: 'accessibility_audit',
      entityId: input.auditId,
      after: before,
    });
  } else {
    const it = input.item;
    await tx.query(
      `UPDATE accessibility_nc_items SET description = $2, impact = $3, quick_win = $4, recommendation = $5, updated_at = now() WHERE id = $1`,
      [item.id, it.description, it.impact, it.quickWin, it.recommendation],
    );
    if (it.image) {
      await tx.query(
        `INSERT INTO accessibility_nc_images (item_id, content_type, bytes, alt) VALUES ($1, $2, $3, $4)
         ON CONFLICT (item_id) DO UPDATE SET content_type = excluded.content_type, bytes = excluded.bytes, alt = excluded.alt, created_at = now()`,
        [item.id, it.image.contentType, it.image.bytes, it.image.alt],
      );
    }
    await audit(tx, {
      actor: input.actor,
      action: 'accessibility.item.update',
      entityType: 'accessibility_audit',
      entityId: input.auditId,
      before,
      after: { ...before, description: it.description, impact: it.impact, quickWin: it.quickWin },
    });
  }
  return { outcome: 'saved' };
}

export async function itemImage(db: Queryable, auditId: number, itemId: number): Promise<{ contentType: string; bytes: Buffer } | null> {
  const { rows } = await db.query(
    `SELECT img.content_type, img.bytes FROM accessibility_nc_images img JOIN accessibility_nc_items i ON i.id = img.item_id
       JOIN accessibility_audit_pages p ON p.id = i.page_id WHERE img.item_id = $1 AND p.audit_id = $2`,
    [itemId, auditId],
  );
  return rows[0] ? { contentType: rows[0].content_type, bytes: Buffer.from(rows[0].bytes) } : null;
}

/**
 * « Appliquer à toutes les pages »: gives this status to the criterion on every other page of the audit where it is
 * still « non testé » (a cell someone has already tested keeps its value). Returns how many cells changed and how
 * many were left as they were.
 */
export async function applyToUntestedPages(
  tx: Queryable,
  input: { auditId: number; fromPageId: number; criterion: string; status: ResultStatus; actor: Actor },
): Promise<{ changed: number; kept: number }> {
  await lockInProgress(tx, input.auditId);
  const { rows } = await tx.query<{ page_id: number }>(
    `UPDATE accessibility_results SET status = $4, version = version + 1, updated_by = $5, updated_at = now()
      WHERE audit_id = $1 AND criterion = $2 AND page_id <> $3 AND status = 'NT' RETURNING page_id`,
    [input.auditId, input.criterion, input.fromPageId, input.status, input.actor?.id ?? null],
  );
  const { rows: others } = await tx.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM accessibility_results WHERE audit_id = $1 AND criterion = $2 AND page_id <> $3`,
    [input.auditId, input.criterion, input.fromPageId],
  );
  if (rows.length) {
    await audit(tx, {
      actor: input.actor,
      action: 'accessibility.result.apply_all',
      entityType: 'accessibility_audit',
      entityId: input.auditId,
      after: { criterion: input.criterion, status: input.status, pages: rows.map((r) => Number(r.page_id)) },
    });
  }
  return { changed: rows.length, kept: Number(others[0].n) - rows.length };
}

/** Publishes a complete audit (every cell tested): from then on it is immutable. */
export async function publishAudit(tx: Queryable, auditId: number, actor: Actor): Promise<'published' | 'incomplete'> {
  await lockInProgress(tx, auditId);
  const { rows } = await tx.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM accessibility_results WHERE audit_id = $1 AND status = 'NT'`,
    [auditId],
  );
  const { rows: pages } = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM accessibility_audit_pages WHERE audit_id = $1`, [
    auditId,
  ]);
  if (Number(rows[0].n) > 0 || Number(pages[0].n) === 0) return 'incomplete';
  await tx.query(
    `UPDATE accessibility_audits SET status = 'published', published_at = now(), published_by = $2, version = version + 1, updated_at = now() WHERE id = $1`,
    [auditId, actor?.id ?? null],
  );
  await audit(tx, {
    actor,
    action: 'accessibility.audit.publish',
    entityType: 'accessibility_audit',
    entityId: auditId,
    before: { status: 'in_progress' },
    after: { status: 'published' },
  });
  return 'published';
}

/**
 * A re-audit: a new audit « en cours » of the same procedure and type, starting from a copy of the previous one's
 * fields, environments, auditors, processes, sample, results and items (images included).
 */
export async function startReaudit(tx: Queryable, previousId: number, name: string, actor: Actor): Promise<number> {
  const prev = await getAudit(tx, previousId);
  if (!prev) throw new Error(`No audit ${previousId}`);
  const id = await createAuditWith(tx, {
    procedureId: prev.procedureId,
    type: prev.type,
    name,
    siteUrl: prev.siteUrl,
    auditedBy: prev.auditedBy,
    tools: prev.tools,
    startedOn: null,
    finishedOn: null,
    environments: prev.environments,
    actor,
  });
  await tx.query(`UPDATE accessibility_audits SET previous_audit_id = $2 WHERE id = $1`, [id, previousId]);
  await tx.query(
    `INSERT INTO accessibility_audit_auditors (audit_id, user_id, granted_by) SELECT $1, user_id, granted_by FROM accessibility_audit_auditors WHERE audit_id = $2`,
    [id, previousId],
  );
  const processMap = new Map<number, number>();
  for (const p of prev.processes) {
    const { rows } = await tx.query<{ id: number }>(
      `INSERT INTO accessibility_audit_processes (audit_id, name, position) SELECT $1, name, position FROM accessibility_audit_processes WHERE id = $2 RETURNING id`,
      [id, p.id],
    );
    processMap.set(p.id, Number(rows[0].id));
  }
  for (const page of prev.pages) {
    const { rows } = await tx.query<{ id: number }>(
      `INSERT INTO accessibility_audit_pages (audit_id, position, name, url, kind, process_id) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [id, page.position, page.name, page.url, page.kind, page.processId === null ? null : processMap.get(page.processId)],
    );
    const newPage = Number(rows[0].id);
    await tx.query(
      `INSERT INTO accessibility_results (audit_id, page_id, criterion, status, note, updated_by)
       SELECT $1, $2, criterion, status, note, $4 FROM accessibility_results WHERE page_id = $3`,
      [id, newPage, page.id, actor?.id ?? null],
    );
    const { rows: items } = await tx.query<{ id: number; new_id: number }>(
      `WITH src AS (SELECT * FROM accessibility_nc_items WHERE page_id = $2 ORDER BY criterion, position, id),
            ins AS (INSERT INTO accessibility_nc_items (page_id, criterion, position, description, impact, quick_win, recommendation, origin, confirmed, scan_rule)
                    SELECT $1, criterion, position, description, impact, quick_win, recommendation, origin, confirmed, scan_rule FROM src
                    RETURNING id, criterion, position)
       SELECT s.id, i.id AS new_id FROM src s JOIN ins i ON i.criterion = s.criterion AND i.position = s.position`,
      [newPage, page.id],
    );
    for (const it of items) {
      await tx.query(
        `INSERT INTO accessibility_nc_images (item_id, content_type, bytes, alt) SELECT $1, content_type, bytes, alt FROM accessibility_nc_images WHERE item_id = $2`,
        [it.new_id, it.id],
      );
    }
  }
  await audit(tx, {
    actor,
    action: 'accessibility.audit.reaudit',
    entityType: 'accessibility_audit',
    entityId: id,
    after: { previousAuditId: previousId, name },
  });
  return id;
}

export interface AuditChange {
  pageName: string;
  criterion: string;
  before: ResultStatus;
  after: ResultStatus;
  kind: 'fixed' | 'new_nc' | 'other';
}

/** What changed in a re-audit since the audit it was copied from, page by page (matched by position and name). */
export async function changesSincePrevious(db: Queryable, auditId: number, previousId: number): Promise<AuditChange[]> {
  const { rows } = await db.query<{ page_name: string; criterion: string; before: ResultStatus; after: ResultStatus }>(
    `SELECT np.name AS page_name, nr.criterion, pr.status AS before, nr.status AS after
       FROM accessibility_results nr
       JOIN accessibility_audit_pages np ON np.id = nr.page_id
       JOIN accessibility_audit_pages pp ON pp.audit_id = $2 AND pp.position = np.position AND pp.name = np.name
       JOIN accessibility_results pr ON pr.page_id = pp.id AND pr.criterion = nr.criterion
      WHERE nr.audit_id = $1 AND nr.status <> pr.status
      ORDER BY np.position, np.id, split_part(nr.criterion, '.', 1)::int, split_part(nr.criterion, '.', 2)::int`,
    [auditId, previousId],
  );
  return rows.map((r) => ({
    pageName: r.page_name,
    criterion: r.criterion,
    before: r.before,
    after: r.after,
    kind: (r.before === 'NC' && r.after !== 'NC' && r.after !== 'NT'
      ? 'fixed'
      : r.after === 'NC' && r.before !== 'NC'
        ? 'new_nc'
        : 'other') as AuditChange['kind'],
  }));
}

export { lockInProgress };
