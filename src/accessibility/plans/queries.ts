import type { Queryable } from '../../kernel/db/db.ts';
import { audit, type AuditEntry } from '../../kernel/audit/audit.ts';
import { loadRgaaVersions, loadRules } from '../declarations/queries.ts';
import { declarationValidity } from '../declarations/validity.ts';
import { todayInParis } from '../../kernel/web/format.ts';
import { CONFORMITY_LABEL_TEXT, type ConformityLabel } from '../conformity/rate.ts';

type Actor = AuditEntry['actor'];

export const ACTION_KINDS = {
  audit: 'Audit',
  fixes: 'Corrections',
  training: 'Formation',
  reaudit: 'Contre-audit',
  declaration: 'Déclaration',
} as const;
export type ActionKind = keyof typeof ACTION_KINDS;
export const ACTION_STATUSES = { planned: 'Prévue', in_progress: 'En cours', done: 'Réalisée', cancelled: 'Abandonnée' } as const;
export type ActionStatus = keyof typeof ACTION_STATUSES;

/** A ministry or an administration: plans and dashboards belong to one. */
export interface Org {
  kind: 'ministry' | 'administration';
  id: number;
}

export async function orgName(db: Queryable, org: Org): Promise<string | null> {
  const { rows } = await db.query(
    org.kind === 'ministry' ? 'SELECT name FROM ministries WHERE id = $1' : 'SELECT name FROM administrations WHERE id = $1',
    [org.id],
  );
  return rows[0]?.name ?? null;
}

const orgColumn = (org: Org) => (org.kind === 'ministry' ? 'ministry_id' : 'administration_id');

export interface Plan {
  id: number;
  org: Org;
  orgName: string;
  title: string;
  startYear: number;
  endYear: number;
  policy: string;
  publishedAt: string | null;
  version: number;
}

export interface PlanAction {
  id: number;
  year: number;
  procedureId: number | null;
  procedureTitle: string | null;
  kind: ActionKind;
  title: string;
  owner: string;
  startsOn: string | null;
  dueOn: string | null;
  status: ActionStatus;
  result: string;
}

function planOf(r: Record<string, any>): Plan {
  return {
    id: Number(r.id),
    org:
      r.ministry_id !== null
        ? { kind: 'ministry', id: Number(r.ministry_id) }
        : { kind: 'administration', id: Number(r.administration_id) },
    orgName: r.org_name,
    title: r.title,
    startYear: Number(r.start_year),
    endYear: Number(r.end_year),
    policy: r.policy,
    publishedAt: r.published_at ? new Date(r.published_at).toISOString() : null,
    version: Number(r.version),
  };
}

const PLAN_SELECT = `SELECT pl.*, coalesce(m.name, a.name) AS org_name FROM accessibility_plans pl
  LEFT JOIN ministries m ON m.id = pl.ministry_id LEFT JOIN administrations a ON a.id = pl.administration_id`;

export async function plansOf(db: Queryable, org: Org): Promise<Plan[]> {
  const { rows } = await db.query(`${PLAN_SELECT} WHERE pl.${orgColumn(org)} = $1 ORDER BY pl.start_year DESC, pl.id DESC`, [org.id]);
  return rows.map(planOf);
}

export async function publishedPlans(db: Queryable): Promise<Plan[]> {
  const { rows } = await db.query(`${PLAN_SELECT} WHERE pl.published_at IS NOT NULL ORDER BY org_name, pl.start_year DESC`);
  return rows.map(planOf);
}

export async function getPlan(db: Queryable, id: number): Promise<Plan | null> {
  const { rows } = await db.query(`${PLAN_SELECT} WHERE pl.id = $1`, [id]);
  return rows[0] ? planOf(rows[0]) : null;
}

