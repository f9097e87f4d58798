import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS, openTestDb, type TestDb } from '../../../test/helpers/db.ts';
import { seedCatalogDemo } from './seed.ts';

for (const target of TEST_TARGETS) {
  describe(`catalog demo data (${target})`, () => {
    let db: TestDb;
    before(async () => {
      db = await openTestDb(target);
    });
    after(async () => db.destroy());

    test('loads about 250 procedures over the real ministries, with the reference procedures', async () => {
      const first = await seedCatalogDemo(db);
      assert.ok(first.procedures >= 240 && first.procedures <= 270, `${first.procedures} procedures`);
      const { rows } = await db.query(
        `SELECT p.stable_id, p.title, p.volume_total, a.code AS administration, m.code AS ministry, p.is_demo
           FROM procedures p JOIN administrations a ON a.id = p.administration_id JOIN ministries m ON m.id = a.ministry_id
          WHERE p.stable_id IN ('ants-immatriculation-autres-demandes', 'dgfip-paiement-amendes') ORDER BY p.stable_id`,
      );
      assert.deepEqual(rows, [
        {
          stable_id: 'ants-immatriculation-autres-demandes',
          title: 'Autres demandes concernant l’immatriculation des véhicules',
          volume_total: 10724465,
          administration: 'ants',
          ministry: 'interieur',
          is_demo: true,
        },
        {
          stable_id: 'dgfip-paiement-amendes',
          title: 'Paiement des amendes',
          volume_total: 18720381,
          administration: 'dgfip',
          ministry: 'economie',
          is_demo: true,
        },
      ]);
      const codes = (await db.query<{ code: string }>('SELECT code FROM administrations')).rows.map((r) => r.code);
      for (const code of ['ants', 'dgfip', 'dgddi', 'cnaf', 'cnam', 'cnav', 'france-travail', 'urssaf', 'antai', 'ofii', 'dgef', 'crous']) {
        assert.ok(codes.includes(code), code);
      }
      const bad = await db.query('SELECT stable_id FROM procedures WHERE volume_online > volume_total OR NOT is_demo');
      assert.deepEqual(bad.rows, []);
    });

    test('is idempotent: a second run adds nothing and keeps edits', async () => {
      await db.query(`UPDATE procedures SET title = 'Titre modifié' WHERE stable_id = 'dgfip-paiement-amendes'`);
      const before = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM procedures')).rows[0].n;
      const second = await seedCatalogDemo(db);
      assert.deepEqual(second, { ministries: 0, administrations: 0, procedures: 0 });
      assert.equal((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM procedures')).rows[0].n, before);
      const { rows } = await db.query(`SELECT title FROM procedures WHERE stable_id = 'dgfip-paiement-amendes'`);
      assert.equal(rows[0].title, 'Titre modifié');
    });
  });
}
