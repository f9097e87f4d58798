import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS } from '../../test/helpers/db.ts';
import { createTestApp, type TestApp } from '../../test/helpers/app.ts';
import { TestClient } from '../../test/helpers/client.ts';
import { clientWithGrants, createTestUser, sessionClient } from '../../test/helpers/users.ts';
import { countRows } from '../accounts/testing.ts';
import { procedureInfo, sendFollowUps, submitStory, moderate, answerStory } from './store.ts';
import { delayFigures } from './delays.ts';
import { accessibilityStories } from './accessibility-stories.ts';
import { overdueStoriesDigestText } from './digest.ts';
import { createTestCatalog, type TestCatalog } from '../catalog/testing.ts';

const STORY = 'Je n’ai pas pu finir ma demande en ligne : le site refusait mon justificatif. J’ai appelé le 06 12 34 56 78 sans réponse.';

/** Rows of every table a refused submission must leave alone. */
async function written(t: TestApp): Promise<string> {
  const counts = await Promise.all(
    ['experiences', 'experience_events', 'experience_answers', 'audit_log'].map((table) => countRows(t.db, table)),
  );
  return counts.join(',');
}

function form(extra: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  return {
    lang: 'fr',
    recit: STORY,
    canaux: ['en_ligne', 'telephone'],
    ressenti: 'plutot_mal',
    resolu: 'non',
    email: '',
    consentement: 'oui',
    site_web: '',
    ...extra,
  };
}