export async function planActions(db: Queryable, planId: number): Promise<PlanAction[]> {
  const { rows } = await db.query(
    `SELECT x.*, p.title AS procedure_title FROM accessibility_plan_actions x LEFT JOIN procedures p ON p.id = x.procedure_id
      WHERE x.plan_id = $1 ORDER BY x.year, x.due_on NULLS LAST, x.id`,
    [planId],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    year: Number(r.year),
    procedureId: r.procedure_id === null ? null : Number(r.procedure_id),
    procedureTitle: r.procedure_title,
    kind: r.kind,
    title: r.title,
    owner: r.owner,
    startsOn: r.starts_on,
    dueOn: r.due_on,
    status: r.status,
    result: r.result,
  }));
}

export interface PlanInput {
  title: string;
  startYear: number;
  endYear: number;
  policy: string;
  publish: boolean;
}

export async function createPlan(tx: Queryable, input: PlanInput & { org: Org; actor: Actor; isDemo?: boolean }): Promise<number> {
  const { rows } = await tx.query<{ id: number }>(
    `INSERT INTO accessibility_plans (${orgColumn(input.org)}, title, start_year, end_year, policy, published_at, created_by, is_demo)
     VALUES ($1, $2, $3, $4, $5, CASE WHEN $6 THEN now() END, $7, $8) RETURNING id`,
    [
      input.org.id,
      input.title,
      input.startYear,
      input.endYear,
      input.policy,
      input.publish,
      input.actor?.id ?? null,
      input.isDemo ?? false,
    ],
  );
  const id = Number(rows[0].id);
  await audit(tx, {
    actor: input.actor,
    action: 'accessibility.plan.create',
    entityType: 'accessibility_plan',
    entityId: id,
    after: { org: input.org, title: input.title, startYear: input.startYear, endYear: input.endYear, published: input.publish },
  });
  return id;
}

export interface ActionInput {
  year: number;
  procedureId: number | null;
  kind: ActionKind;
  title: string;
  owner: string;
  startsOn: string | null;
  dueOn: string | null;
  status: ActionStatus;
}

