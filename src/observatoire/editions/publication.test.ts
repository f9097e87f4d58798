import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS } from '../../../test/helpers/db.ts';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import type { TestClient } from '../../../test/helpers/client.ts';
import { clientWithGrants } from '../../../test/helpers/users.ts';
import { todayInParis } from '../../kernel/web/format.ts';
import { setLiveValues } from '../test-fixtures.ts';
import { createDraft } from './drafts.ts';
import { isWindowOpen, publishEdition, PublishError } from './publish.ts';
import { editionChanges } from './changes.ts';
import type { ComputedRow } from './compute.ts';
import { createTestCatalog, type TestCatalog } from '../../catalog/testing.ts';

test('a feedback window is open until the end of its last day', () => {
  assert.equal(isWindowOpen('2026-12-31', '2026-12-03'), true);
  assert.equal(isWindowOpen('2026-12-03', '2026-12-03'), true);
  assert.equal(isWindowOpen('2026-12-02', '2026-12-03'), false);
});

test('changes against the previous edition: level changes and the largest moves, by hand', () => {
  const row = (id: number, raw: number, label: string, colour: 'green' | 'yellow' | 'red'): ComputedRow => ({
    procedure: {
      procedureId: id,
      stableId: `P-${id}`,
      slug: `p-${id}`,
      title: `Démarche ${id}`,
      url: null,
      ministryId: 1,
      ministryName: 'M',
      administrationId: 1,
      administrationName: 'A',
      userCategories: [],
    },
    values: { satisfaction: { raw, label, colour, goal: colour === 'green', sortValue: raw } },
  });
  const previous = new Map([
    [1, { satisfaction: { raw: '9', label: 'Très bien', colour: 'green' as const } }],
    [2, { satisfaction: { raw: '2', label: 'Pas bien', colour: 'red' as const } }],
    [3, { satisfaction: { raw: '8', label: 'Très bien', colour: 'green' as const } }],
    [4, { satisfaction: { raw: '5', label: 'Moyen', colour: 'yellow' as const } }],
  ]);
  // 1 unchanged, 2 red → yellow (+4), 3 green → yellow (−0,1), 4 yellow stays yellow (+2,5), 5 is new (no change).
  const draft = [
    row(1, 9, 'Très bien', 'green'),
    row(2, 6, 'Moyen', 'yellow'),
    row(3, 7.9, 'Moyen', 'yellow'),
    row(4, 7.5, 'Moyen', 'yellow'),
    row(5, 3, 'Pas bien', 'red'),
  ];
  const [c] = editionChanges(draft, previous, ['satisfaction'], 2);
  assert.deepEqual(
    c.levelChanges.map((x) => [x.procedure.procedureId, x.before.label, x.after.label]),
    [
      [2, 'Pas bien', 'Moyen'],
      [3, 'Très bien', 'Moyen'],
    ],
  );
  assert.deepEqual(
    c.largestMoves.map((x) => [x.procedure.procedureId, Math.round(x.delta! * 10) / 10]),
    [
      [2, 4],
      [4, 2.5],
    ],
  );
});

