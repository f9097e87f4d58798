import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS } from '../../../test/helpers/db.ts';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { TestClient } from '../../../test/helpers/client.ts';
import { createTestUser, signedInClient } from '../../../test/helpers/users.ts';
import { insertButton, insertForm } from '../forms/queries.ts';
import { createFeedbackFixture, Visitor, type FeedbackFixture } from '../testing.ts';

/** The 95 % interval and n written under each value (docs/statistics.md); its figures are tested in src/kernel/stats. */
const CI = '<br><span class="fr-text--xs">IC 95 % [^<]*, n = [^<]*</span>';

/** One review: the options chosen (satisfaction required, clarity and help optional). */
interface Review {
  satisfaction: 'bad' | 'medium' | 'good';
  clarity?: 'very_bad' | 'bad' | 'medium' | 'good' | 'very_good';
  help?: string[];
}

// The marks of the questionnaire, written out here so that the expected values do not come from the code under test.
const MARKS: Record<string, Record<string, number>> = {
  satisfaction: { bad: 0, medium: 5, good: 10 },
  clarity: { very_bad: 0, bad: 2.5, medium: 5, good: 7.5, very_good: 10 },
};

/** Σ(mark × count) ÷ Σ(count) over every answer of every review given: the weighted mean, not a mean of means. */
function weighted(reviews: Review[], question: 'satisfaction' | 'clarity'): number {
  const marks = reviews.flatMap((r) => (r[question] === undefined ? [] : [MARKS[question][r[question]]]));
  return marks.reduce((s, m) => s + m, 0) / marks.length;
}
/** « pas besoin d'aide » ÷ reviews that answered the help question, in %. */
function autonomy(reviews: Review[]): number {
  const answered = reviews.filter((r) => r.help);
  return (100 * answered.filter((r) => r.help!.includes('none')).length) / answered.length;
}
const fr = (v: number) => v.toFixed(1).replace('.', ',');
const cell = (label: string, value: string) => new RegExp(`<th scope="row">${label}</th><td>${value.replace(/[/]/g, '\\/')}</td>`);

