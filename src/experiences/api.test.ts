import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { TEST_TARGETS } from '../../test/helpers/db.ts';
import { createTestApp, type TestApp } from '../../test/helpers/app.ts';
import { createTestCatalog, type TestCatalog } from '../catalog/testing.ts';
import { answerStory, moderate, procedureInfo, submitStory } from './store.ts';
import { storiesPage } from './api.ts';

for (const target of TEST_TARGETS) {
  describe(`experiences: public API and CSV export (${target})`, () => {
    let t: TestApp;
    let cat: TestCatalog;
    const ids: number[] = [];

    before(async () => {
      t = await createTestApp(target);
      cat = await createTestCatalog(t.db, { prefix: 'api' });
      const proc = (await procedureInfo(t.db, cat.procedures[0]))!;
      // 23 stories told in this order, each with an author's e-mail: 0–21 published (consent), 22 published without
      // consent (never public). Story 5 answered; story 7 by phone and « très mal ».
      for (let i = 0; i < 23; i++) {
        const id = await submitStory(t.db, {
          procedure: proc,
          lang: 'fr',
          body:
            i === 3
              ? 'La préfecture ne répond pas au téléphone depuis un mois.'
              : `Récit ${i} : ${'abcdefghijklmnopqrstuvwxyz'.slice(i)} sans réponse.`,
          channels: i === 7 ? ['telephone'] : ['en_ligne'],
          feeling: i === 7 ? 'tres_mal' : 'neutre',
          solved: false,
          email: `auteur${i}@exemple.fr`,
          consent: i !== 22,
          accessibilityTicked: false,
        });
        // Published one after the other: the newest is the last told.
        await moderate(t.deps, id, { publish: true }, null, new Date(Date.UTC(2026, 0, 1 + i)));
        ids.push(id);
      }
      await answerStory(
        t.deps,
        ids[5],
        { body: 'Nous corrigeons le formulaire.', actionUrl: null },
        null,
        'https://vigie.test/temoignages/x',
        new Date(Date.UTC(2026, 1, 1)),
      );
    });
    after(() => t?.close());

    test('stories of a procedure, an administration, a ministry: 20 a page, newest first, published fields only', async () => {
      for (const path of [
        `procedures/${cat.procedures[0]}`,
        `administrations/${cat.administrations[0]}`,
        `ministries/${cat.ministries[0]}`,
      ]) {
        const res = await t.app.inject(`/api/v1/experiences/${path}/stories`);
        assert.equal(res.statusCode, 200, path);
        const body = storiesPage.parse(res.json());
        // 22 public by hand (23 told, one without consent).
        assert.deepEqual(
          { page: body.page, perPage: body.perPage, pages: body.pages, total: body.total, totalCapped: body.totalCapped },
          { page: 1, perPage: 20, pages: 2, total: 22, totalCapped: false },
        );
        assert.deepEqual(
          body.items.map((s) => s.id),
          ids.slice(2, 22).reverse(),
        );
        assert.equal(body.items[0].publishedAt, '2026-01-22T00:00:00.000Z');
        assert.equal(body.items[0].administration.name, 'Administration de test 1');
        // Never the author's e-mail, nor whether one was given, nor moderation details.
        assert.doesNotMatch(res.body, /auteur\d+@exemple|hasEmail|email|flags|refusal/i);
      }
      const second = storiesPage.parse((await t.app.inject(`/api/v1/experiences/procedures/${cat.procedures[0]}/stories?page=2`)).json());
      assert.deepEqual(
        second.items.map((s) => s.id),
        [ids[1], ids[0]],
      );
    });

    test('filters as on the public pages: channel, feeling, answered, unaccented search', async () => {
      const get = async (q: string) =>
        storiesPage.parse((await t.app.inject(`/api/v1/experiences/procedures/${cat.procedures[0]}/stories?${q}`)).json());
      assert.deepEqual(
        (await get('canal=telephone&ressenti=tres_mal')).items.map((s) => s.id),
        [ids[7]],
      );
      const answered = await get('reponse=oui');
      assert.deepEqual(
        answered.items.map((s) => s.id),
        [ids[5]],
      );
      assert.equal(answered.items[0].status, 'answered');
      assert.equal(answered.items[0].answers, 1);
      assert.equal(answered.items[0].firstAnswerAt, '2026-02-01T00:00:00.000Z');
      assert.equal((await get('reponse=non')).total, 21);
      assert.deepEqual(
        (await get('q=PREFECTURE')).items.map((s) => s.id),
        [ids[3]],
      );
    });

    test('bad parameters: a 400 problem naming the parameter; unknown places: 404', async () => {
      const bad = await t.app.inject(`/api/v1/experiences/procedures/${cat.procedures[0]}/stories?canal=pigeon`);
      assert.equal(bad.statusCode, 400);
      assert.match(String(bad.headers['content-type']), /^application\/problem\+json/);
      assert.match(bad.body, /canal/);
      assert.equal((await t.app.inject(`/api/v1/experiences/procedures/${cat.procedures[0]}/stories?page=251`)).statusCode, 400);
      assert.equal((await t.app.inject(`/api/v1/experiences/procedures/${cat.procedures[0]}/stories?page=0`)).statusCode, 400);
      const unknown = await t.app.inject('/api/v1/experiences/ministries/999999999/stories');
      assert.equal(unknown.statusCode, 404);
      assert.match(unknown.body, /Ce ministère n’existe pas/);
      // A malformed id (the kernel's one rule): the same 404 problem as an unknown one.
      for (const id of ['abc', '0', '01', '12345678901234567']) {
        const malformed = await t.app.inject(`/api/v1/experiences/ministries/${id}/stories`);
        assert.equal(malformed.statusCode, 404, id);
        assert.deepEqual(malformed.json(), { title: 'Introuvable', status: 404, detail: 'Ce ministère n’existe pas.' }, id);
      }
    });

    test('CSV export: every public story, newest first, the page’s filters applied, no e-mail', async () => {
      const res = await t.app.inject(`/temoignages/demarches/${cat.procedures[0]}/temoignages.csv`);
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /^text\/csv/);
      assert.match(String(res.headers['content-disposition']), /attachment; filename="temoignages-demarches-\d+\.csv"/);
      const records = parse(res.rawPayload, { bom: true, columns: true, delimiter: ';' }) as Record<string, string>[];
      assert.equal(records.length, 22);
      assert.deepEqual(
        records.map((r) => Number(r.id)),
        ids.slice(0, 22).reverse(),
      );
      const answered = records.find((r) => Number(r.id) === ids[5])!;
      assert.deepEqual(
        {
          etat: answered.etat,
          ressenti: answered.ressenti,
          moyens: answered.moyens,
          reponses: answered.reponses,
          publie_le: answered.publie_le,
        },
        { etat: 'Répondu', ressenti: 'Ni bien ni mal', moyens: 'En ligne', reponses: '1', publie_le: '2026-01-06T00:00:00.000Z' },
      );
      assert.doesNotMatch(res.body, /@exemple/);
      const filtered = parse(
        (await t.app.inject(`/temoignages/administrations/${cat.administrations[0]}/temoignages.csv?canal=telephone`)).rawPayload,
        { bom: true, columns: true, delimiter: ';' },
      ) as Record<string, string>[];
      assert.deepEqual(
        filtered.map((r) => Number(r.id)),
        [ids[7]],
      );
      // Linked from the public page, with the page's filters.
      const page = await t.app.inject(`/temoignages/demarches/${cat.procedures[0]}?canal=telephone`);
      assert.match(page.body, new RegExp(`href="/temoignages/demarches/${cat.procedures[0]}/temoignages.csv\\?canal=telephone"`));
    });

    test('CSV export, route schemas: an id that cannot be one is the 404 page of an unknown place; a hand-edited filter a 400 in French, not everything', async () => {
      for (const [segment, label] of [
        ['demarches', 'Cette démarche'],
        ['administrations', 'Cette administration'],
        ['ministeres', 'Ce ministère'],
      ]) {
        const unknown = await t.app.inject(`/temoignages/${segment}/999999999/temoignages.csv`);
        assert.equal(unknown.statusCode, 404);
        assert.match(String(unknown.headers['content-type']), /^text\/html/);
        assert.match(unknown.body, /<h1>Page non trouvée<\/h1>/);
        assert.match(unknown.body, new RegExp(`${label} n’existe pas\\.`));
        for (const id of ['abc', '0', '01', '-1', '1e3', '12345678901234567', '9007199254740993']) {
          const res = await t.app.inject(`/temoignages/${segment}/${id}/temoignages.csv`);
          assert.equal(res.statusCode, 404, `${segment} ${id}`);
          assert.match(String(res.headers['content-type']), /^text\/html/);
          assert.match(res.body, /<h1>Page non trouvée<\/h1>/);
          assert.match(res.body, new RegExp(`${label} n’existe pas\\.`));
        }
      }
      const csv = `/temoignages/demarches/${cat.procedures[0]}/temoignages.csv`;
      for (const [query, message] of [
        ['canal=pigeon', /canal : en_ligne/],
        ['canal=telephone&canal=en_ligne', /canal : en_ligne/],
        ['reponse=peut-etre', /reponse : oui ou non\./],
        [`q=${'x'.repeat(201)}`, /q : 200 caractères au plus\./],
      ] as const) {
        const res = await t.app.inject(`${csv}?${query}`);
        assert.equal(res.statusCode, 400, query);
        assert.match(res.body, /<h1>Paramètre invalide<\/h1>/, query);
        assert.match(res.body, message, query);
        assert.doesNotMatch(res.body, /Récit \d+/, query);
      }
      // The page number means nothing for an export of everything: ignored.
      const all = parse((await t.app.inject(`${csv}?page=abc`)).rawPayload, { bom: true, columns: true, delimiter: ';' });
      assert.equal(all.length, 22);
    });
  });
}
