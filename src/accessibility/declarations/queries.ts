import type { Queryable } from '../../kernel/db/db.ts';
import { run, sql } from '../../kernel/db/sql.ts';
import { todayInParis } from '../../kernel/web/format.ts';
import { audit, type AuditEntry } from '../../kernel/audit/audit.ts';
import { auditConformity } from '../audits/queries.ts';
import { CONFORMITY_LABEL_TEXT, conformityMention, displayRate } from '../conformity/rate.ts';
import { referential, RGAA_VERSIONS, type RgaaVersion } from '../rgaa/referential.ts';
import { lines, REMEDIES, type DeclarationContent } from './content.ts';
import {
  declarationValidity,
  handicapValue,
  type DeclarationFacts,
  type DeclarationRules,
  type RgaaVersionDate,
  type Validity,
} from './validity.ts';

type Actor = AuditEntry['actor'];

export interface AccessibilityRules extends DeclarationRules {
  goalFirstPercent: number;
  goalFirstDate: string | null;
  goalFinalPercent: number;
  goalFinalDate: string | null;
}

/** The rules as the steering team set them (`accessibility_rules`, one row). */
export async function loadRules(db: Queryable): Promise<AccessibilityRules> {
  const { rows } = await db.query('SELECT * FROM accessibility_rules WHERE id');
  const r = rows[0];
  return {
    validityMonths: Number(r.validity_months),
    newVersionMonths: Number(r.new_version_months),
    warningDays: Number(r.warning_days),
    auditMaxAgeMonths: Number(r.audit_max_age_months),
    goalFirstPercent: Number(r.goal_first_percent),
    goalFirstDate: r.goal_first_date,
    goalFinalPercent: Number(r.goal_final_percent),
    goalFinalDate: r.goal_final_date,
  };
}

export async function loadRgaaVersions(db: Queryable): Promise<RgaaVersionDate[]> {
  const { rows } = await db.query<{ version: string; published_on: string }>(
    'SELECT version, published_on FROM accessibility_rgaa_versions ORDER BY published_on',
  );
  return rows.map((r) => ({ version: r.version, publishedOn: r.published_on }));
}

/** The fields of a declaration the team edits (what an audit cannot know). */
export const EDITABLE_FIELDS = [
  'organisation_name',
  'service_name',
  'engagement',
  'technologies',
  'contact_email',
  'contact_form_url',
  'contact_page_url',
  'non_conformity_notes',
  'derogations',
  'exempted_contents',
] as const;
export type EditableField = (typeof EDITABLE_FIELDS)[number];
export type DraftFields = Record<EditableField, string>;

export interface DeclarationRow extends DraftFields {
  id: number;
  procedure_id: number;
  audit_id: number | null;
  published: DeclarationContent | null;
  published_at: string | null;
  first_published_at: string | null;
  redesigned_on: string | null;
  version: number;
}

export async function getDeclaration(db: Queryable, procedureId: number): Promise<DeclarationRow | null> {
  const { rows } = await db.query<DeclarationRow>('SELECT * FROM accessibility_declarations WHERE procedure_id = $1', [procedureId]);
  const r = rows[0];
  if (!r) return null;
  return {
    ...r,
    id: Number(r.id),
    procedure_id: Number(r.procedure_id),
    audit_id: r.audit_id === null ? null : Number(r.audit_id),
    version: Number(r.version),
    published: parseJson(r.published),
  };
}

