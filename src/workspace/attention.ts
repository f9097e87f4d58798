import type { Queryable } from '../kernel/db/db.ts';
import { isAdmin, procedureScope, type CurrentUser } from '../kernel/auth/scope.ts';
import { run, sql } from '../kernel/db/sql.ts';

/**
 * What needs a signed-in person's attention, per procedure of their scope: reviews received since they last opened
 * the answers (30 days when never), satisfaction alerts of theirs that fired in the last 30 days, indicator values
 * still missing for the draft edition (overdue before it is published), and questionnaire drafts not published.
 */

export interface NewReviews {
  formId: number;
  formName: string;
  count: number;
  /** When they last opened this form's answers; null: never (the count is then the last 30 days). */
  since: Date | null;
}

export interface FiredAlert {
  formId: number;
  formName: string;
  threshold: number;
  at: Date;
}

export interface FormDraft {
  formId: number;
  formName: string;
  version: number;
  createdAt: Date;
}

export interface ProcedureAttention {
  id: number;
  title: string;
  administration: string;
  /** May this person change the procedure (set values, publish a questionnaire)? */
  canEdit: boolean;
  newReviews: NewReviews[];
  alerts: FiredAlert[];
  /** Manual indicators without a value, when a draft edition is open. */
  missingValues: string[];
  drafts: FormDraft[];
}

export interface DraftEdition {
  id: number;
  name: string;
  windowEnd: string;
}

export interface Workspace {
  /** The procedures of the person's scope, those needing attention first; for the steering admin only those. */
  procedures: ProcedureAttention[];
  /** Procedures of the scope (all of them, not only those listed). */
  total: number;
  /** The next edition, when one is being prepared. */
  draftEdition: DraftEdition | null;
  /** Observatoire drafts (steering admin only). */
  draftEditions: DraftEdition[];
}

/** At most this many procedures are listed; beyond, the page links the catalogue. */
export const LISTED = 100;

const SCOPE_FROM = sql`FROM procedures p JOIN administrations a ON a.id = p.administration_id WHERE p.archived_at IS NULL`;

export function needsAttention(p: ProcedureAttention): boolean {
  return p.newReviews.some((r) => r.count > 0) || p.alerts.length > 0 || p.missingValues.length > 0 || p.drafts.length > 0;
}

