import type { Db } from '../../kernel/db/db.ts';
import { ROLE_LABELS, isAdmin, type CurrentUser } from '../../kernel/auth/scope.ts';
import { audit } from '../../kernel/audit/audit.ts';
import { evaluate } from '../rules/evaluate.ts';
import { loadIndicators, loadRuleSet } from '../rules/repository.ts';
import { renderRows } from '../api/stored-rows.ts';
import { PublishError } from './publish.ts';
import { bumpPublicCache } from '../cache/public-cache.ts';

export interface Correction {
  procedureId: number;
  indicator: string;
  value: string | null;
}

export interface CellDiff {
  procedureId: number;
  indicator: string;
  before: { raw: string | null; label: string; colour: string; goal: boolean | null };
  after: { raw: string | null; label: string; colour: string; goal: boolean | null };
}

/**
 * Corrects cells of a published edition: each cell is re-evaluated with the rule set the edition was published with,
 * and a numbered revision records who, why and the before/after of each cell, in the same transaction.
 */
/** Who made a correction, as public pages say it: the role (« Équipe de pilotage »), never the person's address. */
export function publicAuthorLabel(user: Partial<Pick<CurrentUser, 'grants'>>): string {
  const grants = user.grants ?? [];
  if (grants.length === 0 || isAdmin(user as CurrentUser)) return 'Équipe de pilotage';
  return ROLE_LABELS[grants[0].role];
}

export async function correctEdition(
  db: Db,
  editionId: number,
  corrections: Correction[],
  reason: string,
  user: Pick<CurrentUser, 'id' | 'email'> & Partial<Pick<CurrentUser, 'grants'>>,
  ipHash: string | null = null,
): Promise<number> {
  const revision = await correctInTransaction(db, editionId, corrections, reason, user, ipHash);
  bumpPublicCache(db);
  return revision;
}

function correctInTransaction(
  db: Db,
  editionId: number,
  corrections: Correction[],
  reason: string,
  user: Pick<CurrentUser, 'id' | 'email'> & Partial<Pick<CurrentUser, 'grants'>>,
  ipHash: string | null,
): Promise<number> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query('SELECT status, rule_version FROM obs_editions WHERE id = $1 FOR UPDATE', [editionId]);
    if (!rows[0] || rows[0].status !== 'published') throw new PublishError('Seule une édition publiée peut être corrigée.');
    const rules = await loadRuleSet(tx, rows[0].rule_version);
    const diff: CellDiff[] = [];
    for (const c of corrections) {
      const { rows: cells } = await tx.query(
        'SELECT raw_value, label, colour, goal FROM obs_edition_values WHERE edition_id = $1 AND procedure_id = $2 AND indicator = $3',
        [editionId, c.procedureId, c.indicator],
      );
      if (!cells[0]) throw new PublishError('Cette démarche ou cet indicateur ne figure pas dans l’édition.');
      const e = evaluate(rules, c.indicator, c.value);
      await tx.query(
        `UPDATE obs_edition_values SET raw_value = $4, sort_value = $5, label = $6, colour = $7, goal = $8
          WHERE edition_id = $1 AND procedure_id = $2 AND indicator = $3`,
        [editionId, c.procedureId, c.indicator, c.value, e.sortValue, e.label, e.colour, e.goal],
      );
      if (c.indicator === 'online') {
        await tx.query('UPDATE obs_edition_procedures SET online_status = $3 WHERE edition_id = $1 AND procedure_id = $2', [
          editionId,
          c.procedureId,
          c.value,
        ]);
      }
      diff.push({
        procedureId: c.procedureId,
        indicator: c.indicator,
        before: { raw: cells[0].raw_value, label: cells[0].label, colour: cells[0].colour, goal: cells[0].goal },
        after: { raw: c.value, label: e.label, colour: e.colour, goal: e.goal },
      });
    }
    // The API's stored list rows of these procedures follow the corrected cells in the same transaction.
    await renderRows(tx, editionId, await loadIndicators(tx), [...new Set(corrections.map((c) => c.procedureId))]);
    const { rows: rev } = await tx.query(
      `INSERT INTO obs_edition_revisions (edition_id, number, author_id, author_label, public_author, reason, diff)
       SELECT $1, coalesce(max(number), 0) + 1, $2, $3, $6, $4, $5::jsonb FROM obs_edition_revisions WHERE edition_id = $1 RETURNING number`,
      [editionId, user.id, user.email, reason, JSON.stringify(diff), publicAuthorLabel(user)],
    );
    await audit(tx, {
      actor: user,
      action: 'observatoire.edition.correct',
      entityType: 'obs_edition',
      entityId: editionId,
      before: diff.map((d) => d.before),
      after: { reason, revision: rev[0].number, cells: diff },
      ipHash,
    });
    return rev[0].number as number;
  });
}

export interface Revision {
  number: number;
  /** The public name of the author: a role or an administration, never an e-mail address. */
  author: string;
  reason: string;
  createdAt: Date;
  diff: (CellDiff & { title: string | null })[];
}

export async function listRevisions(db: Db, editionId: number): Promise<Revision[]> {
  const { rows } = await db.query(
    `SELECT r.number, r.public_author, r.reason, r.created_at, r.diff,
            (SELECT json_object_agg(ep.procedure_id, ep.title) FROM obs_edition_procedures ep
              WHERE ep.edition_id = r.edition_id AND ep.procedure_id IN (SELECT (d->>'procedureId')::bigint FROM jsonb_array_elements(r.diff) d)) AS titles
       FROM obs_edition_revisions r WHERE r.edition_id = $1 ORDER BY r.number`,
    [editionId],
  );
  return rows.map((r) => ({
    number: r.number,
    author: r.public_author,
    reason: r.reason,
    createdAt: r.created_at,
    diff: (r.diff as CellDiff[]).map((d) => ({ ...d, title: r.titles?.[String(d.procedureId)] ?? null })),
  }));
}