for (const target of TEST_TARGETS) {
  describe(`experiences (${target})`, () => {
    let t: TestApp;
    let cat: TestCatalog;
    let ip = 0;
    const visitor = () => new TestClient(t.app, { remoteAddress: `10.14.0.${++ip}` });

    before(async () => {
      t = await createTestApp(target, { config: { feedbackRateLimit: 5 } });
      cat = await createTestCatalog(t.db, { prefix: 'exp' });
    });
    after(() => t?.close());

    test('the public form, in French and in English, without JavaScript: a story is stored masked, received, flagged', async () => {
      const c = visitor();
      const fr = await c.get(`/temoignages/demarches/${cat.procedures[0]}/raconter`);
      assert.equal(fr.statusCode, 200);
      assert.match(fr.body, /<html lang="fr"/);
      assert.match(fr.body, /<h1>Raconter mon expérience<\/h1>/);
      assert.doesNotMatch(fr.body, /<script(?![^>]*src="\/assets\/dsfr)/, 'no script of its own');
      const en = await c.get(`/temoignages/demarches/${cat.procedures[0]}/raconter?lang=en`);
      assert.match(en.body, /<html lang="en"/);
      assert.match(en.body, /<h1>Tell my experience<\/h1>/);
      assert.match(en.body, /Very bad/);

      const res = await c.post(
        `/temoignages/demarches/${cat.procedures[0]}/raconter`,
        form({ email: 'auteur@exemple.fr', accessibilite: 'oui' }),
      );
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, `/temoignages/demarches/${cat.procedures[0]}/merci?lang=fr&courriel=1`);
      const thanks = await c.get(String(res.headers.location));
      assert.match(thanks.body, /Merci pour votre témoignage/);
      assert.match(thanks.body, /Vous recevrez un e-mail/);
      const { rows } = await t.db.query(`SELECT * FROM experiences WHERE procedure_id = $1`, [cat.procedures[0]]);
      assert.equal(rows.length, 1);
      const s = rows[0];
      assert.equal(
        s.body,
        'Je n’ai pas pu finir ma demande en ligne : le site refusait mon justificatif. J’ai appelé le [numéro de téléphone masqué] sans réponse.',
      );
      assert.equal(s.masked_count, 1);
      assert.deepEqual(s.channels, ['en_ligne', 'telephone']);
      assert.equal(s.status, 'received');
      assert.equal(s.email, 'auteur@exemple.fr');
      assert.equal(s.accessibility, true);
      assert.equal(s.accessibility_ticked, true);
      assert.equal(s.published_at, null);
      assert.deepEqual(s.flags, { masked: 1 });
      assert.equal(Number(s.administration_id), cat.administrations[0]);
      const events = await t.db.query(`SELECT kind, status_to FROM experience_events WHERE experience_id = $1`, [s.id]);
      assert.deepEqual(events.rows, [{ kind: 'received', status_to: 'received' }]);
      // Not public before moderation.
      assert.equal((await c.get(`/temoignages/${s.id}`)).statusCode, 404);
    });

    test('bad input gets a clear French message and writes nothing', async () => {
      const before = await written(t);
      const path = `/temoignages/demarches/${cat.procedures[0]}/raconter`;
      const cases: [Record<string, string | string[]>, number, RegExp][] = [
        [form({ recit: 'x'.repeat(4001) }), 400, /4\s000 caractères au maximum : raccourcissez votre texte/],
        [form({ recit: '  ' }), 400, /Racontez ce qui s’est passé/],
        [form({ recit: 'trop court' }), 400, /Écrivez au moins 20 caractères/],
        [form({ canaux: [] }), 400, /Cochez au moins un moyen utilisé/],
        [form({ ressenti: '' }), 400, /Choisissez comment vous vous êtes senti·e/],
        [form({ email: 'pas-une-adresse' }), 400, /Saisissez une adresse e-mail valide/],
        [form({ canaux: ['en_ligne', 'pigeon_voyageur'] }), 400, /ne correspondent pas à ce formulaire.*Rien n’a été enregistré/],
        [form({ ressenti: 'euphorique' }), 400, /ne correspondent pas à ce formulaire/],
        [form({ resolu: 'peut-etre' }), 400, /ne correspondent pas à ce formulaire/],
        [form({ recit: [STORY, STORY] }), 400, /ne correspondent pas à ce formulaire/],
        [form({ consentement: 'bien sûr' }), 400, /ne correspondent pas à ce formulaire/],
        [form({ site_web: 'http://spam.example' }), 400, /ne correspondent pas à ce formulaire/],
      ];
      for (const [fields, status, message] of cases) {
        const res = await visitor().post(path, fields);
        assert.equal(res.statusCode, status, JSON.stringify(fields).slice(0, 80));
        assert.match(res.body, message);
      }
      // The error summary names the field and links to it.
      const invalid = await visitor().post(path, form({ recit: '', canaux: [] }));
      assert.match(invalid.body, /Le formulaire contient 2 erreurs/);
      assert.match(invalid.body, /href="#champ-recit"/);
      assert.match(invalid.body, /href="#champ-canaux"/);
      assert.match(invalid.body, /<title>Erreur – Raconter mon expérience/);
      // English errors in English.
      const en = await visitor().post(path, form({ lang: 'en', ressenti: '' }));
      assert.match(en.body, /Choose how you felt/);
      // An unknown or closed procedure.
      assert.equal((await visitor().post('/temoignages/demarches/999999/raconter', form())).statusCode, 404);
      await t.db.query('UPDATE procedures SET archived_at = now() WHERE id = $1', [cat.procedures[1]]);
      const closed = await visitor().post(`/temoignages/demarches/${cat.procedures[1]}/raconter`, form());
      assert.equal(closed.statusCode, 410);
      assert.match(closed.body, /ne reçoit plus de témoignages/);
      assert.equal((await visitor().get(`/temoignages/demarches/${cat.procedures[1]}/raconter`)).statusCode, 410);
      await t.db.query('UPDATE procedures SET archived_at = NULL WHERE id = $1', [cat.procedures[1]]);
      assert.equal(await written(t), before);
    });

    test('floods: the feedback module’s shared rate limit (5 a minute here) refuses the sixth submission', async () => {
      const c = new TestClient(t.app, { remoteAddress: '10.14.9.9' });
      const path = `/temoignages/demarches/${cat.procedures[1]}/raconter`;
      for (let i = 0; i < 5; i++) {
        const res = await c.post(path, form({ recit: `${STORY} Essai numéro ${i} avec un texte différent ${'abcdefghij'.slice(i)}.` }));
        assert.equal(res.statusCode, 303);
      }
      const before = await written(t);
      const res = await c.post(path, form());
      assert.equal(res.statusCode, 429);
      assert.match(res.body, /Trop d’envois en peu de temps/);
      assert.equal(await written(t), before);
      await t.db.query('DELETE FROM experience_events WHERE experience_id IN (SELECT id FROM experiences WHERE procedure_id = $1)', [
        cat.procedures[1],
      ]);
      await t.db.query('DELETE FROM experiences WHERE procedure_id = $1', [cat.procedures[1]]);
    });

    test('moderation: the lexicon and near duplicates flag, the steering team and named moderators decide, a refusal tells the author why', async () => {
      const proc = (await procedureInfo(t.db, cat.procedures[1]))!;
      const story = {
        procedure: proc,
        lang: 'fr' as const,
        channels: ['en_ligne' as const],
        feeling: 'tres_mal' as const,
        solved: false,
        email: 'colere@exemple.fr',
        consent: true,
        accessibilityTicked: false,
      };
      const insulting = await submitStory(t.db, {
        ...story,
        body: 'Bande d’escrocs, ça fait un mois que j’attends ma carte grise, je vais tout casser.',
      });
      const first = await submitStory(t.db, {
        ...story,
        email: null,
        body: 'Le paiement échoue toujours à la dernière étape, sans message d’erreur.',
      });
      const dup = await submitStory(t.db, {
        ...story,
        email: null,
        body: 'Le paiement échoue toujours à la dernière étape, sans message d’erreur !',
      });
      const flags = async (id: number) => (await t.db.query('SELECT flags FROM experiences WHERE id = $1', [id])).rows[0].flags;
      assert.deepEqual(await flags(insulting), { insults: ['escroc'] });
      assert.deepEqual(await flags(first), {});
      assert.deepEqual(await flags(dup), { duplicateOf: first, similarity: 1 });

      // Someone without a grant nor a nomination: refused, nothing written.
      const stranger = await clientWithGrants(t.app, t.db, []);
      assert.equal((await stranger.get('/temoignages/moderation')).statusCode, 403);
      const before = await written(t);
      assert.equal((await stranger.post(`/temoignages/moderation/${first}`, { decision: 'publier' })).statusCode, 403);
      assert.equal(await written(t), before);

      // The referent of ministry 1 names a moderator (a user with no other grant); the moderator sees only ministry 1.
      const referent = await clientWithGrants(t.app, t.db, [{ role: 'ministry_referent', ministryId: cat.ministries[1] }]);
      const moderatorId = await createTestUser(t.db, 'moderatrice@exemple.gouv.fr');
      const named = await referent.post(`/temoignages/moderateurs/ministeres/${cat.ministries[1]}/ajouter`, {
        email: 'moderatrice@exemple.gouv.fr',
      });
      assert.equal(named.statusCode, 303);
      const unknown = await referent.post(`/temoignages/moderateurs/ministeres/${cat.ministries[1]}/ajouter`, {
        email: 'personne@exemple.gouv.fr',
      });
      assert.equal(unknown.statusCode, 400);
      assert.match(unknown.body, /Aucun compte Vigie n’a cette adresse/);
      // The referent of ministry 1 cannot name moderators for ministry 0.
      assert.equal(
        (await referent.post(`/temoignages/moderateurs/ministeres/${cat.ministries[0]}/ajouter`, { email: 'moderatrice@exemple.gouv.fr' }))
          .statusCode,
        403,
      );

      const moderator = await sessionClient(t.app, t.db, moderatorId);
      const queue = await moderator.get('/temoignages/moderation');
      assert.equal(queue.statusCode, 200);
      assert.match(queue.body, /3\u00a0témoignages en attente/);
      // Flagged first: the insulting story and the duplicate before the plain one.
      const order = [...queue.body.matchAll(/<h2 class="fr-h4" id="titre-(\d+)">/g)].map((m) => Number(m[1]));
      assert.deepEqual(order, [insulting, dup, first]);
      assert.match(queue.body, /Propos injurieux possibles<\/strong> \(lexique\) : escroc/);
      assert.match(queue.body, new RegExp(`Doublon probable</strong> du témoignage n° ${first} \\(similarité 100 %\\)`));
      // The story of ministry 0 (first test) is not in this moderator's queue, and may not be decided by them.
      const other = (await t.db.query('SELECT id FROM experiences WHERE procedure_id = $1', [cat.procedures[0]])).rows[0].id;
      assert.equal((await moderator.post(`/temoignages/moderation/${other}`, { decision: 'publier' })).statusCode, 403);

      // A refusal without reason: a message, nothing written.
      const noReason = await moderator.post(`/temoignages/moderation/${insulting}`, { decision: 'refuser' });
      assert.equal(noReason.statusCode, 400);
      assert.match(noReason.body, /Choisissez le motif du refus/);
      t.mails.length = 0;
      assert.equal(
        (await moderator.post(`/temoignages/moderation/${insulting}`, { decision: 'refuser', motif: 'injurieux' })).statusCode,
        303,
      );
      assert.equal(t.mails.length, 1);
      assert.equal(t.mails[0].to, 'colere@exemple.fr');
      assert.match(t.mails[0].text, /Motif : Propos injurieux — il contient des propos injurieux ou menaçants/);
      assert.equal((await moderator.post(`/temoignages/moderation/${dup}`, { decision: 'refuser', motif: 'doublon' })).statusCode, 303);
      assert.equal(t.mails.length, 1, 'no address, no mail');
      assert.equal((await moderator.post(`/temoignages/moderation/${first}`, { decision: 'publier' })).statusCode, 303);
      // Twice: refused with a message.
      const again = await moderator.post(`/temoignages/moderation/${first}`, { decision: 'refuser', motif: 'hors_sujet' });
      assert.equal(again.statusCode, 400);
      assert.match(again.body, /déjà été modéré/);

      const { rows } = await t.db.query(
        `SELECT status, refusal_reason, target_days, due_at - published_at AS delay FROM experiences WHERE id = ANY($1::bigint[]) ORDER BY id`,
        [[insulting, first, dup]],
      );
      assert.deepEqual(
        rows.map((r) => [r.status, r.refusal_reason, r.target_days]),
        [
          ['refused', 'injurieux', null],
          ['published', null, 7],
          ['refused', 'doublon', null],
        ],
      );
      const journal = await t.db.query(`SELECT action, entity_id FROM audit_log WHERE entity_type = 'experience' ORDER BY id`);
      assert.deepEqual(
        journal.rows.map((r) => r.action),
        ['experience.refuse', 'experience.refuse', 'experience.publish'],
      );
      const journalPage = await (await clientWithGrants(t.app, t.db, [{ role: 'admin' }])).get('/admin/journal');
      assert.match(
        journalPage.body,
        new RegExp(`a refusé <a href="/temoignages/gestion/${insulting}">le témoignage n° ${insulting}</a> en modération`),
      );
      assert.match(
        journalPage.body,
        new RegExp(`a publié <a href="/temoignages/gestion/${first}">le témoignage n° ${first}</a> après modération`),
      );
    });

    test('answers signed by the administration, action engaged, states and their history, the author’s notices', async () => {
      const admin = await clientWithGrants(t.app, t.db, [{ role: 'admin' }]);
      const id = (await t.db.query(`SELECT id FROM experiences WHERE procedure_id = $1`, [cat.procedures[0]])).rows[0].id;
      assert.equal((await admin.post(`/temoignages/moderation/${id}`, { decision: 'publier' })).statusCode, 303);
      // Accessibility story (ticked): the shorter default target, 3 days.
      assert.equal((await t.db.query('SELECT target_days FROM experiences WHERE id = $1', [id])).rows[0].target_days, 3);

      const team = await clientWithGrants(t.app, t.db, [
        { role: 'procedure_editor', procedureId: cat.procedures[0], displayName: 'Camille Agent' } as never,
      ]);
      const reader = await clientWithGrants(t.app, t.db, [{ role: 'procedure_reader', procedureId: cat.procedures[0] }]);
      const page = await team.get(`/temoignages/gestion/${id}`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /signée du nom de l’administration \(Administration de test 1\)/);
      assert.equal((await reader.get(`/temoignages/gestion/${id}`)).statusCode, 403);

      const before = await written(t);
      const bad = await team.post(`/temoignages/gestion/${id}/reponse`, { reponse: '', lien_action: 'javascript:alert(1)' });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /Écrivez la réponse/);
      assert.match(bad.body, /commençant par https:\/\//);
      assert.equal(await written(t), before);

      t.mails.length = 0;
      assert.equal(
        (
          await team.post(`/temoignages/gestion/${id}/reponse`, {
            reponse: 'Merci. Les justificatifs de plus de 2 Mo sont désormais acceptés.',
          })
        ).statusCode,
        303,
      );
      assert.equal(t.mails.length, 1);
      assert.equal(t.mails[0].to, 'auteur@exemple.fr');
      assert.match(
        t.mails[0].text,
        /Administration de test 1 a répondu publiquement à votre témoignage sur la démarche « Démarche de test 1 » :\n\nMerci\. Les justificatifs de plus de 2 Mo sont désormais acceptés\./,
      );
      assert.match(t.mails[0].text, new RegExp(`http://localhost:3000/temoignages/${id}`));
      assert.equal(
        (
          await team.post(`/temoignages/gestion/${id}/reponse`, {
            reponse: 'Le correctif du captcha est planifié.',
            lien_action: 'https://exemple.gouv.fr/feuille-de-route#jalon-3',
          })
        ).statusCode,
        303,
      );
      assert.equal(t.mails.length, 2);
      assert.match(t.mails[1].subject, /Une action est engagée/);

      const pub = await visitor().get(`/temoignages/${id}`);
      assert.equal(pub.statusCode, 200);
      assert.match(pub.body, /Réponses de l’administration \(2\)/);
      assert.match(pub.body, /Réponse de Administration de test 1, le/);
      assert.doesNotMatch(pub.body, /Camille|auteur@exemple\.fr/);
      assert.match(pub.body, /href="https:\/\/exemple\.gouv\.fr\/feuille-de-route#jalon-3"/);
      assert.match(pub.body, /Action engagée/);

      // Closing without a reason: refused; with one, closed, and no more answers.
      const noReason = await team.post(`/temoignages/gestion/${id}/conclusion`, { issue: 'clos' });
      assert.equal(noReason.statusCode, 400);
      assert.match(noReason.body, /le motif est public/);
      assert.equal(
        (await team.post(`/temoignages/gestion/${id}/conclusion`, { issue: 'clos', motif: 'Le justificatif relève d’un autre service.' }))
          .statusCode,
        303,
      );
      const late = await team.post(`/temoignages/gestion/${id}/reponse`, { reponse: 'Encore une réponse' });
      assert.equal(late.statusCode, 409);
      assert.match(late.body, /n’attend plus de réponse/);

      const events = await t.db.query(
        `SELECT kind, status_from, status_to, reason FROM experience_events WHERE experience_id = $1 ORDER BY at, id`,
        [id],
      );
      assert.deepEqual(
        events.rows.map((e) => [e.kind, e.status_from, e.status_to]),
        [
          ['received', null, 'received'],
          ['published', 'received', 'published'],
          ['answered', 'published', 'answered'],
          ['action_engaged', 'answered', 'action_engaged'],
          ['closed', 'action_engaged', 'closed'],
        ],
      );
      const history = await visitor().get(`/temoignages/${id}`);
      assert.match(history.body, /Clos sans suite : Le justificatif relève d’un autre service\./);
      const journal = await t.db.query(`SELECT action FROM audit_log WHERE entity_type = 'experience' AND entity_id = $1 ORDER BY id`, [
        String(id),
      ]);
      assert.deepEqual(
        journal.rows.map((r) => r.action),
        ['experience.publish', 'experience.answer', 'experience.action_engaged', 'experience.close'],
      );
      assert.deepEqual(await accessibilityStories(t.db, cat.procedures[0]), {
        total: 1,
        stories: [
          {
            id: Number(id),
            body: (await t.db.query('SELECT body FROM experiences WHERE id = $1', [id])).rows[0].body,
            publishedAt: (await t.db.query('SELECT published_at FROM experiences WHERE id = $1', [id])).rows[0].published_at,
            status: 'closed',
            answered: true,
            href: `/temoignages/${id}`,
          },
        ],
      });
    });

    test('four weeks after the first answer, the author is asked whether it helped, through a signed link', async () => {
      const proc = (await procedureInfo(t.db, cat.procedures[1]))!;
      const t0 = new Date('2026-03-02T10:00:00Z');
      const day = 86_400_000;
      const id = await submitStory(
        t.db,
        {
          procedure: proc,
          lang: 'fr',
          body: 'Je n’arrive pas à télécharger le formulaire de demande sur mon téléphone.',
          channels: ['en_ligne'],
          feeling: 'neutre',
          solved: false,
          email: 'suivi@exemple.fr',
          consent: true,
          accessibilityTicked: false,
        },
        t0,
      );
      await moderate(t.deps, id, { publish: true }, null, t0);
      await answerStory(
        t.deps,
        id,
        { body: 'Le formulaire est maintenant disponible en version mobile.', actionUrl: null },
        null,
        '/x',
        new Date(t0.getTime() + 2 * day),
      );
      t.mails.length = 0;
      assert.equal(await sendFollowUps(t.deps, new Date(t0.getTime() + 29 * day)), 0, '27 days after the answer: not yet');
      assert.equal(await sendFollowUps(t.deps, new Date(t0.getTime() + 30 * day)), 1, '28 days after the answer');
      assert.equal(await sendFollowUps(t.deps, new Date(t0.getTime() + 31 * day)), 0, 'once');
      assert.equal(t.mails.length, 1);
      const link = /http:\/\/localhost:3000(\/temoignages\/suivi\/\S+)/.exec(t.mails[0].text)![1];
      const c = visitor();
      const page = await c.get(link);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /La réponse de l’administration vous a-t-elle aidé/);
      const forged = link.replace(/.$/, (ch) => (ch === 'A' ? 'B' : 'A'));
      assert.equal((await c.get(forged)).statusCode, 404);
      assert.equal((await c.get(`/temoignages/suivi/${id + 1}.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`)).statusCode, 404);
      assert.equal((await c.post(link, { aide: 'peut-etre' })).statusCode, 400);
      assert.equal((await c.post(link, { aide: 'en_partie' })).statusCode, 200);
      const pub = await visitor().get(`/temoignages/${id}`);
      assert.match(pub.body, /L’auteur indique que la réponse de l’administration l’a aidé en partie\./);
    });

    test('delay figures per administration, computed by hand', async () => {
      // Administration 1 (own catalogue): a fresh procedure for four stories, target 7 days.
      const m = (await t.db.query(`INSERT INTO ministries (code, name) VALUES ('exp-delais', 'Ministère des délais') RETURNING id`)).rows[0]
        .id;
      const a = (
        await t.db.query(
          `INSERT INTO administrations (ministry_id, code, name) VALUES ($1, 'exp-delais-adm', 'Direction des délais') RETURNING id`,
          [m],
        )
      ).rows[0].id;
      const p = (
        await t.db.query(
          `INSERT INTO procedures (stable_id, slug, title, administration_id) VALUES ('exp-delais-p', 'exp-delais-p', 'Démarche des délais', $1) RETURNING id`,
          [a],
        )
      ).rows[0].id;
      const proc = (await procedureInfo(t.db, Number(p)))!;
      // The public page counts with the clock of the database: the stories are placed relative to it.
      const now = new Date();
      const day = 86_400_000;
      const at = (d: number) => new Date(now.getTime() - d * day);
      const tell = async (body: string, publishedDaysAgo: number, answeredAfter: number | null) => {
        const id = await submitStory(
          t.db,
          {
            procedure: proc,
            lang: 'fr',
            body,
            channels: ['telephone'],
            feeling: 'neutre',
            solved: false,
            email: null,
            consent: true,
            accessibilityTicked: false,
          },
          at(publishedDaysAgo + 1),
        );
        await moderate(t.deps, id, { publish: true }, null, at(publishedDaysAgo));
        if (answeredAfter !== null)
          await answerStory(t.deps, id, { body: 'Réponse.', actionUrl: null }, null, '/x', at(publishedDaysAgo - answeredAfter));
      };
      await tell('Premier récit, répondu en deux jours par le service.', 30, 2); // in time
      await tell('Deuxième récit, répondu en dix jours seulement hélas.', 30, 10); // late
      await tell('Troisième récit, sans réponse depuis vingt jours déjà.', 20, null); // overdue
      await tell('Quatrième récit, publié hier, le délai court encore.', 1, null); // not decided yet
      const [f] = await delayFigures(t.db, { administrationId: Number(a), now });
      // answered 2 of 4; median of 2 and 10 days = 6; decided: stories 1, 2 (answered) and 3 (overdue) → 1 in time of 3.
      assert.equal(f.published, 4);
      assert.equal(f.answered, 2);
      assert.equal(f.answerRate, 0.5);
      assert.ok(Math.abs(f.medianDays! - 6) < 1e-9, String(f.medianDays));
      assert.equal(f.inTimeShare, 1 / 3);
      assert.equal(f.overdue, 1);
      assert.equal(f.targetDays, 7);

      // An administration member changes the delays; bad values are refused with a message.
      const member = await clientWithGrants(t.app, t.db, [{ role: 'administration_member', administrationId: Number(a) }]);
      const bad = await member.post(`/temoignages/gestion/administrations/${a}/delais`, { delai: '5', delai_accessibilite: '9' });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /ne peut pas dépasser le délai cible/);
      assert.equal(
        (await member.post(`/temoignages/gestion/administrations/${a}/delais`, { delai: '0', delai_accessibilite: '2' })).statusCode,
        400,
      );
      assert.equal(
        (await member.post(`/temoignages/gestion/administrations/${a}/delais`, { delai: '5', delai_accessibilite: '2' })).statusCode,
        303,
      );
      assert.deepEqual(
        (await t.db.query('SELECT target_days, accessibility_days FROM experience_delays WHERE administration_id = $1', [a])).rows,
        [{ target_days: 5, accessibility_days: 2 }],
      );
      // The public figures page shows them.
      const page = await visitor().get('/temoignages/delais');
      assert.match(page.body, /Direction des délais<\/a><\/th>\s*<td>4<\/td><td>50 %<\/td><td>6,0 j<\/td><td>33 %<\/td>/);
      // Overdue in the digest of the procedure (the section registered with feedback's digest): story 3 only, its
      // deadline 13 days ago.
      const digest = (await overdueStoriesDigestText(t.db, Number(p), new Date().toISOString().slice(0, 10), 'https://vigie.test'))!;
      assert.match(
        digest,
        /Témoignages des usagers : 1 en retard \(sans réponse après le délai cible\) :\n- témoignage n° \d+, publié le .*, réponse attendue avant le .* : https:\/\/vigie\.test\/temoignages\/gestion\/\d+/,
      );
      assert.equal(digest.match(/- témoignage n°/g)?.length, 1);
      // Overdue in the back-office, first.
      const office = await member.get('/temoignages/gestion');
      assert.match(office.body, /dont <strong>1\u00a0en retard<\/strong>/);
    });

    test('public pages: per procedure, administration and ministry, filters, unaccented search, pagination, Atom feed', async () => {
      const proc = (await procedureInfo(t.db, cat.procedures[1]))!;
      for (let i = 0; i < 23; i++) {
        const body =
          i === 0
            ? 'Mon lecteur d’ÉCRAN ne lit pas le bouton « Valider ».'
            : `Récit numéro ${i} : ${'le centre de contact '.repeat((i % 3) + 1)}${'abcdefghijklmnopqrstuvwxyz'.slice(i)} fin.`;
        const id = await submitStory(t.db, {
          procedure: proc,
          lang: 'fr',
          body,
          channels: i % 2 ? ['telephone'] : ['en_ligne'],
          feeling: i % 2 ? 'tres_mal' : 'tres_bien',
          solved: false,
          email: null,
          consent: i !== 22,
          accessibilityTicked: false,
        });
        await moderate(t.deps, id, { publish: true }, null);
      }
      const c = visitor();
      const base = `/temoignages/demarches/${cat.procedures[1]}`;
      const page1 = await c.get(base);
      assert.equal(page1.statusCode, 200);
      // 22 public (the 23rd did not consent) + 1 published in the moderation test + 1 in the follow-up test.
      assert.match(page1.body, /24\u00a0témoignages publiés — page 1 sur 2/);
      assert.equal(page1.body.match(/<article /g)?.length, 20);
      assert.match(page1.body, /class="fr-pagination[ "]/);
      assert.match(page1.body, new RegExp(`href="${base}\\?page=2" title="Page 2"`));
      const page2 = await c.get(`${base}?page=2`);
      assert.equal(page2.body.match(/<article /g)?.length, 4);
      assert.equal((await c.get(`${base}?page=3`)).statusCode, 404);
      const search = await c.get(`${base}?q=${encodeURIComponent('Ecran')}`);
      assert.match(search.body, /1\u00a0témoignage publié</);
      assert.match(search.body, /Mon lecteur d’ÉCRAN/);
      const like = await c.get(`${base}?q=${encodeURIComponent('%')}`);
      assert.match(like.body, /Aucun témoignage publié ne correspond/);
      const phone = await c.get(`${base}?canal=telephone&ressenti=tres_mal`);
      assert.match(phone.body, /11\u00a0témoignages publiés/);
      // Answered: only the story of the follow-up test.
      const answered = await c.get(`${base}?reponse=oui`);
      assert.match(answered.body, /1\u00a0témoignage publié</);
      assert.match(answered.body, /Je n’arrive pas à télécharger le formulaire/);
      const forgedFilter = await c.get(`${base}?canal=pigeon&page=abc`);
      assert.equal(forgedFilter.statusCode, 200);
      assert.match((await c.get(`/temoignages/administrations/${cat.administrations[1]}`)).body, /24\u00a0témoignages publiés/);
      assert.match((await c.get(`/temoignages/ministeres/${cat.ministries[1]}`)).body, /24\u00a0témoignages publiés/);
      const feed = await c.get(`${base}/flux.xml`);
      assert.equal(feed.statusCode, 200);
      assert.match(String(feed.headers['content-type']), /^application\/atom\+xml/);
      assert.match(feed.body, /^<\?xml version="1.0" encoding="utf-8"\?>\n<feed xmlns="http:\/\/www.w3.org\/2005\/Atom"/);
      assert.equal(feed.body.match(/<entry>/g)?.length, 24);
      assert.match(feed.body, /Mon lecteur d’ÉCRAN ne lit pas le bouton « Valider »/);
      assert.doesNotMatch(feed.body, /suivi@exemple|colere@exemple/);
      // Linked from the feedback questionnaire's thank-you page and the observatoire's page of the procedure: see
      // the browser test and docs/experiences.md.
    });
  });
}
