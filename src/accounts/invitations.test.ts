import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS } from '../../test/helpers/db.ts';
import { createTestApp, type TestApp } from '../../test/helpers/app.ts';
import { TestClient } from '../../test/helpers/client.ts';
import { countRows } from './testing.ts';
import { createTestUser, signedInClient, TEST_PASSWORD } from '../../test/helpers/users.ts';
import { acceptInvitationsFor } from './invitations.ts';
import { createTestCatalog, type TestCatalog } from '../catalog/testing.ts';

const linkIn = (text: string) => /http:\/\/localhost:3000(\/invitation\/[A-Za-z0-9_-]+)/.exec(text)?.[1];

for (const target of TEST_TARGETS) {
  describe(`invitations (${target})`, () => {
    let t: TestApp;
    let cat: TestCatalog;
    let ip = 0;
    const as = (email: string) => signedInClient(t.app, email, TEST_PASSWORD, `10.2.0.${++ip}`);
    before(async () => {
      t = await createTestApp(target);
      cat = await createTestCatalog(t.db);
      await createTestUser(t.db, 'admin@exemple.gouv.fr', [{ role: 'admin' }]);
      await createTestUser(t.db, 'referent@exemple.gouv.fr', [{ role: 'ministry_referent', ministryId: cat.ministries[0] }]);
      await createTestUser(t.db, 'membre@exemple.gouv.fr', [{ role: 'administration_member', administrationId: cat.administrations[0] }]);
      await createTestUser(t.db, 'editeur@exemple.gouv.fr', [{ role: 'procedure_editor', procedureId: cat.procedures[0] }]);
    });
    after(async () => t.close());

    test('an administration member invites to a procedure of their administration; the invitee creates a password and gets the role', async () => {
      const member = await as('membre@exemple.gouv.fr');
      const form = await member.get('/compte/invitations');
      assert.equal(form.statusCode, 200);
      const res = await member.post('/compte/invitations', {
        email: 'Nouvelle@Exemple.gouv.fr',
        role: 'procedure_reader',
        procedure: cat.procedureStableIds[0],
      });
      assert.equal(res.statusCode, 303);
      const mail = t.mails.at(-1)!;
      assert.equal(mail.to, 'nouvelle@exemple.gouv.fr');
      assert.match(mail.text, /Démarche de test 1/);
      const link = linkIn(mail.text)!;
      assert.ok(link);
      const { rows } = await t.db.query(`SELECT token_hash FROM invitations WHERE email = 'nouvelle@exemple.gouv.fr'`);
      assert.ok(!mail.text.includes(rows[0].token_hash), 'only the hash is stored');
      assert.equal((await t.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'invitation.create'`)).rows[0].n, 1);

      const invitee = new TestClient(t.app, { remoteAddress: `10.2.1.${++ip}` });
      const page = await invitee.get(link);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /nouvelle@exemple\.gouv\.fr/);
      const short = await invitee.post(link, { display_name: 'Nouvelle', password: 'court', password_confirmation: 'court' });
      assert.equal(short.statusCode, 400);
      assert.match(short.body, /au moins 12 caractères/);
      const mismatch = await invitee.post(link, {
        display_name: 'Nouvelle',
        password: 'une-longue-phrase',
        password_confirmation: 'une-autre-phrase',
      });
      assert.equal(mismatch.statusCode, 400);
      assert.match(mismatch.body, /ne sont pas identiques/);
      assert.equal((await t.db.query(`SELECT count(*)::int AS n FROM users WHERE email = 'nouvelle@exemple.gouv.fr'`)).rows[0].n, 0);

      const ok = await invitee.post(link, {
        display_name: 'Nouvelle',
        password: 'une-longue-phrase',
        password_confirmation: 'une-longue-phrase',
      });
      assert.equal(ok.statusCode, 303);
      const account = await invitee.get('/compte');
      assert.equal(account.statusCode, 200);
      assert.match(account.body, /Équipe de démarche \(lecture seule\) : Démarche de test 1/);
      const user = await t.db.query(`SELECT email_verified_at FROM users WHERE email = 'nouvelle@exemple.gouv.fr'`);
      assert.ok(user.rows[0].email_verified_at, 'the link proved the address');

      const again = await new TestClient(t.app).get(link);
      assert.equal(again.statusCode, 404, 'single use');
      assert.match(again.body, /Invitation invalide ou expirée/);
    });

    test('an expired invitation cannot be used', async () => {
      const admin = await as('admin@exemple.gouv.fr');
      await admin.get('/compte/invitations');
      await admin.post('/compte/invitations', { email: 'tard@exemple.gouv.fr', role: 'admin' });
      const link = linkIn(t.mails.at(-1)!.text)!;
      await t.db.query(`UPDATE invitations SET expires_at = now() - interval '1 minute' WHERE email = 'tard@exemple.gouv.fr'`);
      const c = new TestClient(t.app);
      assert.equal((await c.get(link)).statusCode, 404);
      await c.get('/connexion');
      const post = await c.post(link, { password: 'une-longue-phrase', password_confirmation: 'une-longue-phrase' });
      assert.equal(post.statusCode, 404);
      assert.equal((await t.db.query(`SELECT count(*)::int AS n FROM users WHERE email = 'tard@exemple.gouv.fr'`)).rows[0].n, 0);
    });

    test('inviters stay within their scope: out-of-scope grants are refused and nothing is written', async () => {
      const cases: [string, Record<string, string>][] = [
        ['membre@exemple.gouv.fr', { role: 'procedure_editor', procedure: cat.procedureStableIds[1] }],
        ['membre@exemple.gouv.fr', { role: 'administration_member', administration_id: String(cat.administrations[0]) }],
        ['membre@exemple.gouv.fr', { role: 'admin' }],
        ['referent@exemple.gouv.fr', { role: 'administration_member', administration_id: String(cat.administrations[1]) }],
        ['referent@exemple.gouv.fr', { role: 'ministry_referent', ministry_id: String(cat.ministries[1]) }],
        ['referent@exemple.gouv.fr', { role: 'admin' }],
      ];
      for (const [inviter, fields] of cases) {
        const c = await as(inviter);
        await c.get('/compte/invitations');
        const invitations = await countRows(t.db, 'invitations');
        const audit = await countRows(t.db, 'audit_log');
        const mails = t.mails.length;
        const res = await c.post('/compte/invitations', { email: 'hors@exemple.gouv.fr', ...fields });
        assert.equal(res.statusCode, 403, `${inviter} ${JSON.stringify(fields)}`);
        assert.equal(await countRows(t.db, 'invitations'), invitations);
        assert.equal(await countRows(t.db, 'audit_log'), audit);
        assert.equal(t.mails.length, mails);
      }
      const referent = await as('referent@exemple.gouv.fr');
      await referent.get('/compte/invitations');
      const inScope = await referent.post('/compte/invitations', {
        email: 'dans@exemple.gouv.fr',
        role: 'administration_member',
        administration_id: String(cat.administrations[0]),
      });
      assert.equal(inScope.statusCode, 303);
    });

    test('a procedure editor may not invite at all', async () => {
      const editor = await as('editeur@exemple.gouv.fr');
      assert.equal((await editor.get('/compte/invitations')).statusCode, 403);
    });

    test('bad input is shown next to the fields', async () => {
      const admin = await as('admin@exemple.gouv.fr');
      await admin.get('/compte/invitations');
      const before = await countRows(t.db, 'invitations');
      const res = await admin.post('/compte/invitations', { email: 'pas une adresse', role: 'procedure_editor', procedure: 'inconnue' });
      assert.equal(res.statusCode, 400);
      assert.match(res.body, /id="champ-email-erreur"/);
      assert.match(res.body, /Aucune démarche ne correspond à « inconnue »/);
      const noRole = await admin.post('/compte/invitations', { email: 'x@exemple.gouv.fr', role: 'pirate' });
      assert.equal(noRole.statusCode, 400);
      assert.match(noRole.body, /Choisissez un rôle/);
      assert.equal(await countRows(t.db, 'invitations'), before);
    });

    test('the procedure is found by words of its title, without its stable id and without JavaScript', async () => {
      const admin = await as('admin@exemple.gouv.fr');
      await admin.get('/compte/invitations');
      await t.db.query(
        `INSERT INTO procedures (stable_id, slug, title, administration_id) VALUES ('ants-immat-x', 'ants-immat-x', 'Autres demandes concernant l’immatriculation des véhicules', $1),
           ('ants-immat-y', 'ants-immat-y', 'Certificat d’immatriculation : changement d’adresse', $1)`,
        [cat.administrations[0]],
      );
      const before = await countRows(t.db, 'invitations');
      // « Chercher la démarche » lists the matches (case and accents ignored) as radio buttons, and sends nothing.
      const search = await admin.post('/compte/invitations', {
        email: 'titre@exemple.gouv.fr',
        role: 'procedure_reader',
        procedure: 'IMMATRICULATION',
        chercher: '1',
      });
      assert.equal(search.statusCode, 200);
      assert.match(search.body, /2\u00a0démarches correspondent : choisissez la démarche/);
      const single = await admin.post('/compte/invitations', {
        email: 'titre@exemple.gouv.fr',
        role: 'procedure_reader',
        procedure: 'changement adresse',
        chercher: '1',
      });
      assert.match(single.body, /1\u00a0démarche correspond : choisissez la démarche/);
      const radios = [
        ...search.body.matchAll(
          /<input type="radio" id="[^"]+" name="procedure_id" value="(\d+)">\s*<label class="fr-label" for="[^"]+">([^<]+)</g,
        ),
      ].map((m) => [m[1], m[2]]);
      assert.deepEqual(
        radios.map((r) => r[1]),
        ['Autres demandes concernant l’immatriculation des véhicules', 'Certificat d’immatriculation : changement d’adresse'],
      );
      assert.match(search.body, /value="titre@exemple.gouv.fr"/, 'what was typed is kept');
      assert.equal(await countRows(t.db, 'invitations'), before);

      // Sending with several matches and none chosen: nothing is sent, the list is there to choose from.
      const ambiguous = await admin.post('/compte/invitations', {
        email: 'titre@exemple.gouv.fr',
        role: 'procedure_reader',
        procedure: 'immatriculation',
      });
      assert.equal(ambiguous.statusCode, 400);
      assert.match(ambiguous.body, /Plusieurs démarches correspondent : choisissez la démarche concernée dans la liste/);
      assert.match(ambiguous.body, /name="procedure_id"/);
      assert.equal(await countRows(t.db, 'invitations'), before);

      // Enter pressed in a field submits through « Chercher » (the first button): once a procedure is chosen, it sends.
      // Choosing one sends the invitation for that procedure.
      const chosen = await admin.post('/compte/invitations', {
        email: 'titre@exemple.gouv.fr',
        role: 'procedure_reader',
        procedure: 'immatriculation',
        procedure_id: radios[1]![0]!,
        chercher: '1',
      });
      assert.equal(chosen.statusCode, 303);
      const { rows } = await t.db.query<{ stable_id: string }>(
        `SELECT p.stable_id FROM invitations i JOIN procedures p ON p.id = i.procedure_id WHERE i.email = 'titre@exemple.gouv.fr'`,
      );
      assert.deepEqual(
        rows.map((r) => r.stable_id),
        ['ants-immat-y'],
      );

      // Words that name one procedure only are enough.
      assert.equal(
        (
          await admin.post('/compte/invitations', {
            email: 'seul@exemple.gouv.fr',
            role: 'procedure_editor',
            procedure: 'autres demandes vehicules',
          })
        ).statusCode,
        303,
      );
      const one = await t.db.query<{ stable_id: string }>(
        `SELECT p.stable_id FROM invitations i JOIN procedures p ON p.id = i.procedure_id WHERE i.email = 'seul@exemple.gouv.fr'`,
      );
      assert.deepEqual(
        one.rows.map((r) => r.stable_id),
        ['ants-immat-x'],
      );
    });

    test('acceptInvitationsFor grants every pending invitation of the address once', async () => {
      const admin = await as('admin@exemple.gouv.fr');
      await admin.get('/compte/invitations');
      await admin.post('/compte/invitations', {
        email: 'oidc@exemple.gouv.fr',
        role: 'procedure_reader',
        procedure: cat.procedureStableIds[0],
      });
      await admin.post('/compte/invitations', {
        email: 'OIDC@exemple.gouv.fr',
        role: 'ministry_referent',
        ministry_id: String(cat.ministries[1]),
      });
      const userId = await createTestUser(t.db, 'oidc@exemple.gouv.fr');
      assert.equal(await t.db.transaction((tx) => acceptInvitationsFor(tx, userId, 'oidc@exemple.gouv.fr')), 2);
      assert.equal(await acceptInvitationsFor(t.db, userId, 'oidc@exemple.gouv.fr'), 0);
      const grants = await t.db.query('SELECT role FROM grants WHERE user_id = $1 ORDER BY role', [userId]);
      assert.deepEqual(
        grants.rows.map((r) => r.role),
        ['ministry_referent', 'procedure_reader'],
      );
    });

    test('an existing verified account receives the invitation at its next sign-in', async () => {
      const admin = await as('admin@exemple.gouv.fr');
      await admin.get('/compte/invitations');
      await admin.post('/compte/invitations', {
        email: 'editeur@exemple.gouv.fr',
        role: 'procedure_reader',
        procedure: cat.procedureStableIds[1],
      });
      const link = linkIn(t.mails.at(-1)!.text)!;
      assert.match((await new TestClient(t.app).get(link)).body, /connectez-vous avec ce compte/);
      const editor = await as('editeur@exemple.gouv.fr');
      assert.match((await editor.get('/compte')).body, /lecture seule\) : Démarche de test 2/);
      assert.equal((await editor.get(link)).statusCode, 404, 'already accepted');
    });

    test('an unverified account accepts through the link only when signed in as that account', async () => {
      const id = await createTestUser(t.db, 'nonverifie@exemple.gouv.fr');
      await t.db.query('UPDATE users SET email_verified_at = NULL WHERE id = $1', [id]);
      const admin = await as('admin@exemple.gouv.fr');
      await admin.get('/compte/invitations');
      await admin.post('/compte/invitations', {
        email: 'nonverifie@exemple.gouv.fr',
        role: 'procedure_reader',
        procedure: cat.procedureStableIds[1],
      });
      const link = linkIn(t.mails.at(-1)!.text)!;
      const stranger = await as('membre@exemple.gouv.fr');
      await stranger.get(link);
      assert.equal((await stranger.post(link)).statusCode, 403);
      const owner = await as('nonverifie@exemple.gouv.fr');
      assert.doesNotMatch((await owner.get('/compte')).body, /Démarche de test 2/, 'no grant before the address is proven');
      await owner.get(link);
      assert.equal((await owner.post(link)).statusCode, 303);
      assert.match((await owner.get('/compte')).body, /lecture seule\) : Démarche de test 2/);
      const { rows } = await t.db.query('SELECT email_verified_at FROM users WHERE id = $1', [id]);
      assert.ok(rows[0].email_verified_at);
    });

    test('the inviter cancels a pending invitation; its link stops working; others may not cancel it', async () => {
      const member = await as('membre@exemple.gouv.fr');
      await member.get('/compte/invitations');
      await member.post('/compte/invitations', {
        email: 'annulee@exemple.gouv.fr',
        role: 'procedure_editor',
        procedure: cat.procedureStableIds[0],
      });
      const link = linkIn(t.mails.at(-1)!.text)!;
      const id = (await t.db.query(`SELECT id FROM invitations WHERE email = 'annulee@exemple.gouv.fr'`)).rows[0].id;
      const referent = await as('referent@exemple.gouv.fr');
      await referent.get('/compte/invitations');
      const audit = await countRows(t.db, 'audit_log');
      assert.equal((await referent.post(`/compte/invitations/${id}/annuler`)).statusCode, 403);
      assert.equal(await countRows(t.db, 'audit_log'), audit);
      assert.equal((await new TestClient(t.app).get(link)).statusCode, 200);
      const page = await member.get('/compte/invitations');
      assert.match(page.body, /Annuler<span class="fr-sr-only"> l’invitation de annulee@exemple\.gouv\.fr/);
      assert.equal((await member.post(`/compte/invitations/${id}/annuler`)).statusCode, 303);
      assert.equal((await new TestClient(t.app).get(link)).statusCode, 404);
      assert.equal((await t.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'invitation.revoke'`)).rows[0].n, 1);
      assert.equal((await member.post('/compte/invitations/999999/annuler')).statusCode, 404);
    });
  });
}
