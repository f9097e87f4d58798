import type { Db } from '../../kernel/db/db.ts';
import type { CurrentUser } from '../../kernel/auth/scope.ts';
import { audit } from '../../kernel/audit/audit.ts';
import { loadIndicators, loadRuleSet } from '../rules/repository.ts';
import { computeEdition } from './compute.ts';
import { bumpPublicCache } from '../cache/public-cache.ts';
import { analyzeRows, renderRows } from '../api/stored-rows.ts';
import { formatDate, todayInParis } from '../../kernel/web/format.ts';

export class PublishError extends Error {}

/** A feedback window is open until the end of its last day (Paris): reviews may still arrive. */
export function isWindowOpen(windowEnd: string, today = todayInParis()): boolean {
  return windowEnd >= today;
}

/** The day after the window's last one, when the edition can be published. */
function dayAfter(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

export function openWindowMessage(windowEnd: string): string {
  return (
    `La fenêtre des avis de cette édition est encore ouverte : des avis peuvent arriver jusqu’au ${formatDate(windowEnd)} inclus, ` +
    `et une édition publiée ne change plus. Elle pourra être publiée à partir du ${formatDate(dayAfter(windowEnd))}.`
  );
}

/**
 * Publishes a draft server-side in one transaction, once its feedback window is closed: computes every procedure × indicator with the current rule set
 * and stores them denormalised; the edition then never changes except through corrections (revisions).
 */
export async function publishEdition(
  db: Db,
  editionId: number,
  user: Pick<CurrentUser, 'id' | 'email'> | null,
  ipHash: string | null = null,
  publishedAt: Date | null = null,
): Promise<{ procedures: number }> {
  const result = await publishInTransaction(db, editionId, user, ipHash, publishedAt);
  // One edition adds a few percent to these tables, under autovacuum's threshold: without fresh statistics the planner
  // believes the new edition is empty and reads the latest edition's table with nested full scans (seconds, not ms).
  await db.query('ANALYZE obs_edition_procedures, obs_edition_values');
  await analyzeRows(db);
  bumpPublicCache(db);
  return result;
}

function publishInTransaction(
  db: Db,
  editionId: number,
  user: Pick<CurrentUser, 'id' | 'email'> | null,
  ipHash: string | null,
  publishedAt: Date | null,
): Promise<{ procedures: number }> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query('SELECT id, status, window_start, window_end FROM obs_editions WHERE id = $1 FOR UPDATE', [editionId]);
    const edition = rows[0];
    if (!edition) throw new PublishError('Cette édition n’existe pas.');
    if (edition.status !== 'draft') throw new PublishError('Cette édition est déjà publiée.');
    const windowEnd = String(edition.window_end).slice(0, 10);
    if (isWindowOpen(windowEnd)) throw new PublishError(openWindowMessage(windowEnd));
    const rules = await loadRuleSet(tx);
    const defs = await loadIndicators(tx);
    const indicators = defs.map((i) => i.slug);
    const table = await computeEdition(tx, { start: edition.window_start, end: edition.window_end }, rules, indicators);
    if (table.length === 0) throw new PublishError('Aucune démarche n’est dans le périmètre de l’observatoire : rien à publier.');

    const p = table.map((r) => r.procedure);
    await tx.query(
      `INSERT INTO obs_edition_procedures (edition_id, procedure_id, stable_id, slug, title, url, ministry_id, ministry_name,
              administration_id, administration_name, user_categories, online_status, search)
       SELECT $1, u.procedure_id, u.stable_id, u.slug, u.title, u.url, u.ministry_id, u.ministry_name, u.administration_id,
              u.administration_name, ARRAY(SELECT json_array_elements_text(u.categories::json)), u.online_status, search_text(u.title)
         FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::text[], $9::bigint[], $10::text[],
                     $11::text[], $12::text[])
           AS u(procedure_id, stable_id, slug, title, url, ministry_id, ministry_name, administration_id, administration_name, categories, online_status)`,
      [
        editionId,
        p.map((x) => x.procedureId),
        p.map((x) => x.stableId),
        p.map((x) => x.slug),
        p.map((x) => x.title),
        p.map((x) => x.url),
        p.map((x) => x.ministryId),
        p.map((x) => x.ministryName),
        p.map((x) => x.administrationId),
        p.map((x) => x.administrationName),
        p.map((x) => JSON.stringify(x.userCategories)),
        table.map((r) => (r.values.online?.raw === null || r.values.online?.raw === undefined ? null : String(r.values.online.raw))),
      ],
    );
    const cols = {
      pid: [] as number[],
      ind: [] as string[],
      raw: [] as (string | null)[],
      sort: [] as (number | null)[],
      label: [] as string[],
      colour: [] as string[],
      goal: [] as (boolean | null)[],
      byHand: [] as boolean[],
    };
    for (const row of table) {
      for (const [slug, cell] of Object.entries(row.values)) {
        cols.pid.push(row.procedure.procedureId);
        cols.ind.push(slug);
        cols.raw.push(cell.raw === null ? null : String(cell.raw));
        cols.sort.push(cell.sortValue);
        cols.label.push(cell.label);
        cols.colour.push(cell.colour);
        cols.goal.push(cell.goal);
        cols.byHand.push(cell.enteredByHand === true);
      }
    }
    await tx.query(
      `INSERT INTO obs_edition_values (edition_id, procedure_id, indicator, raw_value, sort_value, label, colour, goal, rule_version, entered_by_hand)
       SELECT $1, u.procedure_id, u.indicator, u.raw_value, u.sort_value, u.label, u.colour, u.goal, $9, u.entered_by_hand
         FROM unnest($2::bigint[], $3::text[], $4::text[], $5::float8[], $6::text[], $7::text[], $8::boolean[], $10::boolean[])
         AS u(procedure_id, indicator, raw_value, sort_value, label, colour, goal, entered_by_hand)`,
      [editionId, cols.pid, cols.ind, cols.raw, cols.sort, cols.label, cols.colour, cols.goal, rules.version, cols.byHand],
    );
    // The API's list rows, read back from what was just stored so that they are what the live path would give.
    await renderRows(tx, editionId, defs);
    await tx.query(
      `UPDATE obs_editions SET status = 'published', rule_version = $2, published_at = coalesce($4::timestamptz, now()), published_by = $3 WHERE id = $1`,
      [editionId, rules.version, user?.id ?? null, publishedAt],
    );
    await audit(tx, {
      actor: user,
      action: 'observatoire.edition.publish',
      entityType: 'obs_edition',
      entityId: editionId,
      after: { ruleVersion: rules.version, procedures: table.length },
      ipHash,
    });
    return { procedures: table.length };
  });
}