for (const target of TEST_TARGETS) {
  describe(`publishing an edition (${target})`, () => {
    let t: TestApp;
    let f: TestCatalog;
    let admin: TestClient;
    before(async () => {
      t = await createTestApp(target);
      f = await createTestCatalog(t.db, { varied: true, procedures: 5 });
      await setLiveValues(t.db, f.procedures, 'satisfaction', [9, 2, 8, 5, 7]);
      admin = await clientWithGrants(t.app, t.db, [{ role: 'admin' }], 'pilote-publication@exemple.gouv.fr');
    });
    after(async () => t.close());

    test('refused while the feedback window is open, with a French message; nothing is written', async () => {
      const today = todayInParis();
      const open = await createDraft(t.db, { name: 'Édition en cours', period: 'T4', windowStart: '2026-01-01', windowEnd: today }, null);
      await assert.rejects(
        publishEdition(t.db, open, null),
        (err: Error) => err instanceof PublishError && /fenêtre des avis de cette édition est encore ouverte/.test(err.message),
      );
      const { rows } = await t.db.query(
        'SELECT status, (SELECT count(*) FROM obs_edition_values WHERE edition_id = $1) AS cells FROM obs_editions WHERE id = $1',
        [open],
      );
      assert.deepEqual([rows[0].status, Number(rows[0].cells)], ['draft', 0]);

      const url = `/observatoire/admin/editions/${open}`;
      const draft = await admin.get(url);
      assert.match(draft.body, /encore ouverte : des avis peuvent arriver jusqu’au/);
      assert.doesNotMatch(draft.body, /href="\/observatoire\/admin\/editions\/\d+\/publier"/);
      const confirmation = await admin.get(`${url}/publier`);
      assert.equal(confirmation.statusCode, 409);
      assert.match(confirmation.body, /Publication impossible pour l’instant/);
      assert.doesNotMatch(confirmation.body, /Confirmer la publication/);
      const forced = await admin.post(`${url}/publier`, { confirmation: 'oui' });
      assert.equal(forced.statusCode, 400);
      assert.match(forced.body, /Elle pourra être publiée à partir du/);
      assert.equal((await t.app.inject('/api/v1/editions')).json().items.length, 0);
      await admin.post(`${url}/supprimer`);
    });

    test('the draft and the confirmation show, per indicator, the procedures whose level changes and the largest moves', async () => {
      const first = await createDraft(
        t.db,
        { name: 'Édition de juillet', period: 'T2', windowStart: '2025-07-01', windowEnd: '2026-06-30' },
        null,
      );
      await publishEdition(t.db, first, null);
      // Procedure 2 goes from « Pas bien » (2) to « Moyen » (6), procedure 3 from « Très bien » (8) to « Moyen » (7,9).
      await setLiveValues(t.db, f.procedures, 'satisfaction', [9, 6, 7.9, 5, 7]);
      const second = await createDraft(
        t.db,
        { name: 'Édition d’octobre', period: 'T3', windowStart: '2025-10-01', windowEnd: '2026-09-30' },
        null,
      );
      const url = `/observatoire/admin/editions/${second}`;
      for (const page of [await admin.get(url), await admin.get(`${url}/publier`)]) {
        assert.equal(page.statusCode, 200);
        assert.match(page.body, /Changements par rapport à l’édition de juillet/);
        assert.match(page.body, /<tr><th scope="row">Satisfaction usagers<\/th><td>2<\/td><td>\+4 \(Démarche n° 0002\)<\/td><\/tr>/);
        const section = /<h3 class="fr-h5">Satisfaction usagers<\/h3>[\s\S]*?<\/table>/.exec(page.body)![0];
        assert.match(section, /2\u00a0démarches changent de niveau/);
        assert.match(
          section,
          /Démarche n° 0002<\/a><\/th>\s*<td><span[^>]*>Pas bien<\/span> 2 \/ 10<\/td><td><span[^>]*>Moyen<\/span> 6 \/ 10<\/td><td>\+4<\/td><td>oui<\/td>/,
        );
        assert.match(
          section,
          /Démarche n° 0003 écologique<\/a><\/th>\s*<td><span[^>]*>Très bien<\/span> 8 \/ 10<\/td><td><span[^>]*>Moyen<\/span> 7,9 \/ 10<\/td><td>−0,1<\/td><td>oui<\/td>/,
        );
      }
      const published = await admin.post(`${url}/publier`, { confirmation: 'oui' });
      assert.equal(published.statusCode, 303);
      const { rows } = await t.db.query(`SELECT action FROM audit_log WHERE entity_type = 'obs_edition' AND entity_id = $1`, [
        String(second),
      ]);
      assert.deepEqual(
        rows.map((r) => r.action),
        ['observatoire.edition.publish'],
      );
    });
  });
}
