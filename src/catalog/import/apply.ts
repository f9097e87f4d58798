import type { Db, Queryable } from '../../kernel/db/db.ts';
import { audit } from '../../kernel/audit/audit.ts';
import type { CurrentUser } from '../../kernel/auth/scope.ts';
import { procedureSnapshot } from '../queries/procedures.ts';
import type { PlannedWrite } from './plan.ts';

/** The catalogue moved between the preview and its confirmation: applying the preview would overwrite someone's work. */
export class StalePreviewError extends Error {}

const UPSERT = `INSERT INTO procedures (stable_id, slug, title, description, administration_id, url, info_url, user_categories,
    volume_total, volume_online, online_status, franceconnect, in_scope, help_channels)
  SELECT r."stableId", r.slug, r.title, r.description, r."administrationId", r.url, r."infoUrl", r."userCategories",
    r."volumeTotal", r."volumeOnline", r."onlineStatus", r.franceconnect, r."inScope", r."helpChannels"
  FROM jsonb_to_recordset($1::jsonb) AS r("stableId" text, slug text, title text, description text, "administrationId" bigint,
    url text, "infoUrl" text, "userCategories" text[], "volumeTotal" bigint, "volumeOnline" bigint, "onlineStatus" text,
    franceconnect text, "inScope" boolean, "helpChannels" jsonb)
  ON CONFLICT (stable_id) DO UPDATE SET slug = EXCLUDED.slug, title = EXCLUDED.title, description = EXCLUDED.description,
    administration_id = EXCLUDED.administration_id, url = EXCLUDED.url, info_url = EXCLUDED.info_url,
    user_categories = EXCLUDED.user_categories, volume_total = EXCLUDED.volume_total, volume_online = EXCLUDED.volume_online,
    online_status = EXCLUDED.online_status, franceconnect = EXCLUDED.franceconnect, in_scope = EXCLUDED.in_scope,
    help_channels = EXCLUDED.help_channels, updated_at = now()
  RETURNING id, stable_id`;

/** One audit row per procedure, written in one statement (an import may touch thousands). */
const AUDIT_MANY = `INSERT INTO audit_log (actor_id, actor_label, action, entity_type, entity_id, before, after, ip_hash)
  SELECT $1, $2, r.action, 'procedure', r.entity_id, r.before, r.after, $3
  FROM jsonb_to_recordset($4::jsonb) AS r(action text, entity_id text, before jsonb, after jsonb)`;

/**
 * Applies a previewed import, all or nothing, in one transaction: a version check of every row the preview saw,
 * one upsert statement, one audit statement, and a summary entry.
 */
export async function applyImport(
  db: Db,
  writes: PlannedWrite[],
  context: { actor: Pick<CurrentUser, 'id' | 'email'> | null; ipHash?: string | null; fileName: string },
  /** Runs in the same transaction once the rows are written (the web marks its preview applied there). */
  onApplied?: (tx: Queryable, result: { created: number; updated: number }) => Promise<void>,
): Promise<{ created: number; updated: number }> {
  return db.transaction(async (tx) => {
    const ids = writes.map((w) => w.input.stableId);
    if (ids.length === 0) {
      await onApplied?.(tx, { created: 0, updated: 0 });
      return { created: 0, updated: 0 };
    }
    // Locks the rows the preview saw, so that nobody changes them between the check and the upsert.
    const { rows } = await tx.query<{ stable_id: string; version: string }>(
      'SELECT stable_id, updated_at::text AS version FROM procedures WHERE stable_id = ANY($1::text[]) FOR UPDATE',
      [ids],
    );
    const versions = new Map(rows.map((r) => [r.stable_id, r.version]));
    for (const w of writes) {
      if ((versions.get(w.input.stableId) ?? null) !== w.version) {
        throw new StalePreviewError(
          `La démarche « ${w.input.stableId} » a été ${w.version ? 'modifiée' : 'créée'} depuis l’aperçu. Relancez l’import pour obtenir un aperçu à jour : rien n’a été enregistré.`,
        );
      }
    }
    const saved = await tx.query<{ id: number; stable_id: string }>(UPSERT, [JSON.stringify(writes.map((w) => w.input))]);
    const idOf = new Map(saved.rows.map((r) => [r.stable_id, r.id]));
    const entries = writes.map((w) => ({
      action: w.action === 'create' ? 'procedure.create' : 'procedure.update',
      entity_id: String(idOf.get(w.input.stableId)),
      before: w.before,
      after: procedureSnapshot(w.input),
    }));
    await tx.query(AUDIT_MANY, [
      context.actor?.id ?? null,
      context.actor?.email ?? 'système',
      context.ipHash ?? null,
      JSON.stringify(entries),
    ]);
    const created = writes.filter((w) => w.action === 'create').length;
    const result = { created, updated: writes.length - created };
    await audit(tx, {
      actor: context.actor,
      action: 'catalog.import',
      entityType: 'catalog',
      entityId: null,
      after: { fileName: context.fileName, ...result },
      ipHash: context.ipHash,
    });
    await onApplied?.(tx, result);
    return result;
  });
}
