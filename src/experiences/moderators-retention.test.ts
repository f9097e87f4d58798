import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS } from '../../test/helpers/db.ts';
import { createTestApp, type TestApp } from '../../test/helpers/app.ts';
import { clientWithGrants, createTestUser, sessionClient } from '../../test/helpers/users.ts';
import { createTestCatalog, type TestCatalog } from '../catalog/testing.ts';
import { concludeStory, moderate, procedureInfo, submitStory, answerStory } from './store.ts';
import { eraseOldEmails } from './retention.ts';

const DAY = 86_400_000;

for (const target of TEST_TARGETS) {
  describe(`experiences: moderators per administration, retention of e-mails (${target})`, () => {
    let t: TestApp;
    let cat: TestCatalog;

    before(async () => {
      t = await createTestApp(target);
      cat = await createTestCatalog(t.db, { prefix: 'mdr' });
    });
    after(() => t?.close());

    test('an administration names moderators: they moderate its stories only; journal', async () => {
      const story = async (procedureId: number) => {
        const proc = (await procedureInfo(t.db, procedureId))!;
        return submitStory(t.db, {
          procedure: proc,
          lang: 'fr',
          body: `Le formulaire de la démarche ${procedureId} refuse ma pièce jointe.`,
          channels: ['en_ligne'],
          feeling: 'plutot_mal',
          solved: false,
          email: null,
          consent: true,
          accessibilityTicked: false,
        });
      };
      const mine = await story(cat.procedures[0]);
      const other = await story(cat.procedures[1]);
      // A member of administration 0 names a moderator; not for administration 1.
      const member = await clientWithGrants(t.app, t.db, [{ role: 'administration_member', administrationId: cat.administrations[0] }]);
      const moderatorId = await createTestUser(t.db, 'moderateur-adm@exemple.gouv.fr');
      const page = await member.get(`/temoignages/moderateurs/administrations/${cat.administrations[0]}`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Modérateurs des témoignages : Administration de test 1/);
      assert.equal(
        (
          await member.post(`/temoignages/moderateurs/administrations/${cat.administrations[0]}/ajouter`, {
            email: 'moderateur-adm@exemple.gouv.fr',
          })
        ).statusCode,
        303,
      );
      assert.equal(
        (
          await member.post(`/temoignages/moderateurs/administrations/${cat.administrations[1]}/ajouter`, {
            email: 'moderateur-adm@exemple.gouv.fr',
          })
        ).statusCode,
        403,
      );
      const unknown = await member.post(`/temoignages/moderateurs/administrations/${cat.administrations[0]}/ajouter`, {
        email: 'personne@exemple.gouv.fr',
      });
      assert.equal(unknown.statusCode, 400);
      assert.match(unknown.body, /Aucun compte Vigie n’a cette adresse/);

      const moderator = await sessionClient(t.app, t.db, moderatorId);
      const queue = await moderator.get('/temoignages/moderation');
      assert.equal(queue.statusCode, 200);
      assert.match(queue.body, /1\u00a0témoignage en attente/);
      assert.equal((await moderator.post(`/temoignages/moderation/${other}`, { decision: 'publier' })).statusCode, 403);
      assert.equal((await moderator.post(`/temoignages/moderation/${mine}`, { decision: 'publier' })).statusCode, 303);
      assert.equal((await t.db.query('SELECT status FROM experiences WHERE id = $1', [mine])).rows[0].status, 'published');

      // Removed: no queue any more.
      assert.equal(
        (
          await member.post(`/temoignages/moderateurs/administrations/${cat.administrations[0]}/retirer`, {
            utilisateur: String(moderatorId),
          })
        ).statusCode,
        303,
      );
      assert.equal((await moderator.get('/temoignages/moderation')).statusCode, 403);
      const journal = await t.db.query(
        `SELECT action, entity_id FROM audit_log WHERE entity_type = 'experience_administration_moderators' ORDER BY id`,
      );
      assert.deepEqual(
        journal.rows.map((r) => [r.action, Number(r.entity_id)]),
        [
          ['experience.moderator.add', cat.administrations[0]],
          ['experience.moderator.remove', cat.administrations[0]],
        ],
      );
      const journalPage = await (await clientWithGrants(t.app, t.db, [{ role: 'admin' }])).get('/admin/journal');
      const line = journalPage.body.match(/a ajouté une personne à[^\n]{0,300}/)?.[0] ?? '';
      assert.match(
        line,
        new RegExp(
          `a ajouté une personne à <a href="/temoignages/moderateurs/administrations/${cat.administrations[0]}">la liste des modérateurs de témoignages de « Administration de test 1 »</a>`,
        ),
        line,
      );
    });

    test('e-mail retention: a setting of the steering team; the job erases addresses N days after closing; journal', async () => {
      const proc = (await procedureInfo(t.db, cat.procedures[0]))!;
      const start = new Date(Date.UTC(2026, 2, 1));
      const at = (days: number) => new Date(start.getTime() + days * DAY);
      const told = async (email: string) =>
        submitStory(
          t.db,
          {
            procedure: proc,
            lang: 'fr',
            body: `Récit de ${email} : le paiement échoue toujours.`,
            channels: ['en_ligne'],
            feeling: 'tres_mal',
            solved: false,
            email,
            consent: true,
            accessibilityTicked: false,
          },
          at(0),
        );
      const solved = await told('resolu@exemple.fr');
      const closed = await told('clos@exemple.fr');
      const refused = await told('refuse@exemple.fr');
      const open = await told('ouvert@exemple.fr');
      for (const id of [solved, closed, open]) await moderate(t.deps, id, { publish: true }, null, at(1));
      await moderate(t.deps, refused, { publish: false, reason: 'hors_sujet' }, null, at(1));
      await answerStory(t.deps, solved, { body: 'C’est corrigé.', actionUrl: null }, null, 'https://vigie.test/x', at(2));
      await concludeStory(t.db, solved, { solved: true }, null, at(3));
      await concludeStory(t.db, closed, { solved: false, reason: 'Hors du périmètre.' }, null, at(10));

      // The steering team sets 30 days; others may not; a bad value is refused in French, nothing written.
      const admin = await clientWithGrants(t.app, t.db, [{ role: 'admin' }]);
      const member = await clientWithGrants(t.app, t.db, [{ role: 'administration_member', administrationId: cat.administrations[0] }]);
      assert.equal((await member.post('/temoignages/gestion/conservation', { jours: '30' })).statusCode, 403);
      const bad = await admin.post('/temoignages/gestion/conservation', { jours: '0' });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /Saisissez un nombre de jours entre 1 et 3\s650/);
      assert.equal((await admin.post('/temoignages/gestion/conservation', { jours: '30' })).statusCode, 303);
      assert.match((await admin.get('/temoignages/gestion/conservation')).body, /Durée actuelle : <strong>30\u00a0jours<\/strong>/);

      const emails = async () =>
        (
          await t.db.query(`SELECT id, email FROM experiences WHERE id = ANY($1::bigint[]) ORDER BY id`, [[solved, closed, refused, open]])
        ).rows.map((r) => r.email);
      // By hand, 30 days after closing: refused on day 1 → erasable from day 31; solved on day 3 → day 33; closed on day 10 → day 40; open: never.
      assert.equal(await eraseOldEmails(t.db, at(30)), 0);
      assert.deepEqual(await emails(), ['resolu@exemple.fr', 'clos@exemple.fr', 'refuse@exemple.fr', 'ouvert@exemple.fr']);
      assert.equal(await eraseOldEmails(t.db, at(33)), 2);
      assert.deepEqual(await emails(), [null, 'clos@exemple.fr', null, 'ouvert@exemple.fr']);
      assert.equal(await eraseOldEmails(t.db, at(400)), 1);
      assert.deepEqual(await emails(), [null, null, null, 'ouvert@exemple.fr']);
      const journal = await t.db.query(`SELECT action, after FROM audit_log WHERE entity_type = 'experience_retention' ORDER BY id`);
      assert.deepEqual(
        journal.rows.map((r) => r.action),
        ['experience.retention.update', 'experience.emails.erase', 'experience.emails.erase'],
      );
      assert.deepEqual(journal.rows[1].after, { erased: 2, email_days: 30, stories: [solved, refused].sort((a, b) => a - b) });
      assert.doesNotMatch(JSON.stringify(journal.rows), /@exemple/);
      // The story without an address any more says so to the team.
      const team = await clientWithGrants(t.app, t.db, [{ role: 'procedure_editor', procedureId: cat.procedures[0] }]);
      assert.match((await team.get(`/temoignages/gestion/${solved}`)).body, /L’auteur n’a pas laissé d’adresse/);
    });
  });
}
