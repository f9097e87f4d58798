import type { Queryable } from '../../kernel/db/db.ts';
import { audit, type AuditEntry } from '../../kernel/audit/audit.ts';
import { referential, RGAA_VERSIONS, type AuditType, type RgaaVersion } from '../rgaa/referential.ts';
import { computeConformity, type AuditPageResults, type Conformity, type ResultStatus } from '../conformity/rate.ts';
import type { PageKind } from './model.ts';

type Actor = AuditEntry['actor'];

function versionOf(value: string): RgaaVersion {
  const v = RGAA_VERSIONS.find((x) => x === value);
  if (!v) throw new Error(`Unknown RGAA version ${value}`);
  return v;
}

/** Creates an audit « en cours » of a procedure. Call it inside a transaction (the journal entry goes with it). */
export async function createAudit(
  tx: Queryable,
  input: { procedureId: number; type: AuditType; name: string; actor: Actor; rgaaVersion?: RgaaVersion; isDemo?: boolean },
): Promise<number> {
  const { rows } = await tx.query<{ id: number }>(
    `INSERT INTO accessibility_audits (procedure_id, audit_type, name, rgaa_version, created_by, is_demo)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [input.procedureId, input.type, input.name, input.rgaaVersion ?? '4.1.2', input.actor?.id ?? null, input.isDemo ?? false],
  );
  const id = Number(rows[0].id);
  await audit(tx, {
    actor: input.actor,
    action: 'accessibility.audit.create',
    entityType: 'accessibility_audit',
    entityId: id,
    after: { procedureId: input.procedureId, type: input.type, name: input.name },
  });
  return id;
}

/**
 * Adds a page to an audit's sample with one « non testé » cell per criterion of the audit's type, so that every later
 * save is an update of a versioned row. Call it inside a transaction.
 */
export async function addPage(
  tx: Queryable,
  input: { auditId: number; name: string; url?: string | null; kind: PageKind; processId?: number | null; actor: Actor },
): Promise<number> {
  const { rows: audits } = await tx.query<{ audit_type: AuditType; rgaa_version: string }>(
    'SELECT audit_type, rgaa_version FROM accessibility_audits WHERE id = $1',
    [input.auditId],
  );
  if (!audits[0]) throw new Error(`No audit ${input.auditId}`);
  const criteria = referential(versionOf(audits[0].rgaa_version)).auditCriteria(audits[0].audit_type);
  const { rows } = await tx.query<{ id: number }>(
    `INSERT INTO accessibility_audit_pages (audit_id, position, name, url, kind, process_id)
     VALUES ($1, (SELECT coalesce(max(position), 0) + 1 FROM accessibility_audit_pages WHERE audit_id = $1), $2, $3, $4, $5)
     RETURNING id`,
    [input.auditId, input.name, input.url ?? null, input.kind, input.processId ?? null],
  );
  const pageId = Number(rows[0].id);
  await tx.query(
    `INSERT INTO accessibility_results (audit_id, page_id, criterion, updated_by)
     SELECT $1, $2, c, $4 FROM unnest($3::text[]) AS c`,
    [input.auditId, pageId, criteria, input.actor?.id ?? null],
  );
  await audit(tx, {
    actor: input.actor,
    action: 'accessibility.page.create',
    entityType: 'accessibility_audit',
    entityId: input.auditId,
    after: { pageId, name: input.name, kind: input.kind },
  });
  return pageId;
}

export interface CellValue {
  status: ResultStatus;
  note: string;
  version: number;
  updatedBy: number | null;
}

export type SaveResult =
  | { outcome: 'saved'; version: number }
  /** Someone saved this cell since `expectedVersion`: their value, which stays; the refused one is not written. */
  | { outcome: 'conflict'; current: CellValue }
  /** The audit is published (immutable) or deleted. */
  | { outcome: 'refused' }
  /** No such cell: the page or the criterion is not part of the audit. */
  | { outcome: 'missing' };

/**
 * Saves one cell of the grid if nobody saved it since the version the auditor saw (optimistic concurrency): two auditors
 * on the same audit never overwrite each other's work without seeing it.
 *
 * The hot path of the grid (every change an auditor makes): one statement that updates the cell and writes its journal
 * entry together (a data-modifying WITH, atomic on its own, so it needs no surrounding transaction and holds the row lock
 * for that statement only); nothing about the rest of the audit is read or recomputed. The journal row has the columns
 * and values the kernel's `audit()` writes. Only a refused save reads the cell again (to show the other value).
 * With `auditId`, a page of another audit finds no cell.
 */
export async function saveResult(
  tx: Queryable,
  input: {
    pageId: number;
    criterion: string;
    status: ResultStatus;
    note?: string;
    expectedVersion: number;
    actor: Actor;
    auditId?: number;
  },
): Promise<SaveResult> {
  const { rows } = await tx.query<{ version: number; audit_id: number; before_status: ResultStatus }>(
    `WITH saved AS (
       UPDATE accessibility_results r
          SET status = $3, note = coalesce($4, r.note), version = r.version + 1, updated_by = $6, updated_at = now()
         FROM accessibility_audits a, accessibility_results prev
        WHERE r.page_id = $1 AND r.criterion = $2 AND r.version = $5 AND ($8::bigint IS NULL OR r.audit_id = $8)
          AND prev.page_id = r.page_id AND prev.criterion = r.criterion
          AND a.id = r.audit_id AND a.status = 'in_progress' AND a.deleted_at IS NULL
        RETURNING r.version, r.audit_id, prev.status AS before_status
     ), journal AS (
       INSERT INTO audit_log (actor_id, actor_label, action, entity_type, entity_id, before, after, ip_hash)
       SELECT $6, $7, 'accessibility.result.save', 'accessibility_audit', saved.audit_id::text,
              jsonb_build_object('pageId', $1::bigint, 'criterion', $2::text, 'status', saved.before_status),
              jsonb_build_object('pageId', $1::bigint, 'criterion', $2::text, 'status', $3::text, 'version', saved.version),
              NULL
         FROM saved
     )
     SELECT version, audit_id, before_status FROM saved`,
    [
      input.pageId,
      input.criterion,
      input.status,
      input.note ?? null,
      input.expectedVersion,
      input.actor?.id ?? null,
      input.actor?.email ?? 'système',
      input.auditId ?? null,
    ],
    { name: 'accessibility_save_result_journal' },
  );
  const saved = rows[0];
  if (saved) return { outcome: 'saved', version: Number(saved.version) };
  const { rows: current } = await tx.query<{
    status: ResultStatus;
    note: string;
    version: number;
    updated_by: number | null;
    audit_status: string;
    deleted_at: string | null;
  }>(
    `SELECT r.status, r.note, r.version, r.updated_by, a.status AS audit_status, a.deleted_at
       FROM accessibility_results r JOIN accessibility_audits a ON a.id = r.audit_id
      WHERE r.page_id = $1 AND r.criterion = $2 AND ($3::bigint IS NULL OR r.audit_id = $3)`,
    [input.pageId, input.criterion, input.auditId ?? null],
  );
  const cell = current[0];
  if (!cell) return { outcome: 'missing' };
  if (cell.audit_status !== 'in_progress' || cell.deleted_at !== null) return { outcome: 'refused' };
  return {
    outcome: 'conflict',
    current: {
      status: cell.status,
      note: cell.note,
      version: Number(cell.version),
      updatedBy: cell.updated_by === null ? null : Number(cell.updated_by),
    },
  };
}

/**
 * The conformity of an audit as it stands (rate, label, page rates, progress), or null when there is no such audit.
 * One indexed query: the audit and, per page, its cells folded by the database into one string (« 1.1=C,1.2=NC… »), so
 * that 20 rows come back for a full audit of 20 pages instead of 2 120; the rate itself is the pure `computeConformity`.
 */
type ConformityRow = {
  audit_id: number;
  audit_type: AuditType;
  rgaa_version: string;
  page_id: number | null;
  kind: string | null;
  process_id: number | null;
  cells: string | null;
};

const conformitySelect = `SELECT a.id AS audit_id, a.audit_type, a.rgaa_version, p.id AS page_id, p.kind, p.process_id,
            (SELECT string_agg(r.criterion || '=' || r.status, ',') FROM accessibility_results r WHERE r.page_id = p.id) AS cells
       FROM accessibility_audits a
       LEFT JOIN accessibility_audit_pages p ON p.audit_id = a.id`;

/** One audit's rows (its pages in order) → its conformity. */
function conformityOf(rows: ConformityRow[]): Conformity {
  const criteria = referential(versionOf(rows[0]!.rgaa_version)).auditCriteria(rows[0]!.audit_type);
  const pages: AuditPageResults[] = [];
  for (const row of rows) {
    if (row.page_id === null) continue;
    const results = new Map<string, ResultStatus>();
    for (const pair of (row.cells ?? '').split(',')) {
      const at = pair.indexOf('=');
      if (at > 0) results.set(pair.slice(0, at), pair.slice(at + 1) as ResultStatus);
    }
    pages.push({
      id: Number(row.page_id),
      process: row.process_id === null ? null : Number(row.process_id),
      transverse: row.kind === 'transverse',
      results,
    });
  }
  return computeConformity(criteria, pages);
}

export async function auditConformity(db: Queryable, auditId: number): Promise<Conformity | null> {
  const { rows } = await db.query<ConformityRow>(
    `${conformitySelect}
      WHERE a.id = $1 AND a.deleted_at IS NULL
      ORDER BY p.position, p.id`,
    [auditId],
    { name: 'accessibility_audit_conformity' },
  );
  return rows[0] ? conformityOf(rows) : null;
}

/** The conformity of several audits in one query (no query per audit); deleted or unknown audits are absent. */
export async function auditsConformity(db: Queryable, auditIds: number[]): Promise<Map<number, Conformity>> {
  const result = new Map<number, Conformity>();
  if (auditIds.length === 0) return result;
  const { rows } = await db.query<ConformityRow>(
    `${conformitySelect}
      WHERE a.id = ANY($1::bigint[]) AND a.deleted_at IS NULL
      ORDER BY a.id, p.position, p.id`,
    [auditIds],
  );
  let from = 0;
  for (let i = 1; i <= rows.length; i++) {
    if (i === rows.length || Number(rows[i]!.audit_id) !== Number(rows[from]!.audit_id)) {
      result.set(Number(rows[from]!.audit_id), conformityOf(rows.slice(from, i)));
      from = i;
    }
  }
  return result;
}
