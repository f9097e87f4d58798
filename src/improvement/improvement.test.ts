import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { TEST_TARGETS } from '../../test/helpers/db.ts';
import { createTestApp, type TestApp } from '../../test/helpers/app.ts';
import { createTestUser, sessionClient } from '../../test/helpers/users.ts';
import type { TestClient } from '../../test/helpers/client.ts';
import { getChallenge, challengeProcedures } from './queries.ts';
import { challengeEffect } from './effect.ts';
import { createTestCatalog, type TestCatalog } from '../catalog/testing.ts';

const close = (actual: number, expected: number, tolerance = 1e-8) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} ≠ ${expected}`);
const count = async (t: TestApp, table: string) => (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n;

function file(slug: string, procedures: string[], extra = ''): string {
  return `---\ntitle: Défi ${slug}\nslug: ${slug}\ndescription: Rendre la démarche claire.\nministry: Ministère de test 1\ndirection: Direction\nplace: Paris\npositions: [Designer]\nstart: 2026-01-01\nend: 2026-12-31\nlaunch: 2026-06-01\nstatus: en_cours\nprocedures: [${procedures.join(', ')}]\nindicators: [satisfaction, negative]\n${extra}---\n\n## Le problème\n\nTexte **important** <script>alert(1)</script>.\n`;
}