export async function addAction(tx: Queryable, input: ActionInput & { planId: number; actor: Actor }): Promise<number> {
  const { rows } = await tx.query<{ id: number }>(
    `INSERT INTO accessibility_plan_actions (plan_id, year, procedure_id, kind, title, owner, starts_on, due_on, status)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
    [input.planId, input.year, input.procedureId, input.kind, input.title, input.owner, input.startsOn, input.dueOn, input.status],
  );
  const id = Number(rows[0].id);
  await audit(tx, {
    actor: input.actor,
    action: 'accessibility.plan_action.create',
    entityType: 'accessibility_plan',
    entityId: input.planId,
    after: { actionId: id, year: input.year, kind: input.kind, title: input.title, procedureId: input.procedureId },
  });
  return id;
}

/** The columns of the editable fields of actions and milestones, by their key in the journal. */
const COLUMNS = {
  year: 'year',
  procedureId: 'procedure_id',
  kind: 'kind',
  title: 'title',
  owner: 'owner',
  startsOn: 'starts_on',
  dueOn: 'due_on',
  status: 'status',
  result: 'result',
} as const;
type EditedKey = keyof typeof COLUMNS;
/** Numbers read back as such in the journal (the database may hand them as text). */
const READ: Partial<Record<EditedKey, (stored: any) => unknown>> = {
  year: Number,
  procedureId: (v) => (v === null ? null : Number(v)),
};

/**
 * Sets the fields `keys` of one row of `table` to their values in `input`, the row found by its id and its parent's
 * (another parent's row is not found: false, nothing written), and journals on the parent those fields as they were and
 * as they are now, with the row's id. `more` adds to the SET clause, given a field's placeholder and one for an extra value.
 */
async function editJournaled(
  tx: Queryable,
  edit: {
    table: 'accessibility_plan_actions' | 'accessibility_milestones';
    parent: { column: 'plan_id' | 'procedure_id'; id: number };
    row: { key: 'actionId' | 'milestoneId'; id: number };
    input: Partial<Record<EditedKey, unknown>>;
    keys: EditedKey[];
    more: (field: (key: EditedKey) => string, extra: (value: unknown) => string) => string;
    journal: { action: string; entityType: string; actor: Actor };
  },
): Promise<boolean> {
  const { keys, input } = edit;
  const params: unknown[] = [edit.parent.id, edit.row.id, ...keys.map((k) => input[k])];
  const field = (key: EditedKey) => `$${keys.indexOf(key) + 3}`;
  const extra = (value: unknown) => `$${params.push(value)}`;
  const set = [...keys.map((k) => `${COLUMNS[k]} = ${field(k)}`), edit.more(field, extra)].join(', ');
  const { rows } = await tx.query(
    `UPDATE ${edit.table} x SET ${set}
       FROM ${edit.table} old WHERE x.id = $2 AND x.${edit.parent.column} = $1 AND old.id = x.id
     RETURNING ${keys.map((k) => `old.${COLUMNS[k]}`).join(', ')}`,
    params,
  );
  const old = rows[0];
  if (!old) return false;
  const before: Record<string, unknown> = { [edit.row.key]: edit.row.id };
  const after: Record<string, unknown> = { [edit.row.key]: edit.row.id };
  for (const k of keys) {
    const read = READ[k];
    before[k] = read ? read(old[COLUMNS[k]]) : old[COLUMNS[k]];
    after[k] = input[k];
  }
  await audit(tx, {
    actor: edit.journal.actor,
    action: edit.journal.action,
    entityType: edit.journal.entityType,
    entityId: edit.parent.id,
    before,
    after,
  });
  return true;
}

/** An edit of a plan's action: journaled on the plan, `updated_at` set. */
const editAction = (
  tx: Queryable,
  input: { planId: number; actionId: number; actor: Actor } & Partial<Record<EditedKey, unknown>>,
  keys: EditedKey[],
) =>
  editJournaled(tx, {
    table: 'accessibility_plan_actions',
    parent: { column: 'plan_id', id: input.planId },
    row: { key: 'actionId', id: input.actionId },
    input,
    keys,
    more: () => 'updated_at = now()',
    journal: { action: 'accessibility.plan_action.update', entityType: 'accessibility_plan', actor: input.actor },
  });

/** Changes an action's fields after its creation (year, procedure, kind, title, owner, dates, status); false when the plan has no such action. */
export async function updateAction(
  tx: Queryable,
  input: ActionInput & { planId: number; actionId: number; actor: Actor },
): Promise<boolean> {
  return editAction(tx, input, ['year', 'procedureId', 'kind', 'title', 'owner', 'startsOn', 'dueOn', 'status']);
}

export async function updateActionStatus(
  tx: Queryable,
  input: { planId: number; actionId: number; status: ActionStatus; result: string; actor: Actor },
): Promise<boolean> {
  return editAction(tx, input, ['status', 'result']);
}

// ——— Roadmaps ———

export interface Milestone {
  id: number;
  kind: ActionKind;
  title: string;
  owner: string;
  dueOn: string;
  status: ActionStatus;
  doneOn: string | null;
  overdue: boolean;
}

export interface Roadmap {
  procedureId: number;
  targetOn: string | null;
  notes: string;
  milestones: Milestone[];
}

/** A milestone is overdue when it is neither done nor cancelled and its date has passed. */
export function isOverdue(m: { status: ActionStatus; dueOn: string }, today: string): boolean {
  return (m.status === 'planned' || m.status === 'in_progress') && m.dueOn < today;
}

export async function roadmaps(db: Queryable, procedureIds: number[], today: string): Promise<Map<number, Roadmap>> {
  const result = new Map<number, Roadmap>();
  if (procedureIds.length === 0) return result;
  const { rows } = await db.query(
    'SELECT procedure_id, target_on, notes FROM accessibility_roadmaps WHERE procedure_id = ANY($1::bigint[])',
    [procedureIds],
  );
  for (const r of rows)
    result.set(Number(r.procedure_id), { procedureId: Number(r.procedure_id), targetOn: r.target_on, notes: r.notes, milestones: [] });
  const { rows: ms } = await db.query('SELECT * FROM accessibility_milestones WHERE procedure_id = ANY($1::bigint[]) ORDER BY due_on, id', [
    procedureIds,
  ]);
  for (const m of ms) result.get(Number(m.procedure_id))?.milestones.push(milestoneOf(m, today));
  return result;
}

export async function setRoadmap(
  tx: Queryable,
  input: { procedureId: number; targetOn: string | null; notes: string; actor: Actor; isDemo?: boolean },
): Promise<void> {
  const { rows } = await tx.query('SELECT target_on, notes FROM accessibility_roadmaps WHERE procedure_id = $1', [input.procedureId]);
  await tx.query(
    `INSERT INTO accessibility_roadmaps (procedure_id, target_on, notes, is_demo) VALUES ($1, $2, $3, $4)
     ON CONFLICT (procedure_id) DO UPDATE SET target_on = excluded.target_on, notes = excluded.notes, updated_at = now()`,
    [input.procedureId, input.targetOn, input.notes, input.isDemo ?? false],
  );
  await audit(tx, {
    actor: input.actor,
    action: 'accessibility.roadmap.update',
    entityType: 'procedure',
    entityId: input.procedureId,
    before: rows[0] ? { targetOn: rows[0].target_on, notes: rows[0].notes } : undefined,
    after: { targetOn: input.targetOn, notes: input.notes },
  });
}

export async function addMilestone(
  tx: Queryable,
  input: {
    procedureId: number;
    kind: ActionKind;
    title: string;
    owner: string;
    dueOn: string;
    status: ActionStatus;
    doneOn?: string | null;
    actor: Actor;
  },
): Promise<number> {
  await tx.query('INSERT INTO accessibility_roadmaps (procedure_id) VALUES ($1) ON CONFLICT DO NOTHING', [input.procedureId]);
  const doneOn = input.status === 'done' ? (input.doneOn ?? input.dueOn) : null;
  const { rows } = await tx.query<{ id: number }>(
    `INSERT INTO accessibility_milestones (procedure_id, kind, title, owner, due_on, status, done_on) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [input.procedureId, input.kind, input.title, input.owner, input.dueOn, input.status, doneOn],
  );
  const id = Number(rows[0].id);
  await audit(tx, {
    actor: input.actor,
    action: 'accessibility.milestone.create',
    entityType: 'procedure',
    entityId: input.procedureId,
    after: { milestoneId: id, kind: input.kind, title: input.title, dueOn: input.dueOn, status: input.status },
  });
  return id;
}

