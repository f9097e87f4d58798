import type { Db, Queryable } from '../kernel/db/db.ts';
import type { CurrentUser } from '../kernel/auth/scope.ts';
import { audit } from '../kernel/audit/audit.ts';

/**
 * Retention of the authors' e-mail addresses (docs/experiences.md): kept while a story may still be answered, then
 * `email_days` days after it was closed (solved, closed without action, refused: the time of that change of state in
 * its history), then erased by a daily job. The number of days is data the steering team changes (experience_retention).
 */
export const RETENTION_MIN_DAYS = 1;
export const RETENTION_MAX_DAYS = 3650;

export async function emailRetentionDays(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ email_days: number }>('SELECT email_days FROM experience_retention');
  return rows[0] ? Number(rows[0].email_days) : 90;
}

export async function setEmailRetentionDays(db: Db, days: number, actor: Pick<CurrentUser, 'id' | 'email'>): Promise<void> {
  await db.transaction(async (tx) => {
    const before = await emailRetentionDays(tx);
    await tx.query(
      `INSERT INTO experience_retention (id, email_days, updated_by) VALUES (true, $1, $2)
       ON CONFLICT (id) DO UPDATE SET email_days = EXCLUDED.email_days, updated_by = EXCLUDED.updated_by, updated_at = now()`,
      [days, actor.id],
    );
    if (before !== days)
      await audit(tx, {
        actor,
        action: 'experience.retention.update',
        entityType: 'experience_retention',
        entityId: null,
        before: { email_days: before },
        after: { email_days: days },
      });
  });
}

/**
 * Erases the e-mail addresses of the stories closed more than the retention ago (`now` for tests); returns how many,
 * and writes one journal entry for the run when there were some (the ids, never the addresses).
 */
export async function eraseOldEmails(db: Db, now: Date | null = null): Promise<number> {
  return db.transaction(async (tx) => {
    const days = await emailRetentionDays(tx);
    const { rows } = await tx.query<{ id: number }>(
      `UPDATE experiences e SET email = NULL, updated_at = coalesce($1::timestamptz, now())
        WHERE e.email IS NOT NULL AND e.status IN ('solved', 'closed', 'refused')
          AND (SELECT max(v.at) FROM experience_events v WHERE v.experience_id = e.id AND v.status_to IN ('solved', 'closed', 'refused'))
              <= coalesce($1::timestamptz, now()) - make_interval(days => $2)
       RETURNING e.id`,
      [now, days],
    );
    if (rows.length) {
      const ids = rows.map((r) => Number(r.id)).sort((a, b) => a - b);
      await audit(tx, {
        actor: null,
        action: 'experience.emails.erase',
        entityType: 'experience_retention',
        entityId: null,
        after: { erased: ids.length, email_days: days, stories: ids },
      });
    }
    return rows.length;
  });
}
