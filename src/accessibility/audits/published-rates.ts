import type { Queryable } from '../../kernel/db/db.ts';
import { auditsConformity } from './queries.ts';

/** A published audit's conformity rate with what it counts: criteria applicable and respected (a census, not a sample). */
export interface PublishedAuditRate {
  procedureId: number;
  auditId: number;
  name: string;
  auditType: string;
  /** The day the audit measured the site: its end date, else the day it was published (YYYY-MM-DD). */
  measuredOn: string;
  /** respected ÷ applicable × 100, exact; null when nothing was applicable. */
  rate: number | null;
  applicable: number;
  respected: number;
}

/** The published audits of these procedures with their rates, oldest first (used by the défis' effect, issue 15); two queries whatever the number of audits. */
export async function publishedAuditRates(db: Queryable, procedureIds: number[]): Promise<PublishedAuditRate[]> {
  if (procedureIds.length === 0) return [];
  const { rows } = await db.query<{ id: number; procedure_id: number; name: string; audit_type: string; measured_on: string }>(
    `SELECT id, procedure_id, name, audit_type, to_char(COALESCE(finished_on, (published_at AT TIME ZONE 'Europe/Paris')::date), 'YYYY-MM-DD') AS measured_on
       FROM accessibility_audits
      WHERE procedure_id = ANY($1::bigint[]) AND status = 'published' AND deleted_at IS NULL
      ORDER BY measured_on, id`,
    [procedureIds],
  );
  const conformities = await auditsConformity(
    db,
    rows.map((r) => Number(r.id)),
  );
  const result: PublishedAuditRate[] = [];
  for (const r of rows) {
    const c = conformities.get(Number(r.id));
    if (!c) continue;
    result.push({
      procedureId: Number(r.procedure_id),
      auditId: Number(r.id),
      name: r.name,
      auditType: r.audit_type,
      measuredOn: r.measured_on,
      rate: c.rate,
      applicable: c.applicable,
      respected: c.respected,
    });
  }
  return result;
}