/** An edit of a milestone: journaled on the procedure; a done one keeps its done date, or gets `today`; any other has none. */
const editMilestone = (
  tx: Queryable,
  input: { procedureId: number; milestoneId: number; status: ActionStatus; today: string; actor: Actor } & Partial<
    Record<EditedKey, unknown>
  >,
  keys: EditedKey[],
) =>
  editJournaled(tx, {
    table: 'accessibility_milestones',
    parent: { column: 'procedure_id', id: input.procedureId },
    row: { key: 'milestoneId', id: input.milestoneId },
    input,
    keys,
    more: (field, extra) => `done_on = CASE WHEN ${field('status')} = 'done' THEN coalesce(old.done_on, ${extra(input.today)}::date) END`,
    journal: { action: 'accessibility.milestone.update', entityType: 'procedure', actor: input.actor },
  });

/** Changes a milestone after its creation (kind, title, owner, date, status: a done one keeps or gets its done date). */
export async function updateMilestone(
  tx: Queryable,
  input: {
    procedureId: number;
    milestoneId: number;
    kind: ActionKind;
    title: string;
    owner: string;
    dueOn: string;
    status: ActionStatus;
    today: string;
    actor: Actor;
  },
): Promise<boolean> {
  return editMilestone(tx, input, ['kind', 'title', 'owner', 'dueOn', 'status']);
}

export async function updateMilestoneStatus(
  tx: Queryable,
  input: { procedureId: number; milestoneId: number; status: ActionStatus; today: string; actor: Actor },
): Promise<boolean> {
  return editMilestone(tx, input, ['status']);
}

