import type { Queryable, Db } from '../kernel/db/db.ts';
import { addPage, createAudit } from './audits/queries.ts';

/**
 * Test fixture: a published full audit of two pages, built through the audit queries, with figures computed by hand:
 *        1.1  3.2  8.5  11.1   (every other criterion NA)
 * Accueil C    C    NC   NA    → page 2/3
 * Contact C    NA   C    C     → page 3/3
 * Applicable 1.1, 3.2, 8.5, 11.1 (4); respected 1.1, 3.2, 11.1 (3): 75 %, « partiellement conforme »; average of the
 * page rates (66,67 + 100) / 2 = 83,33 → 83 %. One NC item on 8.5, one test environment, published today.
 */
export async function publishedFullAudit(db: Db, procedureId: number, finishedOn: string): Promise<number> {
  const ids = await db.transaction(async (tx: Queryable) => {
    const auditId = await createAudit(tx, { procedureId, type: 'full', name: 'Audit complet 2026', actor: null });
    const home = await addPage(tx, { auditId, name: 'Accueil', url: 'https://titres.exemple.gouv.fr/', kind: 'accueil', actor: null });
    const contact = await addPage(tx, {
      auditId,
      name: 'Contact',
      url: 'https://titres.exemple.gouv.fr/contact',
      kind: 'contact',
      actor: null,
    });
    return { auditId, home, contact };
  });
  const { auditId } = ids;
  await db.query(`UPDATE accessibility_results SET status = 'NA' WHERE audit_id = $1`, [auditId]);
  const set = (page: number, criterion: string, status: string) =>
    db.query('UPDATE accessibility_results SET status = $3 WHERE page_id = $1 AND criterion = $2', [page, criterion, status]);
  await set(ids.home, '1.1', 'C');
  await set(ids.home, '3.2', 'C');
  await set(ids.home, '8.5', 'NC');
  await set(ids.contact, '1.1', 'C');
  await set(ids.contact, '8.5', 'C');
  await set(ids.contact, '11.1', 'C');
  await db.query(
    `INSERT INTO accessibility_nc_items (page_id, criterion, position, description, impact) VALUES ($1, '8.5', 1, 'La page n’a pas de titre', 'majeur')`,
    [ids.home],
  );
  await db.query(
    `INSERT INTO accessibility_audit_environments (audit_id, position, assistive_technology, browser, operating_system) VALUES ($1, 1, 'NVDA 2024.4', 'Firefox 133', 'Windows 11')`,
    [auditId],
  );
  await db.query(
    `UPDATE accessibility_audits SET status = 'published', published_at = now(), audited_by = 'la société Access42', tools = '{"Colour Contrast Analyser"}', finished_on = $2 WHERE id = $1`,
    [auditId, finishedOn],
  );
  return auditId;
}
