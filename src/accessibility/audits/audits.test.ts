import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openTestDb, TEST_TARGETS, type TestDb } from '../../../test/helpers/db.ts';
import { addPage, auditConformity, auditsConformity, createAudit, saveResult } from './queries.ts';
import { missingMandatoryKinds, PAGE_KINDS } from './model.ts';

/** A statement that must fail on a constraint (the database refuses it, whatever the code above it does). */
async function refused(db: TestDb, sql: string, params: unknown[] = []): Promise<void> {
  await assert.rejects(db.transaction((tx) => tx.query(sql, params)));
}

for (const target of TEST_TARGETS) {
  describe(`accessibility audits schema and cell saves (${target})`, () => {
    let db: TestDb;
    let procedureId: number;
    let alice: { id: number; email: string };
    let bob: { id: number; email: string };

    before(async () => {
      db = await openTestDb(target);
      const m = await db.query<{ id: number }>(`INSERT INTO ministries (code, name) VALUES ('A11YM', 'Ministère') RETURNING id`);
      const a = await db.query<{ id: number }>(
        `INSERT INTO administrations (ministry_id, code, name) VALUES ($1, 'A11YA', 'ANTS') RETURNING id`,
        [m.rows[0].id],
      );
      const p = await db.query<{ id: number }>(
        `INSERT INTO procedures (stable_id, slug, title, administration_id) VALUES ('a11y-1', 'immatriculation', 'Autres demandes concernant l''immatriculation', $1) RETURNING id`,
        [a.rows[0].id],
      );
      procedureId = Number(p.rows[0].id);
      const user = async (email: string) => ({
        id: Number((await db.query<{ id: number }>('INSERT INTO users (email) VALUES ($1) RETURNING id', [email])).rows[0].id),
        email,
      });
      alice = await user('alice@exemple.gouv.fr');
      bob = await user('bob@exemple.gouv.fr');
    });
    after(() => db?.destroy());

    test('a fast audit gets one « non testé » cell per page × criterion of its type (25 per page)', async () => {
      const { auditId, pages } = await db.transaction(async (tx) => {
        const auditId = await createAudit(tx, { procedureId, type: 'fast', name: 'Audit rapide 2026', actor: alice });
        const pages = [
          await addPage(tx, { auditId, name: 'Accueil', url: 'https://exemple.gouv.fr/', kind: 'accueil', actor: alice }),
          await addPage(tx, { auditId, name: 'Éléments transverses', kind: 'transverse', actor: alice }),
        ];
        return { auditId, pages };
      });
      const { rows } = await db.query<{ n: number; nt: number }>(
        `SELECT count(*)::int AS n, count(*) FILTER (WHERE status = 'NT')::int AS nt FROM accessibility_results WHERE audit_id = $1`,
        [auditId],
      );
      assert.deepEqual(rows[0], { n: 50, nt: 50 });
      const c = (await auditConformity(db, auditId))!;
      assert.deepEqual([c.cells, c.tested, c.complete, c.rate], [50, 0, false, null]);
      const positions = await db.query<{ position: number }>(
        'SELECT position FROM accessibility_audit_pages WHERE id = ANY($1::bigint[]) ORDER BY position',
        [pages],
      );
      assert.deepEqual(
        positions.rows.map((r) => r.position),
        [1, 2],
      );
    });

    test('each cell is saved with its version: a stale save is refused, the other auditor’s value shown and kept', async () => {
      const { pageId, auditId } = await db.transaction(async (tx) => {
        const auditId = await createAudit(tx, { procedureId, type: 'full', name: 'Audit complet', actor: alice });
        return { auditId, pageId: await addPage(tx, { auditId, name: 'Contact', kind: 'contact', actor: alice }) };
      });
      // Both auditors opened the grid at version 1.
      const first = await db.transaction((tx) =>
        saveResult(tx, { pageId, criterion: '1.1', status: 'C', note: 'Alternative à améliorer', expectedVersion: 1, actor: alice }),
      );
      assert.deepEqual(first, { outcome: 'saved', version: 2 });
      const stale = await db.transaction((tx) =>
        saveResult(tx, { pageId, criterion: '1.1', status: 'NC', expectedVersion: 1, actor: bob }),
      );
      assert.deepEqual(stale, {
        outcome: 'conflict',
        current: { status: 'C', note: 'Alternative à améliorer', version: 2, updatedBy: alice.id },
      });
      // Bob saw Alice's value; his save at version 2 goes through, and both changes are in the journal.
      const retry = await db.transaction((tx) =>
        saveResult(tx, { pageId, criterion: '1.1', status: 'NC', expectedVersion: 2, actor: bob }),
      );
      assert.deepEqual(retry, { outcome: 'saved', version: 3 });
      const cell = await db.query('SELECT status, note, version FROM accessibility_results WHERE page_id = $1 AND criterion = $2', [
        pageId,
        '1.1',
      ]);
      assert.deepEqual(cell.rows[0], { status: 'NC', note: 'Alternative à améliorer', version: 3 });
      const journal = await db.query<{ actor_id: number; before: unknown; after: unknown }>(
        `SELECT actor_id, before, after FROM audit_log WHERE action = 'accessibility.result.save' AND entity_id = $1 ORDER BY id`,
        [String(auditId)],
      );
      assert.deepEqual(
        journal.rows.map((r) => [
          Number(r.actor_id),
          typeof r.after === 'string' ? JSON.parse(r.after).status : (r.after as { status: string }).status,
        ]),
        [
          [alice.id, 'C'],
          [bob.id, 'NC'],
        ],
      );
      // The save is one statement (cell and journal entry together), whatever the size of the audit.
      const before = db.queryCount;
      assert.deepEqual(await saveResult(db, { pageId, criterion: '1.2', status: 'NA', expectedVersion: 1, actor: alice, auditId }), {
        outcome: 'saved',
        version: 2,
      });
      assert.equal(db.queryCount - before, 1);
      // Another audit's id finds no cell of this page.
      assert.deepEqual(
        await saveResult(db, { pageId, criterion: '1.2', status: 'C', expectedVersion: 2, actor: alice, auditId: auditId + 1000 }),
        { outcome: 'missing' },
      );
      // A criterion the audit does not cover has no cell.
      assert.deepEqual(
        await db.transaction((tx) => saveResult(tx, { pageId, criterion: '99.9', status: 'C', expectedVersion: 1, actor: alice })),
        { outcome: 'missing' },
      );
    });

    test('a published audit is immutable: its cells refuse every save', async () => {
      const { auditId, pageId } = await db.transaction(async (tx) => {
        const auditId = await createAudit(tx, { procedureId, type: 'fast', name: 'Audit publié', actor: alice });
        return { auditId, pageId: await addPage(tx, { auditId, name: 'Accueil', kind: 'accueil', actor: alice }) };
      });
      await db.query(`UPDATE accessibility_audits SET status = 'published', published_at = now() WHERE id = $1`, [auditId]);
      const r = await db.transaction((tx) => saveResult(tx, { pageId, criterion: '1.1', status: 'C', expectedVersion: 1, actor: alice }));
      assert.deepEqual(r, { outcome: 'refused' });
      const cell = await db.query('SELECT status, version FROM accessibility_results WHERE page_id = $1 AND criterion = $2', [
        pageId,
        '1.1',
      ]);
      assert.deepEqual(cell.rows[0], { status: 'NT', version: 1 });
    });

    test('the rate of a stored audit, with a process, NC items and the transverse pseudo-page', async () => {
      const { auditId, home, step1, step2, transverse } = await db.transaction(async (tx) => {
        const auditId = await createAudit(tx, { procedureId, type: 'fast', name: 'Audit avec processus', actor: alice });
        const proc = await tx.query<{ id: number }>(
          `INSERT INTO accessibility_audit_processes (audit_id, name, position) VALUES ($1, 'Paiement', 1) RETURNING id`,
          [auditId],
        );
        const processId = Number(proc.rows[0].id);
        return {
          auditId,
          home: await addPage(tx, { auditId, name: 'Accueil', kind: 'accueil', actor: alice }),
          step1: await addPage(tx, { auditId, name: 'Étape 1', kind: 'processus', processId, actor: alice }),
          step2: await addPage(tx, { auditId, name: 'Étape 2', kind: 'processus', processId, actor: alice }),
          transverse: await addPage(tx, { auditId, name: 'Éléments transverses', kind: 'transverse', actor: alice }),
        };
      });
      // Everything NA, then: 1.1 C on every page; 3.1 NC on étape 2; 8.5 C on the transverse elements only.
      await db.query(`UPDATE accessibility_results SET status = 'NA' WHERE audit_id = $1`, [auditId]);
      const set = (page: number, criterion: string, status: string) =>
        db.query('UPDATE accessibility_results SET status = $3 WHERE page_id = $1 AND criterion = $2', [page, criterion, status]);
      for (const p of [home, step1, step2]) await set(p, '1.1', 'C');
      await set(step1, '3.1', 'C');
      await set(step2, '3.1', 'NC');
      await set(transverse, '8.5', 'C');
      await db.query(
        `INSERT INTO accessibility_nc_items (page_id, criterion, position, description, impact, quick_win, recommendation)
         VALUES ($1, '3.1', 1, 'Le statut du paiement n’est donné que par la couleur', 'bloquant', true, 'Ajouter un texte « Payé »')`,
        [step2],
      );
      const c = (await auditConformity(db, auditId))!;
      // Applicable: 1.1, 3.1, 8.5; respected: 1.1, 8.5 → 2 / 3.
      assert.deepEqual([c.applicable, c.respected, c.complete, c.tested, c.cells], [3, 2, true, 100, 100]);
      assert.ok(Math.abs(c.rate! - 200 / 3) < 1e-9);
      assert.equal(c.label, 'partiellement_conforme');
      // Accueil 2 / 2 (1.1, 8.5 from the header); étape 1: 3.1 fails on étape 2 of its process → 2 / 3; étape 2: 2 / 3.
      assert.deepEqual(
        c.pages.map((p) => [p.respected, p.applicable]),
        [
          [2, 2],
          [2, 3],
          [2, 3],
        ],
      );
      // Deleting the page takes its cells and their items with it.
      await db.query('DELETE FROM accessibility_audit_pages WHERE id = $1', [step2]);
      const left = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM accessibility_nc_items WHERE page_id = $1', [step2]);
      assert.equal(left.rows[0].n, 0);
    });

    test('the rates of several audits come from one query, each the same as read alone', async () => {
      const { first, second } = await db.transaction(async (tx) => {
        const first = await createAudit(tx, { procedureId, type: 'fast', name: 'Lot 1', actor: alice });
        const second = await createAudit(tx, { procedureId, type: 'fast', name: 'Lot 2', actor: alice });
        await addPage(tx, { auditId: first, name: 'Accueil', kind: 'accueil', actor: alice });
        await addPage(tx, { auditId: second, name: 'Accueil', kind: 'accueil', actor: alice });
        return { first, second };
      });
      await db.query(`UPDATE accessibility_results SET status = 'NA' WHERE audit_id = ANY($1::bigint[])`, [[first, second]]);
      await db.query(`UPDATE accessibility_results SET status = 'C' WHERE audit_id = ANY($1::bigint[]) AND criterion = '1.1'`, [
        [first, second],
      ]);
      await db.query(`UPDATE accessibility_results SET status = 'NC' WHERE audit_id = $1 AND criterion = '3.1'`, [first]);
      const before = db.queryCount;
      const both = await auditsConformity(db, [first, second, 999_999_999]);
      assert.equal(db.queryCount - before, 1);
      // First: 1.1 respected, 3.1 not → 1 / 2 = 50 %; second: 1.1 only → 100 %; the unknown id is absent.
      assert.deepEqual(
        [...both.keys()].sort((a, b) => a - b),
        [first, second].sort((a, b) => a - b),
      );
      assert.equal(both.get(first)!.rate, 50);
      assert.equal(both.get(second)!.rate, 100);
      assert.deepEqual(both.get(first), await auditConformity(db, first));
      assert.deepEqual(both.get(second), await auditConformity(db, second));
    });

    test('the schema refuses what an audit cannot hold', async () => {
      const { auditId, pageId, otherAudit } = await db.transaction(async (tx) => {
        const auditId = await createAudit(tx, { procedureId, type: 'fast', name: 'Contraintes', actor: alice });
        const otherAudit = await createAudit(tx, { procedureId, type: 'fast', name: 'Autre', actor: alice });
        await addPage(tx, { auditId, name: 'Éléments transverses', kind: 'transverse', actor: alice });
        return { auditId, otherAudit, pageId: await addPage(tx, { auditId, name: 'Accueil', kind: 'accueil', actor: alice }) };
      });
      const proc = await db.query<{ id: number }>(
        `INSERT INTO accessibility_audit_processes (audit_id, name, position) VALUES ($1, 'P', 1) RETURNING id`,
        [otherAudit],
      );
      await refused(db, `UPDATE accessibility_results SET status = 'OK' WHERE page_id = $1 AND criterion = '1.1'`, [pageId]);
      await refused(db, `INSERT INTO accessibility_audits (procedure_id, audit_type, name) VALUES ($1, 'partial', 'x')`, [procedureId]);
      await refused(db, `UPDATE accessibility_audits SET status = 'published' WHERE id = $1`, [auditId]); // no date
      await refused(db, `UPDATE accessibility_audits SET started_on = '2026-05-02', finished_on = '2026-05-01' WHERE id = $1`, [auditId]);
      // A second transverse pseudo-page, an unknown kind, a process of another audit.
      await refused(db, `INSERT INTO accessibility_audit_pages (audit_id, position, name, kind) VALUES ($1, 9, 'T2', 'transverse')`, [
        auditId,
      ]);
      await refused(db, `INSERT INTO accessibility_audit_pages (audit_id, position, name, kind) VALUES ($1, 9, 'X', 'bureau')`, [auditId]);
      await refused(
        db,
        `INSERT INTO accessibility_audit_pages (audit_id, position, name, kind, process_id) VALUES ($1, 9, 'X', 'processus', $2)`,
        [auditId, proc.rows[0].id],
      );
      // A cell whose page belongs to another audit, a criterion that is not one.
      await refused(db, `INSERT INTO accessibility_results (audit_id, page_id, criterion) VALUES ($1, $2, '1.1')`, [otherAudit, pageId]);
      await refused(db, `INSERT INTO accessibility_results (audit_id, page_id, criterion) VALUES ($1, $2, 'abc')`, [auditId, pageId]);
      // An item with an unknown impact or no description; a screenshot over 2 MB.
      await refused(
        db,
        `INSERT INTO accessibility_nc_items (page_id, criterion, position, description, impact) VALUES ($1, '1.1', 1, 'x', 'grave')`,
        [pageId],
      );
      await refused(db, `INSERT INTO accessibility_nc_items (page_id, criterion, position, description) VALUES ($1, '1.1', 1, '  ')`, [
        pageId,
      ]);
      const item = await db.query<{ id: number }>(
        `INSERT INTO accessibility_nc_items (page_id, criterion, position, description) VALUES ($1, '1.1', 1, 'Image sans alternative') RETURNING id`,
        [pageId],
      );
      await refused(db, `INSERT INTO accessibility_nc_images (item_id, content_type, bytes) VALUES ($1, 'image/png', $2)`, [
        item.rows[0].id,
        Buffer.alloc(2 * 1024 * 1024 + 1, 1),
      ]);
      await db.query(`INSERT INTO accessibility_nc_images (item_id, content_type, bytes) VALUES ($1, 'image/png', $2)`, [
        item.rows[0].id,
        Buffer.alloc(2 * 1024 * 1024, 1),
      ]);
    });

    test('every page kind of the model is accepted by the schema; the mandatory ones come first', async () => {
      const auditId = await db.transaction((tx) => createAudit(tx, { procedureId, type: 'full', name: 'Toutes les sortes', actor: alice }));
      for (const [i, k] of PAGE_KINDS.entries()) {
        await db.query('INSERT INTO accessibility_audit_pages (audit_id, position, name, kind) VALUES ($1, $2, $3, $4)', [
          auditId,
          i + 1,
          k.label,
          k.kind,
        ]);
      }
      const firstOptional = PAGE_KINDS.findIndex((k) => !k.mandatory);
      assert.equal(firstOptional, 7);
      assert.ok(PAGE_KINDS.slice(firstOptional).every((k) => !k.mandatory));
      assert.deepEqual(missingMandatoryKinds(['accueil', 'contact', 'service']), [
        'mentions_legales',
        'accessibilite',
        'plan_du_site',
        'aide',
        'authentification',
      ]);
    });
  });
}
