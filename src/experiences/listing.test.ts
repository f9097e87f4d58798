import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS } from '../../test/helpers/db.ts';
import { createTestApp, type TestApp } from '../../test/helpers/app.ts';
import { TestClient } from '../../test/helpers/client.ts';
import { createTestCatalog, type TestCatalog } from '../catalog/testing.ts';
import { answerStory, concludeStory, moderate, procedureInfo, submitStory } from './store.ts';
import { publicStories, publicTotal } from './queries.ts';

/** The plan PostgreSQL keeps for a statement, as text. */
async function plan(t: TestApp, text: string, values: unknown[]): Promise<string> {
  const { rows } = await t.db.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${text}`, values);
  return rows.map((r) => r['QUERY PLAN']).join('\n');
}

for (const target of TEST_TARGETS) {
  describe(`experiences: public lists by design (${target})`, () => {
    let t: TestApp;
    let cat: TestCatalog;

    before(async () => {
      t = await createTestApp(target);
      cat = await createTestCatalog(t.db, { prefix: 'lst' });
    });
    after(() => t?.close());

    test('per-procedure counters follow every change of state, kept by the triggers', async () => {
      const proc = (await procedureInfo(t.db, cat.procedures[0]))!;
      const story = {
        procedure: proc,
        lang: 'fr' as const,
        channels: ['en_ligne' as const],
        feeling: 'neutre' as const,
        solved: false,
        email: null,
        accessibilityTicked: false,
      };
      const ids: number[] = [];
      for (let i = 0; i < 5; i++)
        ids.push(
          await submitStory(t.db, {
            ...story,
            consent: i !== 4,
            body: `Histoire numéro ${i} : le formulaire ${'abcdefghij'.slice(i)} se bloque.`,
          }),
        );
      const counts = async () =>
        (await t.db.query(`SELECT stories, answered FROM experience_public_counts WHERE procedure_id = $1`, [proc.id])).rows.map((r) => [
          r.stories,
          r.answered,
        ]);
      // Received stories are not public: no counter yet (or zero).
      assert.deepEqual(
        (await counts()).filter(([s]) => s !== 0),
        [],
      );
      // By hand: 0, 1, 2 published; 3 refused; 4 published without consent (not public) → 3 public.
      for (const id of ids.slice(0, 3)) await moderate(t.deps, id, { publish: true }, null);
      await moderate(t.deps, ids[3], { publish: false, reason: 'hors_sujet' }, null);
      await moderate(t.deps, ids[4], { publish: true }, null);
      assert.deepEqual(await counts(), [[3, 0]]);
      // An answer to 0, then 0 solved and 1 closed: still 3 public, 1 answered.
      await answerStory(
        t.deps,
        ids[0],
        { body: 'Nous avons corrigé le formulaire.', actionUrl: null },
        null,
        'https://vigie.test/temoignages/1',
      );
      await concludeStory(t.db, ids[0], { solved: true }, null);
      await concludeStory(t.db, ids[1], { solved: false, reason: 'Demande hors du périmètre.' }, null);
      assert.deepEqual(await counts(), [[3, 1]]);
      assert.deepEqual(await publicTotal(t.db, { procedureId: proc.id }, {}), { total: 3, capped: false });
      assert.deepEqual(await publicTotal(t.db, { procedureId: proc.id }, { answered: true }), { total: 1, capped: false });
      assert.deepEqual(await publicTotal(t.db, { procedureId: proc.id }, { answered: false }), { total: 2, capped: false });
      assert.deepEqual(await publicTotal(t.db, { administrationId: cat.administrations[0] }, {}), { total: 3, capped: false });
      assert.deepEqual(await publicTotal(t.db, { ministryId: cat.ministries[0] }, {}), { total: 3, capped: false });
      // A filtered count reads the stories themselves: 3 with « formulaire », 1 with « abcdefghij » (story 0 only).
      assert.deepEqual(await publicTotal(t.db, { procedureId: proc.id }, { q: 'ABCDEFGHIJ' }), { total: 1, capped: false });
      // A statement changing several rows at once keeps them right too.
      await t.db.query(`UPDATE experiences SET consent = false WHERE id = ANY($1::bigint[])`, [ids.slice(0, 2)]);
      assert.deepEqual(await counts(), [[1, 0]]);
      await t.db.query(`UPDATE experiences SET consent = true WHERE id = ANY($1::bigint[])`, [ids.slice(0, 2)]);
      assert.deepEqual(await counts(), [[3, 1]]);
    });

    test('pagination is bounded: 250 pages at most, a French note beyond, page 251 not found', async () => {
      // 5 010 public stories of procedure 1 (by SQL: the triggers count them as one statement).
      await t.db.query(
        `INSERT INTO experiences (procedure_id, administration_id, ministry_id, body, search, channels, feeling, solved, consent, status, published_at, created_at)
        SELECT $1, $2, $3, 'Récit de masse ' || g, 'recit de masse ' || g, ARRAY['en_ligne'], 'neutre', false, true, 'published', now() - make_interval(mins => g), now() - make_interval(mins => g)
          FROM generate_series(1, 5010) g`,
        [cat.procedures[1], cat.administrations[1], cat.ministries[1]],
      );
      assert.deepEqual(await publicTotal(t.db, { procedureId: cat.procedures[1] }, {}), { total: 5010, capped: false });
      // A deletion (the delete trigger): 5 009, then back to 5 010.
      await t.db.query(`DELETE FROM experiences WHERE procedure_id = $1 AND body = 'Récit de masse 5010'`, [cat.procedures[1]]);
      assert.deepEqual(await publicTotal(t.db, { procedureId: cat.procedures[1] }, {}), { total: 5009, capped: false });
      await t.db.query(
        `INSERT INTO experiences (procedure_id, administration_id, ministry_id, body, search, channels, feeling, solved, consent, status, published_at, created_at)
        VALUES ($1, $2, $3, 'Récit de masse 5010', 'recit de masse 5010', ARRAY['en_ligne'], 'neutre', false, true, 'published', now() - interval '5010 minutes', now())`,
        [cat.procedures[1], cat.administrations[1], cat.ministries[1]],
      );
      assert.deepEqual(await publicTotal(t.db, { procedureId: cat.procedures[1] }, {}), { total: 5010, capped: false });
      // A filtered count stops at 5 000.
      assert.deepEqual(await publicTotal(t.db, { procedureId: cat.procedures[1] }, { feeling: 'neutre' }), { total: 5000, capped: true });
      const c = new TestClient(t.app);
      const base = `/temoignages/demarches/${cat.procedures[1]}`;
      const first = await c.get(base);
      assert.match(first.body, /5\s010\stémoignages publiés — page 1 sur 250/);
      assert.match(first.body, /La liste s’arrête aux 5\s000 témoignages les plus récents/);
      const filtered = await c.get(`${base}?ressenti=neutre`);
      assert.match(filtered.body, /Plus de 5\s000\stémoignages publiés — page 1 sur 250/);
      const last = await c.get(`${base}?page=250`);
      assert.equal(last.statusCode, 200);
      // Page 250 holds stories 4 981 to 5 000, newest first: « Récit de masse 4981 » first.
      assert.match(last.body, /Récit de masse 4981\b/);
      assert.equal((await c.get(`${base}?page=251`)).statusCode, 404);
      const { rows } = await publicStories(t.db, { procedureId: cat.procedures[1] }, {}, 2);
      assert.equal(rows[0].body, 'Récit de masse 21');
    });

    test('query plans: a page reads the place’s list index, the search its trigram index, never the whole table', async () => {
      await t.db.query(
        `INSERT INTO experiences (procedure_id, administration_id, ministry_id, body, search, channels, feeling, solved, consent, status, published_at, created_at)
        SELECT p, a, m, 'Autre récit ' || g, 'autre recit ' || g || ' ' || md5(g::text), ARRAY['telephone'], 'tres_mal', false, g % 10 <> 0, 'published', now() - make_interval(mins => g), now()
          FROM generate_series(1, 20000) g, LATERAL (SELECT ($1::bigint[])[1 + g % 2] AS p, ($2::bigint[])[1 + g % 2] AS a, ($3::bigint[])[1 + g % 2] AS m) x`,
        [cat.procedures, cat.administrations, cat.ministries],
      );
      await t.db.query('ANALYZE experiences');
      const pageOf = (
        where: string,
      ) => `WITH page AS (SELECT e.id FROM experiences e WHERE e.published_at IS NOT NULL AND e.status <> 'refused' AND e.consent AND ${where}
        ORDER BY e.published_at DESC, e.id DESC LIMIT 20 OFFSET 40) SELECT e.id, e.body FROM experiences e WHERE e.id IN (SELECT id FROM page) ORDER BY e.published_at DESC, e.id DESC`;
      const byProcedure = await plan(t, pageOf(`e.procedure_id = $1 AND $2 = ANY(e.channels) AND e.feeling = $3`), [
        cat.procedures[0],
        'telephone',
        'tres_mal',
      ]);
      assert.match(byProcedure, /experiences_list_procedure/, byProcedure);
      assert.doesNotMatch(byProcedure, /Seq Scan on experiences\b/, byProcedure);
      const byAdministration = await plan(t, pageOf(`e.administration_id = $1`), [cat.administrations[0]]);
      assert.match(byAdministration, /experiences_list_administration/, byAdministration);
      const byMinistry = await plan(t, pageOf(`e.ministry_id = $1`), [cat.ministries[0]]);
      assert.match(byMinistry, /experiences_list_ministry/, byMinistry);
      // A rare word in an administration: the trigram index finds its few rows.
      const search = await plan(
        t,
        `SELECT count(*) FROM experiences e WHERE e.published_at IS NOT NULL AND e.status <> 'refused' AND e.consent
        AND e.administration_id = $1 AND e.search LIKE '%' || $2 || '%'`,
        [cat.administrations[0], 'c4ca4238a0b9'],
      );
      assert.match(search, /experiences_search/, search);
      assert.doesNotMatch(search, /Seq Scan on experiences\b/, search);
    });
  });
}