for (const target of TEST_TARGETS) {
  describe(`administration and ministry dashboards (${target})`, () => {
    let t: TestApp;
    let f: FeedbackFixture;
    let ip = 1;
    /** Procedures: p1 (fixture) and p3 in administration 1, p5 in administration 1b (same ministry 1), p4 in ministry 2. */
    const ids = { p1: 0, p3: 0, p4: 0, p5: 0, a1: 0, a1b: 0, a2: 0, m1: 0, m2: 0 };
    const reviews: Record<'p1' | 'p3' | 'p4' | 'p5', Review[]> = {
      p1: [
        { satisfaction: 'good', clarity: 'very_good', help: ['none'] },
        { satisfaction: 'good', clarity: 'medium', help: ['none'] },
        { satisfaction: 'medium' },
      ],
      p3: [{ satisfaction: 'bad', clarity: 'bad', help: ['relative'] }],
      p4: [{ satisfaction: 'bad' }, { satisfaction: 'bad' }],
      p5: [{ satisfaction: 'medium', clarity: 'good' }],
    };
    const clients: Record<string, TestClient> = {};

    async function procedureWithButton(administrationId: number, title: string): Promise<{ id: number; key: string }> {
      const { rows } = await t.db.query<{ id: number }>(
        'INSERT INTO procedures (stable_id, slug, title, administration_id) VALUES ($1, $1, $2, $3) RETURNING id',
        [`grp-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`, title, administrationId],
      );
      const formId = await insertForm(t.db, { procedureId: Number(rows[0].id), template: 'default', name: 'Formulaire' }, null);
      const button = await insertButton(t.db, { formId, name: 'Fin', placement: '', isTest: false });
      return { id: Number(rows[0].id), key: button.publicKey };
    }

    async function answer(key: string, r: Review): Promise<void> {
      const v = new Visitor(t.app, `10.7.${Math.floor(ip / 200)}.${(ip++ % 200) + 1}`);
      const s1 = await v.start(key, { satisfaction: r.satisfaction });
      assert.equal(s1.statusCode, 303);
      const s2 = await v.step(String(s1.headers.location), { ...(r.clarity ? { clarity: r.clarity } : {}), action: 'next' });
      if (r.help) await v.step(String(s2.headers.location), { help_tried: r.help, action: 'next' });
    }

    before(async () => {
      t = await createTestApp(target);
      f = await createFeedbackFixture(t.db, 'grp');
      [ids.m1, ids.m2] = f.catalog.ministries;
      [ids.a1, ids.a2] = f.catalog.administrations;
      ids.p1 = f.catalog.procedures[0];
      ids.a1b = Number(
        (
          await t.db.query(
            `INSERT INTO administrations (ministry_id, code, name) VALUES ($1, 'grp-adm-1b', 'Administration sœur') RETURNING id`,
            [ids.m1],
          )
        ).rows[0].id,
      );
      const p3 = await procedureWithButton(ids.a1, 'Démarche trois');
      const p4 = await procedureWithButton(ids.a2, 'Démarche quatre');
      const p5 = await procedureWithButton(ids.a1b, 'Démarche cinq');
      [ids.p3, ids.p4, ids.p5] = [p3.id, p4.id, p5.id];
      const keys = { p1: f.button.publicKey, p3: p3.key, p4: p4.key, p5: p5.key };
      for (const [p, list] of Object.entries(reviews)) for (const r of list) await answer(keys[p as keyof typeof keys], r);
      // A test button's reviews feed no indicator.
      const testButton = await insertButton(t.db, { formId: f.formId, name: 'Essai', placement: '', isTest: true });
      await answer(testButton.publicKey, { satisfaction: 'bad', clarity: 'very_bad' });

      const users: Record<string, Parameters<typeof createTestUser>[2]> = {
        admin: [{ role: 'admin' }],
        referent: [{ role: 'ministry_referent', ministryId: ids.m1 }],
        member: [{ role: 'administration_member', administrationId: ids.a1 }],
        reader: [{ role: 'procedure_reader', procedureId: ids.p1 }],
        editor: [{ role: 'procedure_editor', procedureId: ids.p1 }],
      };
      let n = 0;
      for (const [who, grants] of Object.entries(users)) {
        await createTestUser(t.db, `${who}@grp.gouv.fr`, grants);
        clients[who] = await signedInClient(t.app, `${who}@grp.gouv.fr`, undefined, `10.7.9.${++n}`);
      }
    });
    after(async () => t.close());

    test('the administration indicators are the weighted means of all its procedures’ answers, computed here by hand', async () => {
      const all = [...reviews.p1, ...reviews.p3];
      const page = await clients.member.get(`/avis/administrations/${ids.a1}`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /<h1>Avis usagers : Administration de test 1<\/h1>/);
      assert.match(page.body, new RegExp(`<strong>${all.length} avis</strong>`));
      // (10 + 10 + 5 + 0) / 4 = 6.25, where the mean of the two procedures' means would be (8.33 + 0) / 2 = 4.17.
      assert.equal(weighted(all, 'satisfaction'), 6.25);
      assert.match(page.body, cell('Satisfaction', `${fr(weighted(all, 'satisfaction'))} / 10`));
      assert.match(page.body, /<th scope="row">Satisfaction<\/th><td>6,3 \/ 10<\/td>\s*<td><span class="fr-badge[^"]*">Moyen<\/span>/);
      // (10 + 5 + 2.5) / 3 = 5.83, not (7.5 + 2.5) / 2 = 5.
      assert.match(page.body, cell('Clarté du langage', `${fr(weighted(all, 'clarity'))} / 10`));
      assert.match(page.body, cell('Clarté du langage', '5,8 / 10'));
      // 2 of the 3 reviews that answered the help question needed no help: 66.7 %, not (100 + 0) / 2.
      assert.match(page.body, cell('Niveau d’autonomie', `${fr(autonomy(all))} %`));
      assert.match(page.body, /Moins de 100 avis/);
      assert.match(page.body, /Nombre d’avis par période/);
      assert.match(page.body, /<caption>Avis et satisfaction par mois<\/caption>/);
      // Its procedures with their own indicators, linked to their dashboards; nothing of the other administrations.
      assert.match(
        page.body,
        new RegExp(
          `<th scope="row"><a href="/avis/demarches/${ids.p1}">Démarche de test 1</a></th>\\s*<td>3 <span[^>]*>insuffisant</span></td><td>${fr(weighted(reviews.p1, 'satisfaction'))} / 10${CI}</td>`,
        ),
      );
      assert.match(
        page.body,
        new RegExp(
          `<th scope="row"><a href="/avis/demarches/${ids.p3}">Démarche trois</a></th>\\s*<td>1 <span[^>]*>insuffisant</span></td><td>0,0 / 10${CI}</td>`,
        ),
      );
      assert.doesNotMatch(page.body, /Démarche quatre|Démarche cinq/);
    });

    test('the ministry adds up its administrations the same way, and lists them', async () => {
      const all = [...reviews.p1, ...reviews.p3, ...reviews.p5];
      const page = await clients.referent.get(`/avis/ministeres/${ids.m1}`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, new RegExp(`<strong>${all.length} avis</strong>`));
      assert.match(page.body, cell('Satisfaction', `${fr(weighted(all, 'satisfaction'))} / 10`)); // 30 / 5 = 6,0
      assert.match(page.body, cell('Clarté du langage', `${fr(weighted(all, 'clarity'))} / 10`)); // 25 / 4 = 6,3
      assert.match(
        page.body,
        new RegExp(
          `<th scope="row"><a href="/avis/administrations/${ids.a1}">Administration de test 1</a></th>\\s*<td>4 <span[^>]*>insuffisant</span></td><td>6,3 / 10${CI}</td>`,
        ),
      );
      assert.match(page.body, new RegExp(`<th scope="row"><a href="/avis/administrations/${ids.a1b}">Administration sœur</a></th>`));
      assert.match(page.body, /Démarche cinq/);
      assert.doesNotMatch(page.body, /Démarche quatre/);
    });

    test('the procedures are sorted by the server, on any column, both ways', async () => {
      const order = (body: string) => [...body.matchAll(/<th scope="row"><a href="\/avis\/demarches\/(\d+)">/g)].map((m) => Number(m[1]));
      const base = `/avis/ministeres/${ids.m1}`;
      // By title by default: « Démarche cinq », « Démarche de test 1 », « Démarche trois ».
      assert.deepEqual(order((await clients.admin.get(base)).body), [ids.p5, ids.p1, ids.p3]);
      assert.deepEqual(order((await clients.admin.get(`${base}?tri=satisfaction&ordre=desc`)).body), [ids.p1, ids.p5, ids.p3]);
      const asc = await clients.admin.get(`${base}?tri=satisfaction&ordre=asc`);
      assert.deepEqual(order(asc.body), [ids.p3, ids.p5, ids.p1]);
      assert.match(
        asc.body,
        /<th scope="col" aria-sort="ascending">\s*<a href="[^"]*tri=satisfaction&amp;ordre=desc#demarches">Satisfaction/,
      );
      // By number of reviews, most first by default; ties by title.
      assert.deepEqual(order((await clients.admin.get(`${base}?tri=avis`)).body), [ids.p1, ids.p5, ids.p3]);
      // An unknown column falls back to the title.
      assert.deepEqual(order((await clients.admin.get(`${base}?tri=nimporte`)).body), [ids.p5, ids.p1, ids.p3]);
    });

    test('the window filter applies to everything on the page', async () => {
      const past = await clients.admin.get(`/avis/administrations/${ids.a1}?debut=2001-01-01&fin=2001-01-31`);
      assert.match(past.body, /<strong>0 avis<\/strong>/);
      assert.match(past.body, /Aucun avis sur la période/);
      assert.match(past.body, new RegExp(`<a href="/avis/demarches/${ids.p1}">Démarche de test 1</a></th>\\s*<td>0 `));
      const bad = await clients.admin.get(`/avis/administrations/${ids.a1}?debut=2025-02-30&fin=x`);
      assert.equal(bad.statusCode, 200);
      assert.match(bad.body, /Dates invalides/);
    });

    test('scope: steering team everything, referent its ministry and administrations, member its administration, others 403 without any figure', async () => {
      const status = async (who: string, url: string) => (await clients[who].get(url)).statusCode;
      const adm = (id: number) => `/avis/administrations/${id}`;
      const min = (id: number) => `/avis/ministeres/${id}`;
      for (const url of [adm(ids.a1), adm(ids.a1b), adm(ids.a2), min(ids.m1), min(ids.m2)])
        assert.equal(await status('admin', url), 200, url);
      for (const url of [adm(ids.a1), adm(ids.a1b), min(ids.m1)]) assert.equal(await status('referent', url), 200, url);
      for (const url of [adm(ids.a2), min(ids.m2)]) assert.equal(await status('referent', url), 403, url);
      assert.equal(await status('member', adm(ids.a1)), 200);
      for (const url of [adm(ids.a1b), adm(ids.a2), min(ids.m1), min(ids.m2)]) assert.equal(await status('member', url), 403, url);
      for (const who of ['reader', 'editor']) {
        for (const url of [adm(ids.a1), min(ids.m1)]) {
          const res = await clients[who].get(url);
          assert.equal(res.statusCode, 403, `${who} ${url}`);
          assert.match(res.body, /Accès refusé/);
          assert.doesNotMatch(res.body, /Administration de test 1|Ministère de test 1|avis<\/strong>|Démarche/);
        }
      }
      const anonymous = await new TestClient(t.app, { remoteAddress: '10.7.8.1' }).get(adm(ids.a1));
      assert.equal(anonymous.statusCode, 303);
      assert.match(String(anonymous.headers.location), /^\/connexion\?retour=/);
      assert.equal(await status('admin', adm(999999)), 404);
      assert.equal(await status('admin', '/avis/ministeres/abc'), 404);
    });

    test('linked from the feedback home and from the procedure dashboard’s breadcrumb, for those who may open them', async () => {
      const referentHome = (await clients.referent.get('/avis')).body;
      assert.match(referentHome, new RegExp(`<a href="/avis/ministeres/${ids.m1}">Ministère : Ministère de test 1</a>`));
      assert.doesNotMatch(referentHome, new RegExp(`/avis/ministeres/${ids.m2}"`));
      const memberHome = (await clients.member.get('/avis')).body;
      assert.match(memberHome, new RegExp(`<a href="/avis/administrations/${ids.a1}">Administration : Administration de test 1</a>`));
      assert.doesNotMatch(memberHome, /\/avis\/ministeres\//);
      assert.doesNotMatch((await clients.reader.get('/avis')).body, /Tableaux de bord par ministère/);
      const adminHome = (await clients.admin.get('/avis')).body;
      assert.match(adminHome, new RegExp(`/avis/ministeres/${ids.m2}"`));

      const crumbs = (body: string) => /<ol class="fr-breadcrumb__list">([\s\S]*?)<\/ol>/.exec(body)![1];
      const forReferent = crumbs((await clients.referent.get(`/avis/demarches/${ids.p1}`)).body);
      assert.match(forReferent, new RegExp(`href="/avis/ministeres/${ids.m1}">Ministère de test 1<`));
      assert.match(forReferent, new RegExp(`href="/avis/administrations/${ids.a1}">Administration de test 1<`));
      const forMember = crumbs((await clients.member.get(`/avis/demarches/${ids.p1}`)).body);
      assert.doesNotMatch(forMember, /\/avis\/ministeres\//);
      assert.match(forMember, new RegExp(`href="/avis/administrations/${ids.a1}"`));
      const forReader = crumbs((await clients.reader.get(`/avis/demarches/${ids.p1}`)).body);
      assert.doesNotMatch(forReader, /\/avis\/(ministeres|administrations)\//);
    });

    test('the number of queries does not grow with the number of procedures (no N+1), and only rollups are read', async () => {
      const url = `/avis/ministeres/${ids.m1}`;
      await clients.admin.get(url);
      const before3 = t.db.queryCount;
      const small = await clients.admin.get(url);
      const withThree = t.db.queryCount - before3;
      assert.equal([...small.body.matchAll(/href="\/avis\/demarches\//g)].length, 3);
      for (const n of [6, 7, 8, 9]) {
        const p = await procedureWithButton(n % 2 ? ids.a1 : ids.a1b, `Démarche en plus ${n}`);
        await answer(p.key, { satisfaction: 'good' });
      }
      // Raw answers gone: the dashboards must not need them.
      await t.db.query('DELETE FROM feedback_answers');
      const before7 = t.db.queryCount;
      const large = await clients.admin.get(url);
      const withSeven = t.db.queryCount - before7;
      assert.equal([...large.body.matchAll(/href="\/avis\/demarches\//g)].length, 7);
      assert.equal(withSeven, withThree);
      assert.match(large.body, /<strong>9 avis<\/strong>/);
    });

    test('the change is measured against the previous window of the same length', async () => {
      const today = /name="fin" value="(\d{4}-\d{2}-\d{2})"/.exec((await clients.admin.get(`/avis/administrations/${ids.a1}`)).body)![1];
      // Procedure 3's only review moved to yesterday: today's window holds procedure 1 (and the extra ones), yesterday procedure 3.
      await t.db.query(`UPDATE feedback_rollups SET day = day - 1 WHERE procedure_id = $1`, [ids.p3]);
      const page = await clients.admin.get(`/avis/administrations/${ids.a1}?debut=${today}&fin=${today}`);
      // Today: p1 (10, 10, 5) and two extra procedures of administration 1 (10, 10): 45 / 5 = 9,0; yesterday: 0,0.
      assert.match(page.body, /<th scope="row">Satisfaction<\/th><td>9,0 \/ 10<\/td>(?:(?!<\/tr>)[\s\S])*<td>\+9,0<\/td><\/tr>/);
    });
  });
}