// ——— Dashboard of a ministry or an administration ———

export interface DashboardProcedure {
  id: number;
  stableId: string;
  title: string;
  inScope: boolean;
  label: ConformityLabel | null;
  rate: number | null;
  validDeclaration: boolean;
  expiresOn: string | null;
  expiresSoon: boolean;
  /** The roadmap with its milestones for the procedures of the listed page (`Dashboard.listed`), else null. */
  roadmap: Roadmap | null;
}

/** Procedures listed per page of a dashboard (timeline, its table, declarations). */
export const DASHBOARD_PAGE_SIZE = 50;

export interface Dashboard {
  /** Every procedure of the organisation (the figures count them all), without milestones. */
  procedures: DashboardProcedure[];
  /** One page of them, with their roadmaps: what the timeline and the tables show. */
  listed: { page: number; pages: number; procedures: DashboardProcedure[] };
  /** In-scope procedures (the Top 250 goal counts those). */
  counted: number;
  withValidDeclaration: number;
  totallyConforming: number;
  averageRate: number | null;
  labels: Record<ConformityLabel | 'none', number>;
  overdue: { procedureId: number; title: string; milestone: Milestone }[];
  goals: { first: number; firstDate: string | null; final: number; finalDate: string | null };
}

function milestoneOf(m: Record<string, any>, today: string): Milestone {
  const milestone: Milestone = {
    id: Number(m.id),
    kind: m.kind,
    title: m.title,
    owner: m.owner,
    dueOn: m.due_on,
    status: m.status,
    doneOn: m.done_on,
    overdue: false,
  };
  milestone.overdue = isOverdue(milestone, today);
  return milestone;
}

/**
 * Every figure of an organisation's accessibility dashboard, in a fixed number of indexed queries whatever its size:
 * its procedures with their declaration's summary columns (rate, label, RGAA version: generated from the published
 * JSON, which is not read) and roadmap target in one query; the overdue milestones through the index of open ones; the
 * milestones of the listed page's procedures only. Validity is computed from those few facts.
 */
