import { createHash } from 'node:crypto';
import type { Queryable } from '../db/db.ts';
import type { CurrentUser } from '../auth/scope.ts';

export interface AuditEntry {
  actor: Pick<CurrentUser, 'id' | 'email'> | null;
  action: string;
  entityType: string;
  entityId?: string | number | null;
  before?: unknown;
  after?: unknown;
  ipHash?: string | null;
}

/** Records one change; call it in the same transaction as the change itself. */
export async function audit(db: Queryable, entry: AuditEntry): Promise<void> {
  await db.query(
    `INSERT INTO audit_log (actor_id, actor_label, action, entity_type, entity_id, before, after, ip_hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      entry.actor?.id ?? null,
      entry.actor?.email ?? 'système',
      entry.action,
      entry.entityType,
      entry.entityId === undefined || entry.entityId === null ? null : String(entry.entityId),
      entry.before === undefined ? null : JSON.stringify(entry.before),
      entry.after === undefined ? null : JSON.stringify(entry.after),
      entry.ipHash ?? null,
    ],
  );
}

/** The IP address is personal data: only a keyed hash of it is kept. */
export function hashIp(ip: string | undefined, secret: string): string | null {
  if (!ip) return null;
  return createHash('sha256').update(secret).update('\0').update(ip).digest('hex').slice(0, 32);
}
