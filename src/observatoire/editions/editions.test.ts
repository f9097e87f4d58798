import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS, openTestDb, type TestDb } from '../../../test/helpers/db.ts';
import { setLiveValues } from '../test-fixtures.ts';
import { createDraft, deleteDraft, getEdition, previousPublished } from './drafts.ts';
import { publishEdition, PublishError } from './publish.ts';
import { correctEdition, listRevisions } from './correct.ts';
import { loadRuleSet, saveRuleSet } from '../rules/repository.ts';
import { tablePage } from '../table/query.ts';
import { DEFAULT_QUERY } from '../table/filters.ts';
import { createTestCatalog, type TestCatalog } from '../../catalog/testing.ts';

const window = { name: 'Édition test', period: 'T1 2026', windowStart: '2026-01-01', windowEnd: '2026-03-31' };

for (const target of TEST_TARGETS) {
  describe(`observatoire editions (${target})`, () => {
    let db: TestDb;
    let f: TestCatalog;
    before(async () => {
      db = await openTestDb(target);
      f = await createTestCatalog(db, { varied: true, procedures: 6 });
      await setLiveValues(db, f.procedures, 'satisfaction', [9, 8, 7.9, 5, 'avis_insuffisants', 2]);
      await db.query(`INSERT INTO users (email) VALUES ('pilote@exemple.gouv.fr')`);
    });
    after(async () => db.destroy());

    test('publishing stores every procedure × indicator with its level and the rule-set version', async () => {
      const id = await createDraft(db, window, null);
      const { procedures } = await publishEdition(db, id, null);
      assert.equal(procedures, 6);
      const { rows } = await db.query(
        `SELECT procedure_id, label, colour, goal, rule_version FROM obs_edition_values WHERE edition_id = $1 AND indicator = 'satisfaction' ORDER BY procedure_id`,
        [id],
      );
      assert.deepEqual(
        rows.map((r) => r.label),
        ['Très bien', 'Très bien', 'Moyen', 'Moyen', "Nombre d'avis insuffisant", 'Pas bien'],
      );
      assert.deepEqual(
        rows.map((r) => r.goal),
        [true, true, false, false, null, false],
      );
      assert.ok(rows.every((r) => r.rule_version === 1));
      const { rows: count } = await db.query('SELECT count(*) AS n FROM obs_edition_values WHERE edition_id = $1', [id]);
      assert.equal(count[0].n, 6 * 13); // 13 indicators since « Contacts pour 1 000 démarches » (support, migration 0800)
      assert.equal((await getEdition(db, id))!.status, 'published');
      const { rows: audit } = await db.query(`SELECT action FROM audit_log WHERE entity_type = 'obs_edition' AND entity_id = $1`, [
        String(id),
      ]);
      assert.deepEqual(
        audit.map((a) => a.action),
        ['observatoire.edition.publish'],
      );
    });

    test('a published edition keeps its levels when the rules change; the next edition uses the new version', async () => {
      const first = await createDraft(db, window, null);
      await publishEdition(db, first, null, null, new Date('2026-04-01T10:00:00Z'));
      const rules = await loadRuleSet(db);
      const changed = structuredClone(rules);
      changed.indicators.satisfaction.levels[0].from = 9;
      changed.indicators.satisfaction.levels[0].label = 'Excellent';
      const version = await saveRuleSet(db, changed, 'Seuil relevé', null);
      assert.equal(version, 2);
      const second = await createDraft(db, window, null);
      await publishEdition(db, second, null, null, new Date('2026-07-01T10:00:00Z'));
      const cell = async (edition: number) =>
        (
          await db.query(
            `SELECT label, goal, rule_version FROM obs_edition_values WHERE edition_id = $1 AND procedure_id = $2 AND indicator = 'satisfaction'`,
            [edition, f.procedures[1]],
          )
        ).rows[0];
      assert.deepEqual(await cell(first), { label: 'Très bien', goal: true, rule_version: 1 });
      assert.deepEqual(await cell(second), { label: 'Moyen', goal: false, rule_version: 2 });
      assert.equal((await previousPublished(db, (await getEdition(db, second))!))!.id, first);
    });

    test('a published edition cannot be published again, deleted or put back to draft', async () => {
      const id = await createDraft(db, window, null);
      await publishEdition(db, id, null);
      await assert.rejects(publishEdition(db, id, null), PublishError);
      assert.equal(await deleteDraft(db, id), false);
      await assert.rejects(db.query('DELETE FROM obs_editions WHERE id = $1', [id]), /cannot be deleted/);
      await assert.rejects(
        db.query(`UPDATE obs_editions SET status = 'draft', published_at = NULL, rule_version = NULL WHERE id = $1`, [id]),
      );
    });

    test('deleting a draft leaves nothing behind', async () => {
      const id = await createDraft(db, window, null);
      assert.equal(await deleteDraft(db, id), true);
      assert.equal(await getEdition(db, id), null);
      const { rows } = await db.query(
        'SELECT (SELECT count(*) FROM obs_edition_values WHERE edition_id = $1) + (SELECT count(*) FROM obs_edition_procedures WHERE edition_id = $1) AS n',
        [id],
      );
      assert.equal(rows[0].n, 0);
    });

    test('a correction re-evaluates the cell with the edition’s own rules and records who, why and the diff', async () => {
      const id = await createDraft(db, window, null);
      await publishEdition(db, id, null);
      const user = { id: 1, email: 'pilote@exemple.gouv.fr' };
      const { rows: u } = await db.query(`SELECT id FROM users WHERE email = $1`, [user.email]);
      user.id = Number(u[0].id);
      const number = await correctEdition(
        db,
        id,
        [{ procedureId: f.procedures[5], indicator: 'satisfaction', value: '9.5' }],
        'Avis mal agrégés',
        user,
      );
      assert.equal(number, 1);
      const [revision] = await listRevisions(db, id);
      assert.equal(revision.reason, 'Avis mal agrégés');
      // Public pages name the role, never the person's address (issue 11).
      assert.equal(revision.author, 'Équipe de pilotage');
      assert.doesNotMatch(JSON.stringify(await listRevisions(db, id)), /pilote@exemple\.gouv\.fr/);
      assert.equal(revision.diff[0].before.label, 'Pas bien');
      assert.equal(revision.diff[0].after.raw, '9.5');
      assert.match(revision.diff[0].title!, /Démarche n° 0006/);
      const page = await tablePage(db, id, { ...DEFAULT_QUERY, q: '0006' });
      assert.equal(page.rows[0].values.satisfaction.label, 'Excellent');
      await assert.rejects(
        correctEdition(db, id, [{ procedureId: 999999, indicator: 'satisfaction', value: '1' }], 'x', user),
        PublishError,
      );
      assert.equal((await listRevisions(db, id)).length, 1, 'a failed correction writes nothing');
    });
  });
}