export async function orgDashboard(db: Queryable, org: Org, today: string, page = 1): Promise<Dashboard> {
  const { rows } = await db.query(
    `SELECT p.id, p.stable_id, p.title, p.in_scope, d.published_at, d.redesigned_on, d.published_rate, d.published_label, d.published_rgaa_version,
            r.procedure_id AS roadmap_of, r.target_on, r.notes
       FROM procedures p JOIN administrations a ON a.id = p.administration_id
       LEFT JOIN accessibility_declarations d ON d.procedure_id = p.id
       LEFT JOIN accessibility_roadmaps r ON r.procedure_id = p.id
      WHERE ${org.kind === 'ministry' ? 'a.ministry_id' : 'a.id'} = $1 AND p.archived_at IS NULL
        AND (p.in_scope OR r.procedure_id IS NOT NULL OR d.procedure_id IS NOT NULL)
      ORDER BY p.title, p.id`,
    [org.id],
    { name: `accessibility_dashboard_${org.kind}` },
  );
  const [rules, versions] = await Promise.all([loadRules(db), loadRgaaVersions(db)]);
  const procedures: DashboardProcedure[] = rows.map((r) => {
    const published = r.published_at !== null && r.published_at !== undefined;
    const validity = published
      ? declarationValidity(
          {
            publishedOn: todayInParis(new Date(r.published_at)),
            rgaaVersion: r.published_rgaa_version ?? '',
            redesignedOn: r.redesigned_on,
          },
          rules,
          versions,
          today,
        )
      : null;
    const valid = !!validity?.valid;
    return {
      id: Number(r.id),
      stableId: r.stable_id,
      title: r.title,
      inScope: r.in_scope,
      label: valid ? (r.published_label as ConformityLabel) : published ? 'non_conforme' : null,
      rate: valid && r.published_rate !== null ? Number(r.published_rate) : null,
      validDeclaration: valid,
      expiresOn: validity?.expiresOn ?? null,
      expiresSoon: !!validity?.expiresSoon,
      roadmap: null,
    };
  });
  const byId = new Map(procedures.map((p) => [p.id, p]));
  const pages = Math.max(1, Math.ceil(procedures.length / DASHBOARD_PAGE_SIZE));
  const current = Math.min(Math.max(1, Math.trunc(page) || 1), pages);
  const listed = procedures.slice((current - 1) * DASHBOARD_PAGE_SIZE, current * DASHBOARD_PAGE_SIZE);
  const roadmapRows = new Map(rows.filter((r) => r.roadmap_of !== null).map((r) => [Number(r.id), r]));
  for (const p of listed) {
    const r = roadmapRows.get(p.id);
    if (r) p.roadmap = { procedureId: p.id, targetOn: r.target_on, notes: r.notes, milestones: [] };
  }
  const listedIds = listed.filter((p) => p.roadmap).map((p) => p.id);
  const [{ rows: ms }, { rows: late }] = await Promise.all([
    listedIds.length
      ? db.query('SELECT * FROM accessibility_milestones WHERE procedure_id = ANY($1::bigint[]) ORDER BY due_on, id', [listedIds])
      : Promise.resolve({ rows: [] as Record<string, any>[] }),
    db.query(
      `SELECT m.* FROM accessibility_milestones m JOIN procedures p ON p.id = m.procedure_id JOIN administrations a ON a.id = p.administration_id
        WHERE m.status IN ('planned', 'in_progress') AND m.due_on < $2::date AND ${org.kind === 'ministry' ? 'a.ministry_id' : 'a.id'} = $1 AND p.archived_at IS NULL
        ORDER BY m.due_on, m.id`,
      [org.id, today],
    ),
  ]);
  for (const m of ms) byId.get(Number(m.procedure_id))?.roadmap?.milestones.push(milestoneOf(m, today));
  const counted = procedures.filter((p) => p.inScope);
  const rated = counted.filter((p) => p.validDeclaration && p.rate !== null).map((p) => p.rate!);
  const labels: Dashboard['labels'] = { totalement_conforme: 0, partiellement_conforme: 0, non_conforme: 0, none: 0 };
  for (const p of counted) labels[p.validDeclaration ? p.label! : 'none']++;
  const overdue = late
    .filter((m) => byId.has(Number(m.procedure_id)))
    .map((m) => ({
      procedureId: Number(m.procedure_id),
      title: byId.get(Number(m.procedure_id))!.title,
      milestone: milestoneOf(m, today),
    }));
  return {
    procedures,
    listed: { page: current, pages, procedures: listed },
    counted: counted.length,
    withValidDeclaration: counted.filter((p) => p.validDeclaration).length,
    totallyConforming: labels.totalement_conforme,
    averageRate: rated.length ? rated.reduce((a, b) => a + b, 0) / rated.length : null,
    labels,
    overdue,
    goals: { first: rules.goalFirstPercent, firstDate: rules.goalFirstDate, final: rules.goalFinalPercent, finalDate: rules.goalFinalDate },
  };
}

export const LABEL_TEXT: Record<ConformityLabel | 'none', string> = { ...CONFORMITY_LABEL_TEXT, none: 'sans déclaration valide' };

/** The feedback digest's accessibility lines for a procedure: its overdue roadmap milestones (null when none). */
export async function overdueDigestText(db: Queryable, procedureId: number, today: string, publicUrl: string): Promise<string | null> {
  const roadmap = (await roadmaps(db, [procedureId], today)).get(procedureId);
  const overdue = roadmap?.milestones.filter((m) => m.overdue) ?? [];
  if (overdue.length === 0) return null;
  const lines = overdue.map((m) => `- ${m.title} (${ACTION_KINDS[m.kind].toLowerCase()}), prévu le ${m.dueOn}`);
  return `Accessibilité : ${overdue.length} jalon${overdue.length > 1 ? 's' : ''} en retard dans la feuille de route :\n${lines.join('\n')}\n${publicUrl}/rgaa/demarches/${procedureId}/feuille-de-route`;
}