function multipart(fileName: string, content: Buffer) {
  const boundary = `----vigie${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="fichier"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  return {
    payload: Buffer.concat([head, content, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

for (const target of TEST_TARGETS) {
  describe(`défis: files, back-office, public pages and measured effect (${target})`, () => {
    let t: TestApp;
    let c: TestCatalog;
    let admin: TestClient;
    let control: number;
    before(async () => {
      t = await createTestApp(target);
      c = await createTestCatalog(t.db, { prefix: 'defi' });
      admin = await sessionClient(t.app, t.db, await createTestUser(t.db, 'pilote-defis@exemple.gouv.fr', [{ role: 'admin' }]));
      // A second procedure of the same ministry: the comparison of the difference-in-differences.
      const { rows } = await t.db.query(
        `INSERT INTO procedures (stable_id, slug, title, administration_id) VALUES ('defi-temoin', 'defi-temoin', 'Démarche témoin', $1) RETURNING id`,
        [c.administrations[0]],
      );
      control = Number(rows[0].id);
      for (const procedureId of [c.procedures[0], control]) {
        const form = (
          await t.db.query(`INSERT INTO feedback_forms (procedure_id, template, name) VALUES ($1, 'default', 'F') RETURNING id`, [
            procedureId,
          ])
        ).rows[0].id;
        const button = (
          await t.db.query(`INSERT INTO feedback_buttons (form_id, public_key, name, placement) VALUES ($1, $2, 'B', '') RETURNING id`, [
            form,
            `defi-${procedureId}`,
          ])
        ).rows[0].id;
        // Launch Monday 2026-06-01. Eight weeks before: each week 5 « good » and 5 « bad »; eight weeks after: 8 and 2
        // for the défi's procedure, still 5 and 5 for the other one. Rows on the Wednesday of each week.
        for (let week = -8; week < 8; week++) {
          const day = new Date(Date.UTC(2026, 5, 3) + week * 7 * 86_400_000).toISOString().slice(0, 10);
          const good = week >= 0 && procedureId !== control ? 8 : 5;
          for (const [q, o, n] of [
            ['_review', 'all', 10],
            ['satisfaction', 'good', good],
            ['satisfaction', 'bad', 10 - good],
          ] as const) {
            await t.db.query(
              'INSERT INTO feedback_rollups (procedure_id, form_id, button_id, day, question, option_id, count) VALUES ($1, $2, $3, $4, $5, $6, $7)',
              [procedureId, form, button, day, q, o, n],
            );
          }
        }
      }
    });
    after(async () => t.close());

    test('back-office: preview renders the Markdown without any HTML of the source; a bad file is refused in French and nothing is written', async () => {
      await admin.get('/defis/admin/nouveau');
      const preview = await admin.post('/defis/admin/nouveau', { source: file('mon-defi', [c.procedureStableIds[0]]), action: 'apercu' });
      assert.equal(preview.statusCode, 200);
      assert.match(preview.body, /<h2>Le problème<\/h2>/);
      assert.match(preview.body, /<strong>important<\/strong> &lt;script&gt;/);
      assert.equal(await count(t, 'challenges'), 0, 'a preview writes nothing');
      const bad = await admin.post('/defis/admin/nouveau', { source: file('mon-defi', ['inconnue']), action: 'enregistrer' });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /démarches inconnues du catalogue : inconnue/);
      const bad2 = await admin.post('/defis/admin/nouveau', { source: 'title: sans en-tête', action: 'enregistrer' });
      assert.equal(bad2.statusCode, 400);
      assert.equal(await count(t, 'challenges'), 0);
      const saved = await admin.post('/defis/admin/nouveau', {
        source: file('mon-defi', [c.procedureStableIds[0]]),
        action: 'enregistrer',
      });
      assert.equal(saved.statusCode, 303);
      assert.match(String(saved.headers.location), /^\/defis\/admin\/\d+$/);
      assert.equal((await t.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'challenge.create'`)).rows[0].n, 1);
    });

    test('team and actions: dated, owned, motivated, linked to a milestone; bad input refused, nothing written', async () => {
      const ch = (await getChallenge(t.db, { slug: 'mon-defi' }))!;
      await admin.get(`/defis/admin/${ch.id}`);
      const badAction = await admin.post(`/defis/admin/${ch.id}/actions`, {
        title: 'Réécrire',
        date: '2026-13-45',
        milestoneUrl: 'javascript:alert(1)',
      });
      assert.equal(badAction.statusCode, 400);
      assert.match(badAction.body, /La date : au format AAAA-MM-JJ/);
      assert.match(badAction.body, /Le jalon : une adresse/);
      assert.equal(await count(t, 'challenge_actions'), 0);
      assert.equal(
        (
          await admin.post(`/defis/admin/${ch.id}/actions`, {
            title: 'Réécrire les messages',
            date: '2026-06-15',
            owner: 'Léa',
            motiveKind: 'verbatim',
            motiveRef: '/avis/reponses/12',
            milestoneUrl: 'https://feuille.exemple.gouv.fr/j1',
          })
        ).statusCode,
        303,
      );
      assert.equal((await admin.post(`/defis/admin/${ch.id}/equipe`, { email: 'personne@exemple.gouv.fr', role: '' })).statusCode, 400);
      assert.equal(
        (await admin.post(`/defis/admin/${ch.id}/equipe`, { email: 'pilote-defis@exemple.gouv.fr', role: 'Cheffe de projet' })).statusCode,
        303,
      );
      const actionId = (await t.db.query('SELECT id FROM challenge_actions')).rows[0].id;
      assert.equal(
        (await admin.post(`/defis/admin/${ch.id}/actions/statut`, { actionId: String(actionId), status: 'fait' })).statusCode,
        303,
      );
      const page = (await t.app.inject('/defis/mon-defi')).body;
      assert.match(page, /Réécrire les messages<\/th><td>Léa<\/td><td>Fait<\/td>/);
      assert.match(page, /Verbatim d’usager : <a href="\/avis\/reponses\/12">/);
      assert.match(page, /Cheffe de projet/);
      assert.match((await t.app.inject('/defis')).body, /href="\/defis\/mon-defi"/);
    });

    test('team: a member without any grant edits the défi’s actions through the declared access and sees « Mes défis »; others are refused and write nothing', async () => {
      const ch = (await getChallenge(t.db, { slug: 'mon-defi' }))!;
      const memberId = await createTestUser(t.db, 'membre-defi@exemple.gouv.fr', []);
      const member = await sessionClient(t.app, t.db, memberId);
      const stranger = await sessionClient(t.app, t.db, await createTestUser(t.db, 'inconnu-defi@exemple.gouv.fr', []));
      assert.equal((await member.get(`/defis/equipe/${ch.id}`)).statusCode, 403, 'not yet a member');
      assert.match((await member.get('/mes-defis')).body, /Vous ne faites partie de l’équipe d’aucun défi/);
      assert.equal(
        (await admin.post(`/defis/admin/${ch.id}/equipe`, { email: 'membre-defi@exemple.gouv.fr', role: 'Designer' })).statusCode,
        303,
      );
      assert.match(
        (await member.get('/mes-defis')).body,
        new RegExp(`<a href="/defis/equipe/${ch.id}">Défi mon-defi</a></th><td>Designer</td>`),
      );
      assert.equal((await member.get(`/defis/equipe/${ch.id}`)).statusCode, 200);
      const actions = await count(t, 'challenge_actions');
      assert.equal(
        (await member.post(`/defis/equipe/${ch.id}/actions`, { title: 'Tester avec des usagers', date: '2026-07-01', owner: 'Membre' }))
          .statusCode,
        303,
      );
      assert.equal(await count(t, 'challenge_actions'), actions + 1);
      const created = (await t.db.query(`SELECT id FROM challenge_actions WHERE title = 'Tester avec des usagers'`)).rows[0].id;
      assert.equal(
        (await member.post(`/defis/equipe/${ch.id}/actions/statut`, { actionId: String(created), status: 'en_cours' })).statusCode,
        303,
      );
      assert.equal(
        (
          await t.db.query('SELECT count(*)::int AS n FROM audit_log WHERE actor_id = $1 AND action IN ($2, $3)', [
            memberId,
            'challenge.action.create',
            'challenge.action.update',
          ])
        ).rows[0].n,
        2,
      );
      const bad = await member.post(`/defis/equipe/${ch.id}/actions`, { title: '', date: 'demain' });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /La date : au format AAAA-MM-JJ/);
      // The member has the défi, not the back-office; a stranger has neither, and writes nothing.
      assert.equal((await member.get(`/defis/admin/${ch.id}`)).statusCode, 403);
      assert.equal((await stranger.get(`/defis/equipe/${ch.id}`)).statusCode, 403);
      assert.equal((await stranger.post(`/defis/equipe/${ch.id}/actions`, { title: 'Intrus', date: '2026-07-01' })).statusCode, 403);
      assert.equal(await count(t, 'challenge_actions'), actions + 1);
      assert.equal((await member.get('/defis/equipe/999999')).statusCode, 403, 'an unknown défi is refused like another one');
    });

    test('route schemas: an id or a slug that cannot be one is the 404 of an unknown défi; hand-edited forms are refused in French; nothing written', async () => {
      const ch = (await getChallenge(t.db, { slug: 'mon-defi' }))!;
      const rows = async () =>
        Promise.all(['challenges', 'challenge_actions', 'challenge_members', 'audit_log'].map((table) => count(t, table)));
      const before = await rows();
      const unknown = await admin.get('/defis/admin/999999999');
      assert.equal(unknown.statusCode, 404);
      assert.match(unknown.body, /<h1>Défi introuvable<\/h1>/);
      assert.match(unknown.body, /Ce défi n’existe pas\./);
      for (const id of ['abc', '0', '01', '-1', '%2B1', '1e3', '1.5', '12345678901234567', '9007199254740993', '%20%31']) {
        for (const url of [`/defis/admin/${id}`, `/defis/admin/${id}/modifier`]) {
          const res = await admin.get(url);
          assert.equal(res.statusCode, 404, url);
          assert.match(res.body, /<h1>Défi introuvable<\/h1>/, url);
          assert.match(res.body, /Ce défi n’existe pas\./, url);
        }
        for (const url of [
          `/defis/admin/${id}/modifier`,
          `/defis/admin/${id}/equipe`,
          `/defis/admin/${id}/actions`,
          `/defis/admin/${id}/actions/statut`,
        ]) {
          const res = await admin.post(url, {
            source: file('intrus', []),
            action: 'enregistrer',
            email: 'pilote-defis@exemple.gouv.fr',
            title: 'Intruse',
            date: '2026-07-01',
          });
          assert.equal(res.statusCode, 404, url);
          assert.match(res.body, /<h1>Défi introuvable<\/h1>/, url);
        }
        // The team's pages and the stories' themes: refused by the declared access as an unknown défi or procedure is.
        assert.equal((await admin.get(`/defis/equipe/${id}`)).statusCode, (await admin.get('/defis/equipe/999999999')).statusCode);
        assert.equal(
          (await admin.get(`/defis/demarches/${id}/themes-des-recits`)).statusCode,
          (await admin.get('/defis/demarches/999999999/themes-des-recits')).statusCode,
        );
      }
      // A public slug that cannot be one: the page of an unknown or unpublished défi.
      const unpublished = await t.app.inject('/defis/inconnu');
      assert.equal(unpublished.statusCode, 404);
      for (const slug of ['Mon-Defi', 'mon%20defi', 'mon_defi', '%C3%A9t%C3%A9', 'a'.repeat(81), '..%2Fadmin']) {
        const res = await t.app.inject(`/defis/${slug}`);
        assert.equal(res.statusCode, 404, slug);
        assert.match(res.body, /<h1>Défi introuvable<\/h1>/, slug);
        assert.match(res.body, /Ce défi n’existe pas ou n’est pas publié\./, slug);
      }
      // The editor's button, hand-edited or repeated: the schema's message.
      for (const action of ['supprimer', ['apercu', 'enregistrer']]) {
        const res = await admin.post(`/defis/admin/${ch.id}/modifier`, { source: file('mon-defi', [c.procedureStableIds[0]]), action });
        assert.equal(res.statusCode, 400, String(action));
        assert.match(res.body, /Action de formulaire inconnue\. Rien n’a été enregistré\./);
      }
      // Fields repeated or missing: the form again, its errors beside the fields.
      const source = await admin.post(`/defis/admin/${ch.id}/modifier`, { source: [file('mon-defi', []), 'x'], action: 'enregistrer' });
      assert.equal(source.statusCode, 400);
      assert.match(source.body, /id="champ-source-erreur"/);
      const action = await admin.post(`/defis/admin/${ch.id}/actions`, { title: ['Une', 'Deux'], date: '2026-07-01' });
      assert.equal(action.statusCode, 400);
      assert.match(action.body, /L’action : un texte de 1 à 300 caractères\./);
      const statuses: Record<string, string | string[]>[] = [
        { actionId: 'abc', status: 'fait' },
        { actionId: '1', status: 'supprimee' },
        { status: ['fait', 'fait'] },
      ];
      for (const fields of statuses) {
        const res = await admin.post(`/defis/admin/${ch.id}/actions/statut`, fields);
        assert.equal(res.statusCode, 400, JSON.stringify(fields));
        assert.match(res.body, /Choisissez une action et un statut de la liste\./);
      }
      const member = await admin.post(`/defis/admin/${ch.id}/equipe`, { email: ['pilote-defis@exemple.gouv.fr', 'x@exemple.gouv.fr'] });
      assert.equal(member.statusCode, 400);
      assert.match(member.body, /Aucun compte n’a cette adresse électronique\./);
      assert.deepEqual(await rows(), before);
      assert.match((await t.app.inject('/defis/mon-defi')).body, /Réécrire les messages/);
    });

    test('effect: before, after and difference with intervals, tests, interrupted time series and the indicative difference-in-differences (SciPy values)', async () => {
      const ch = (await getChallenge(t.db, { slug: 'mon-defi' }))!;
      const effect = (await challengeEffect(t.db, ch, await challengeProcedures(t.db, ch.procedures), '2026-12-01'))!;
      assert.deepEqual(effect.before, { start: '2026-03-09', end: '2026-05-31' });
      assert.deepEqual(effect.after, { start: '2026-06-01', end: '2026-08-23' });
      const sat = effect.indicators.find((i) => i.indicator === 'satisfaction')!;
      // Before: 40 marks of 10 and 40 of 0; after: 64 and 16. SciPy t intervals and Welch test on the raw marks.
      close(sat.before!.value, 5);
      close(sat.before!.lower, 3.880284275537211);
      close(sat.after!.upper, 8.895772579570231);
      close(sat.difference!.difference, 3);
      close(sat.difference!.pValue!, 5.236418589340576e-5, 1e-10);
      close(sat.difference!.lower, 1.5765990345037775);
      close(sat.difference!.upper, 4.4234009654962225);
      // Weekly means 5 then 8, flat: a level change of exactly 3, no slope change.
      assert.equal(sat.weekly.length, 16);
      close(sat.its!.levelChange.value, 3, 1e-9);
      close(sat.its!.slopeChange.value, 0, 1e-9);
      // The other procedure of the ministry did not move: difference-in-differences 3 − 0.
      close(sat.did!.difference, 3, 1e-9);
      assert.ok(sat.did!.lower < 3 && sat.did!.upper > 3);
      const negative = effect.indicators.find((i) => i.indicator === 'negative')!;
      // 40 of 80 negative, then 16 of 80: SciPy chi2_contingency without correction; Newcombe from SciPy's Wilson bounds.
      close(negative.difference!.difference, -30);
      close(negative.difference!.pValue!, 6.950869152139696e-5, 1e-10);
      close(negative.difference!.lower, -42.953524959854605, 1e-8);
      close(negative.difference!.upper, -15.321023983784505, 1e-8);
      const page = (await t.app.inject('/defis/mon-defi')).body;
      assert.match(page, /Effet du défi/);
      assert.match(page, /hausse significative/);
      assert.match(page, /Double différence avec les autres démarches du ministère \(indicatif\)/);
      assert.match(page, /<caption>Satisfaction \(note sur 10\) par semaine/);
    });

    test('files: export as a zip, import the same zip back (round trip), a bad file in the archive imports nothing', async () => {
      const zip = await admin.get('/defis/admin/export.zip');
      assert.equal(zip.statusCode, 200);
      assert.equal(zip.headers['content-type'], 'application/zip');
      const before = (
        await t.db.query(
          'SELECT slug, title, description, positions, start_date::text, launch_date::text, status, procedures, indicators, body FROM challenges ORDER BY slug',
        )
      ).rows;
      await t.db.query('DELETE FROM challenges');
      await admin.get('/defis/admin/import');
      const upload = (name: string, content: Buffer) => {
        const { payload, contentType } = multipart(name, content);
        return admin.request({
          method: 'POST',
          url: `/defis/admin/import?_csrf=${encodeURIComponent(admin.lastCsrf!)}`,
          headers: { 'content-type': contentType },
          payload,
        });
      };
      assert.equal((await upload('defis.zip', zip.rawPayload)).statusCode, 303);
      const after = (
        await t.db.query(
          'SELECT slug, title, description, positions, start_date::text, launch_date::text, status, procedures, indicators, body FROM challenges ORDER BY slug',
        )
      ).rows;
      assert.deepEqual(after, before);
      const bad = await upload('defi.md', Buffer.from(file('Pas-Bon', [])));
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /Rien n’a été importé/);
      assert.equal(await count(t, 'challenges'), before.length);
    });
  });
}