export async function loadWorkspace(db: Queryable, user: CurrentUser): Promise<Workspace> {
  const admin = isAdmin(user);
  const readScope = procedureScope(user);
  const editScope = procedureScope(user, undefined, 'edit');

  const total = (await run<{ n: number }>(db, sql`SELECT count(*)::int AS n ${SCOPE_FROM} AND ${readScope}`)).rows[0]!.n;
  const drafts = await db.query<{ id: number; name: string; window_end: string }>(
    `SELECT id, name, window_end FROM obs_editions WHERE status = 'draft' ORDER BY window_end DESC, id DESC`,
  );
  const draftEditions = drafts.rows.map((e) => ({ id: Number(e.id), name: e.name, windowEnd: e.window_end }));
  const draftEdition = draftEditions[0] ?? null;

  const byId = new Map<number, ProcedureAttention>();
  const entry = (row: { procedure_id: number; title: string; administration: string }) => {
    const id = Number(row.procedure_id);
    let p = byId.get(id);
    if (!p) {
      p = {
        id,
        title: row.title,
        administration: row.administration,
        canEdit: false,
        newReviews: [],
        alerts: [],
        missingValues: [],
        drafts: [],
      };
      byId.set(id, p);
    }
    return p;
  };

  // Every procedure of the scope is listed for a team; the steering admin (the whole catalogue) sees those needing attention.
  if (!admin) {
    const { rows } = await run<{ procedure_id: number; title: string; administration: string }>(
      db,
      sql`SELECT p.id AS procedure_id, p.title, a.name AS administration ${SCOPE_FROM} AND ${readScope} ORDER BY p.title, p.id LIMIT ${LISTED * 5}`,
    );
    rows.forEach(entry);
  }
  const editable = await run<{ id: number }>(db, sql`SELECT p.id ${SCOPE_FROM} AND ${editScope}`);
  const canEdit = new Set(editable.rows.map((r) => Number(r.id)));

  const reviews = await run<{
    procedure_id: number;
    title: string;
    administration: string;
    form_id: number;
    form_name: string;
    seen_at: Date | null;
    n: number;
  }>(
    db,
    sql`SELECT p.id AS procedure_id, p.title, a.name AS administration, f.id AS form_id, f.name AS form_name, v.seen_at,
            (SELECT count(*)::int FROM feedback_reviews r
              WHERE r.form_id = f.id AND r.deleted_at IS NULL
                AND r.day >= (coalesce(v.seen_at, now() - interval '30 days') AT TIME ZONE 'Europe/Paris')::date - 1
                AND r.created_at > coalesce(v.seen_at, now() - interval '30 days')) AS n
       FROM feedback_forms f JOIN procedures p ON p.id = f.procedure_id JOIN administrations a ON a.id = p.administration_id
       LEFT JOIN feedback_visits v ON v.form_id = f.id AND v.user_id = ${user.id}
      WHERE f.deleted_at IS NULL AND p.archived_at IS NULL AND ${readScope}
      ORDER BY f.id`,
  );
  for (const r of reviews.rows) {
    if (admin && r.n === 0) continue;
    entry(r).newReviews.push({
      formId: Number(r.form_id),
      formName: r.form_name,
      count: r.n,
      since: r.seen_at ? new Date(r.seen_at) : null,
    });
  }

  const alerts = await run<{
    procedure_id: number;
    title: string;
    administration: string;
    form_id: number;
    form_name: string;
    threshold: number;
    at: Date;
  }>(
    db,
    sql`SELECT p.id AS procedure_id, p.title, a.name AS administration, f.id AS form_id, f.name AS form_name,
            al.satisfaction_below AS threshold, al.satisfaction_sent_at AS at
       FROM feedback_alerts al JOIN feedback_forms f ON f.id = al.form_id
       JOIN procedures p ON p.id = f.procedure_id JOIN administrations a ON a.id = p.administration_id
      WHERE al.user_id = ${user.id} AND al.satisfaction_sent_at > now() - interval '30 days'
        AND f.deleted_at IS NULL AND p.archived_at IS NULL AND ${readScope}
      ORDER BY al.satisfaction_sent_at DESC`,
  );
  for (const r of alerts.rows) {
    entry(r).alerts.push({ formId: Number(r.form_id), formName: r.form_name, threshold: Number(r.threshold), at: new Date(r.at) });
  }

  if (draftEdition) {
    const missing = await run<{ procedure_id: number; title: string; administration: string; labels: string[] }>(
      db,
      sql`SELECT p.id AS procedure_id, p.title, a.name AS administration, array_agg(i.label ORDER BY i.position) AS labels
         FROM procedures p JOIN administrations a ON a.id = p.administration_id
         JOIN obs_indicators i ON i.source = 'manual'
        WHERE p.archived_at IS NULL AND p.in_scope AND ${editScope}
          AND NOT EXISTS (SELECT 1 FROM obs_live_values lv WHERE lv.procedure_id = p.id AND lv.indicator = i.slug)
        GROUP BY p.id, p.title, a.name`,
    );
    for (const r of missing.rows) entry(r).missingValues = r.labels;
  }

  const formDrafts = await run<{
    procedure_id: number;
    title: string;
    administration: string;
    form_id: number;
    form_name: string;
    version: number;
    created_at: Date;
  }>(
    db,
    sql`SELECT p.id AS procedure_id, p.title, a.name AS administration, f.id AS form_id, f.name AS form_name, fv.version, fv.created_at
       FROM feedback_form_versions fv JOIN feedback_forms f ON f.id = fv.form_id
       JOIN procedures p ON p.id = f.procedure_id JOIN administrations a ON a.id = p.administration_id
      WHERE fv.status = 'draft' AND f.deleted_at IS NULL AND p.archived_at IS NULL AND ${editScope}
      ORDER BY fv.created_at`,
  );
  for (const r of formDrafts.rows) {
    entry(r).drafts.push({
      formId: Number(r.form_id),
      formName: r.form_name,
      version: Number(r.version),
      createdAt: new Date(r.created_at),
    });
  }

  for (const p of byId.values()) p.canEdit = canEdit.has(p.id);
  const procedures = [...byId.values()]
    .sort((x, y) => Number(needsAttention(y)) - Number(needsAttention(x)) || x.title.localeCompare(y.title, 'fr') || x.id - y.id)
    .slice(0, LISTED);
  return { procedures, total, draftEdition, draftEditions: admin ? draftEditions : [] };
}