function parseJson<T>(value: unknown): T | null {
  if (value === null || value === undefined) return null;
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

/** The latest published full audit of a procedure (only a full audit can back a declaration). */
export async function latestPublishedFullAudit(
  db: Queryable,
  procedureId: number,
): Promise<{ id: number; name: string; publishedAt: string } | null> {
  const { rows } = await db.query(
    `SELECT id, name, published_at FROM accessibility_audits
      WHERE procedure_id = $1 AND audit_type = 'full' AND status = 'published' AND deleted_at IS NULL
      ORDER BY published_at DESC, id DESC LIMIT 1`,
    [procedureId],
  );
  return rows[0] ? { id: Number(rows[0].id), name: rows[0].name, publishedAt: new Date(rows[0].published_at).toISOString() } : null;
}

interface ProcedureFacts {
  id: number;
  stableId: string;
  title: string;
  url: string | null;
  administrationId: number;
  administration: string;
  ministryId: number;
}

export async function procedureFacts(db: Queryable, procedureId: number): Promise<ProcedureFacts | null> {
  const { rows } = await db.query(
    `SELECT p.id, p.stable_id, p.title, p.url, p.administration_id, a.name AS administration, a.ministry_id
       FROM procedures p JOIN administrations a ON a.id = p.administration_id WHERE p.id = $1`,
    [procedureId],
  );
  const r = rows[0];
  return r
    ? {
        id: Number(r.id),
        stableId: r.stable_id,
        title: r.title,
        url: r.url,
        administrationId: Number(r.administration_id),
        administration: r.administration,
        ministryId: Number(r.ministry_id),
      }
    : null;
}

export type GenerateResult = { outcome: 'generated'; auditId: number } | { outcome: 'no_audit' };

/**
 * Creates (or points to a newer audit) the draft declaration of a procedure from its latest published full audit. The
 * first draft takes the organisation and the service from the catalogue; the team completes the rest.
 */
export async function generateDeclaration(
  tx: Queryable,
  input: { procedureId: number; actor: Actor; isDemo?: boolean },
): Promise<GenerateResult> {
  const found = await latestPublishedFullAudit(tx, input.procedureId);
  if (!found) return { outcome: 'no_audit' };
  const p = await procedureFacts(tx, input.procedureId);
  if (!p) return { outcome: 'no_audit' };
  const before = await getDeclaration(tx, input.procedureId);
  await tx.query(
    `INSERT INTO accessibility_declarations (procedure_id, audit_id, organisation_name, service_name, is_demo)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (procedure_id) DO UPDATE SET audit_id = excluded.audit_id, version = accessibility_declarations.version + 1, updated_at = now()`,
    [input.procedureId, found.id, p.administration, p.title, input.isDemo ?? false],
  );
  await audit(tx, {
    actor: input.actor,
    action: 'accessibility.declaration.generate',
    entityType: 'procedure',
    entityId: input.procedureId,
    before: before ? { auditId: before.audit_id } : undefined,
    after: { auditId: found.id },
  });
  return { outcome: 'generated', auditId: found.id };
}

export type SaveDraftResult =
  | { outcome: 'saved'; version: number }
  | { outcome: 'conflict'; current: DeclarationRow }
  | { outcome: 'missing' };

/** Saves the team's fields if nobody saved them since `expectedVersion`. */
export async function saveDeclarationDraft(
  tx: Queryable,
  input: { procedureId: number; fields: DraftFields; expectedVersion: number; actor: Actor },
): Promise<SaveDraftResult> {
  const before = await getDeclaration(tx, input.procedureId);
  if (!before) return { outcome: 'missing' };
  // The columns are the code's (EDITABLE_FIELDS), the values parameters: no placeholder counted by hand.
  const assignments = sql.join(
    EDITABLE_FIELDS.map((f) => sql`${sql.identifier(f)} = ${input.fields[f]}`),
    ', ',
  );
  const { rows } = await run<{ version: number }>(
    tx,
    sql`UPDATE accessibility_declarations SET ${assignments}, version = version + 1, updated_at = now()
      WHERE procedure_id = ${input.procedureId} AND version = ${input.expectedVersion} RETURNING version`,
  );
  if (!rows[0]) return { outcome: 'conflict', current: before };
  const changedBefore: Record<string, string> = {};
  const changedAfter: Record<string, string> = {};
  for (const f of EDITABLE_FIELDS) {
    if (before[f] !== input.fields[f]) {
      changedBefore[f] = before[f];
      changedAfter[f] = input.fields[f];
    }
  }
  await audit(tx, {
    actor: input.actor,
    action: 'accessibility.declaration.update',
    entityType: 'procedure',
    entityId: input.procedureId,
    before: changedBefore,
    after: changedAfter,
  });
  return { outcome: 'saved', version: Number(rows[0].version) };
}

function versionOf(value: string): RgaaVersion {
  const v = RGAA_VERSIONS.find((x) => x === value);
  if (!v) throw new Error(`Unknown RGAA version ${value}`);
  return v;
}

const stripMarkdown = (text: string) => text.replace(/\[([^\]]+)\]\([^)]*\)/g, '$1').replace(/`/g, '');

/** Links to the plans of the procedure's administration, else of its ministry (the engagement section names them). */
export async function planLinksFor(
  db: Queryable,
  p: { administrationId: number; ministryId: number },
  year: number,
): Promise<{ multiYearPlanUrl: string | null; actionPlanUrl: string | null }> {
  const { rows } = await db.query(
    `SELECT id, start_year, end_year FROM accessibility_plans
      WHERE (administration_id = $1 OR ministry_id = $2) AND published_at IS NOT NULL
      ORDER BY (administration_id IS NOT NULL) DESC, (start_year <= $3 AND end_year >= $3) DESC, start_year DESC LIMIT 1`,
    [p.administrationId, p.ministryId, year],
  );
  const plan = rows[0];
  if (!plan) return { multiYearPlanUrl: null, actionPlanUrl: null };
  const inRange = Number(plan.start_year) <= year && Number(plan.end_year) >= year;
  return {
    multiYearPlanUrl: `/plans-accessibilite/${plan.id}`,
    actionPlanUrl: inRange ? `/plans-accessibilite/${plan.id}/plan-annuel/${year}` : null,
  };
}

/** The declaration as it would be published today: the audit's facts and the team's fields, in the legal order. */
export async function buildDeclarationContent(db: Queryable, row: DeclarationRow, today: string): Promise<DeclarationContent | null> {
  if (row.audit_id === null) return null;
  const p = await procedureFacts(db, row.procedure_id);
  const conformity = await auditConformity(db, row.audit_id);
  if (!p || !conformity) return null;
  const { rows: audits } = await db.query(
    `SELECT id, audit_type, rgaa_version, audited_by, tools, finished_on, published_at FROM accessibility_audits WHERE id = $1`,
    [row.audit_id],
  );
  const a = audits[0];
  const rgaa = referential(versionOf(a.rgaa_version));
  const { rows: envs } = await db.query(
    'SELECT assistive_technology, browser, operating_system FROM accessibility_audit_environments WHERE audit_id = $1 ORDER BY position, id',
    [row.audit_id],
  );
  const { rows: pages } = await db.query(
    `SELECT id, name, url, kind FROM accessibility_audit_pages WHERE audit_id = $1 ORDER BY position, id`,
    [row.audit_id],
  );
  const { rows: ncs } = await db.query(
    `SELECT r.criterion, p.name AS page, i.description
       FROM accessibility_results r JOIN accessibility_audit_pages p ON p.id = r.page_id
       LEFT JOIN accessibility_nc_items i ON i.page_id = r.page_id AND i.criterion = r.criterion
      WHERE r.audit_id = $1 AND r.status = 'NC'
      ORDER BY p.position, p.id, i.position`,
    [row.audit_id],
  );
  const byCriterion = new Map<string, { pages: Set<string>; items: string[] }>();
  for (const nc of ncs) {
    let entry = byCriterion.get(nc.criterion);
    if (!entry) byCriterion.set(nc.criterion, (entry = { pages: new Set(), items: [] }));
    entry.pages.add(nc.page);
    if (nc.description) entry.items.push(`${nc.page} : ${nc.description}`);
  }
  const order = new Map(rgaa.criteria.map((c, i) => [c.id, i]));
  const nonConformities = [...byCriterion.entries()]
    .sort((x, y) => (order.get(x[0]) ?? 0) - (order.get(y[0]) ?? 0))
    .map(([criterion, e]) => ({
      criterion,
      title: stripMarkdown(rgaa.criterion(criterion)?.title ?? ''),
      pages: [...e.pages],
      items: e.items,
    }));
  const plans = await planLinksFor(db, p, Number(today.slice(0, 4)));
  const publishedOn = todayInParis(new Date(a.published_at));
  const establishedOn = row.first_published_at ? todayInParis(new Date(row.first_published_at)) : today;
  const organisation = row.organisation_name || p.administration;
  return {
    format: 1,
    procedure: { id: p.id, stableId: p.stableId, title: p.title },
    engagement: { organisation, text: row.engagement, ...plans },
    scope: { service: row.service_name || p.title, url: p.url },
    conformity: {
      label: conformity.label,
      labelText: CONFORMITY_LABEL_TEXT[conformity.label],
      mention: conformityMention(conformity.label),
      referential: `RGAA ${a.rgaa_version}`,
      rgaaVersion: a.rgaa_version,
    },
    results: {
      auditedBy: a.audited_by || 'en interne',
      rate: conformity.rate === null ? null : displayRate(conformity.rate),
      exactRate: conformity.rate,
      respected: conformity.respected,
      applicable: conformity.applicable,
      averageRate: conformity.averageRate === null ? null : Math.round(conformity.averageRate),
      auditSummaryUrl: `/api/v1/accessibility/audits/${a.id}`,
    },
    nonAccessible: {
      nonConformities,
      notes: lines(row.non_conformity_notes),
      derogations: lines(row.derogations),
      exempted: lines(row.exempted_contents),
    },
    establishment: {
      establishedOn,
      updatedOn: today,
      technologies: lines(row.technologies),
      environments: envs.map((e) => [e.assistive_technology, e.browser, e.operating_system].filter(Boolean).join(' · ')),
      tools: (a.tools ?? []) as string[],
      pages: pages.filter((pg) => pg.kind !== 'transverse').map((pg) => ({ name: pg.name, url: pg.url })),
    },
    contact: {
      entity: organisation,
      email: row.contact_email || null,
      formUrl: row.contact_form_url || null,
      pageUrl: row.contact_page_url || null,
    },
    remedies: { defenseurDesDroits: REMEDIES },
    audit: { id: Number(a.id), type: a.audit_type, rgaaVersion: a.rgaa_version, publishedOn, finishedOn: a.finished_on },
  };
}

export type PublishResult = { outcome: 'published'; content: DeclarationContent } | { outcome: 'refused'; errors: Record<string, string> };

/** Publishes the declaration as it stands: it needs an audit and a contact (e-mail or form). */
export async function publishDeclaration(
  tx: Queryable,
  input: { procedureId: number; actor: Actor; today: string },
): Promise<PublishResult> {
  const row = await getDeclaration(tx, input.procedureId);
  const errors: Record<string, string> = {};
  if (!row || row.audit_id === null) errors.audit = 'Générez d’abord la déclaration depuis un audit complet publié.';
  if (row && !row.contact_email && !row.contact_form_url)
    errors.contact_email = 'Indiquez une adresse électronique ou un formulaire de contact : la déclaration doit en donner un.';
  if (Object.keys(errors).length > 0 || !row) return { outcome: 'refused', errors };
  const content = await buildDeclarationContent(tx, row, input.today);
  if (!content) return { outcome: 'refused', errors: { audit: 'L’audit de cette déclaration est introuvable.' } };
  await tx.query(
    `UPDATE accessibility_declarations
        SET published = $2, published_at = now(), first_published_at = coalesce(first_published_at, now()),
            redesigned_on = NULL, warned_for = NULL, version = version + 1, updated_at = now()
      WHERE procedure_id = $1`,
    [input.procedureId, JSON.stringify(content)],
  );
  await audit(tx, {
    actor: input.actor,
    action: 'accessibility.declaration.publish',
    entityType: 'procedure',
    entityId: input.procedureId,
    before: row.published ? { rate: row.published.results.rate, publishedOn: row.published.establishment.updatedOn } : undefined,
    after: { rate: content.results.rate, label: content.conformity.label, auditId: content.audit.id },
  });
  return { outcome: 'published', content };
}

/** Flags (or clears, with null) a « refonte substantielle »: the published declaration stops being valid that day. */
export async function setRedesign(tx: Queryable, input: { procedureId: number; on: string | null; actor: Actor }): Promise<boolean> {
  const { rows } = await tx.query<{ before: string | null }>(
    `UPDATE accessibility_declarations d SET redesigned_on = $2, version = d.version + 1, updated_at = now()
       FROM accessibility_declarations old WHERE d.procedure_id = $1 AND old.id = d.id AND d.published IS NOT NULL
     RETURNING old.redesigned_on AS before`,
    [input.procedureId, input.on],
  );
  if (!rows[0]) return false;
  await audit(tx, {
    actor: input.actor,
    action: 'accessibility.declaration.redesign',
    entityType: 'procedure',
    entityId: input.procedureId,
    before: { redesignedOn: rows[0].before },
    after: { redesignedOn: input.on },
  });
  return true;
}

export interface PublishedDeclaration {
  procedureId: number;
  content: DeclarationContent;
  publishedOn: string;
  redesignedOn: string | null;
  validity: Validity;
}

function factsOf(d: { content: DeclarationContent; publishedOn: string; redesignedOn: string | null }): DeclarationFacts {
  return {
    publishedOn: d.publishedOn,
    rgaaVersion: d.content.audit.rgaaVersion,
    redesignedOn: d.redesignedOn,
    rate: d.content.results.rate,
    hasContact: !!(d.content.contact.email || d.content.contact.formUrl),
    pagesTested: d.content.establishment.pages.length,
    auditOn: d.content.audit.finishedOn ?? d.content.audit.publishedOn,
  };
}

/** The published declarations of these procedures with their validity on `today`, in two queries. */
export async function publishedDeclarations(
  db: Queryable,
  procedureIds: number[],
  today: string,
): Promise<Map<number, PublishedDeclaration>> {
  const result = new Map<number, PublishedDeclaration>();
  if (procedureIds.length === 0) return result;
  const rules = await loadRules(db);
  const versions = await loadRgaaVersions(db);
  const { rows } = await db.query(
    `SELECT procedure_id, published, published_at, redesigned_on FROM accessibility_declarations
      WHERE procedure_id = ANY($1::bigint[]) AND published IS NOT NULL`,
    [procedureIds],
  );
  for (const r of rows) {
    const content = parseJson<DeclarationContent>(r.published)!;
    const publishedOn = todayInParis(new Date(r.published_at));
    const validity = declarationValidity(
      { publishedOn, rgaaVersion: content.audit.rgaaVersion, redesignedOn: r.redesigned_on },
      rules,
      versions,
      today,
    );
    result.set(Number(r.procedure_id), {
      procedureId: Number(r.procedure_id),
      content,
      publishedOn,
      redesignedOn: r.redesigned_on,
      validity,
    });
  }
  return result;
}

/** The « handicap » values of the procedures that have a published declaration (0 « Non » when it does not count). */
export async function handicapValues(db: Queryable, procedureIds: number[], today: string): Promise<Map<number, number>> {
  const declarations = await publishedDeclarations(db, procedureIds, today);
  const rules = await loadRules(db);
  const versions = await loadRgaaVersions(db);
  const values = new Map<number, number>();
  for (const [id, d] of declarations) values.set(id, handicapValue(factsOf(d), rules, versions, today));
  return values;
}

/** The public declaration of a procedure by its stable id. */
export async function declarationByStableId(db: Queryable, stableId: string, today: string): Promise<PublishedDeclaration | null> {
  const { rows } = await db.query<{ id: number }>('SELECT id FROM procedures WHERE stable_id = $1', [stableId]);
  if (!rows[0]) return null;
  const id = Number(rows[0].id);
  return (await publishedDeclarations(db, [id], today)).get(id) ?? null;
}
