/**
 * The accounts' POSTs state their bodies (route schemas, src/kernel/web/schemas.ts): sign-out, session, key and
 * invitation revocations, the verification mail and the user administration take only the CSRF token (`actionForm`);
 * the mailed links' forms (new password, address verification, unlock) take their fields as text, checked in the handler
 * so that an unknown token is still « Lien invalide ou expiré » and a bad password still shows beside its field.
 * A body that is not a form is a 400 with a French message and writes nothing; the rate limits still count it.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS } from '../../test/helpers/db.ts';
import { createTestApp, type TestApp } from '../../test/helpers/app.ts';
import { TestClient } from '../../test/helpers/client.ts';
import { createTestUser, sessionClient } from '../../test/helpers/users.ts';
import { createApiKey } from '../kernel/auth/api-keys.ts';
import { createSession } from '../kernel/auth/session.ts';
import { createInvitation } from './invitations.ts';
import { createAccountToken } from './tokens.ts';
import { countRows } from './testing.ts';
import { createTestCatalog } from '../catalog/testing.ts';

const NOT_A_FORM = /Le formulaire envoyé est vide ou illisible : rechargez la page et recommencez\. Rien n’a été enregistré\./;

for (const target of TEST_TARGETS) {
  describe(`accounts route schemas (${target})`, () => {
    let t: TestApp;
    let ip = 0;
    /** A client of its own address: the sign-up rate limits count per address. */
    const fresh = () => new TestClient(t.app, { remoteAddress: `10.9.0.${++ip}` });

    /** Everything these routes write. */
    const written = async () => {
      const counts = [];
      for (const table of ['audit_log', 'users', 'sessions', 'grants', 'api_keys', 'invitations', 'mail_outbox'])
        counts.push(`${table}=${await countRows(t.db, table)}`);
      const { rows } = await t.db.query<{ state: string }>(
        `SELECT concat_ws(' ',
           (SELECT count(*) FROM users WHERE disabled_at IS NOT NULL), (SELECT count(*) FROM users WHERE locked_until IS NOT NULL),
           (SELECT count(*) FROM users WHERE email_verified_at IS NULL), (SELECT string_agg(password_hash, ',' ORDER BY id) FROM users),
           (SELECT count(*) FROM api_keys WHERE revoked_at IS NOT NULL), (SELECT count(*) FROM invitations WHERE revoked_at IS NOT NULL),
           (SELECT count(*) FROM account_tokens WHERE used_at IS NOT NULL)) AS state`,
      );
      return `${counts.join(' ')} ${rows[0].state}`;
    };

    /** A hand-made request with a valid CSRF token (in the header) and a JSON body. */
    const json = async (client: TestClient, url: string, payload: string) =>
      client.request({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/json', 'x-csrf-token': await client.csrf() },
        payload,
      });

    before(async () => {
      t = await createTestApp(target);
    });
    after(() => t.close());

    test('action forms: a body that is not a form is a 400 with the French message; the session, keys and rights stay', async () => {
      const adminId = await createTestUser(t.db, 'admin-rs@exemple.gouv.fr', [{ role: 'admin' }]);
      const admin = await sessionClient(t.app, t.db, adminId);
      const otherId = await createTestUser(t.db, 'autre-rs@exemple.gouv.fr', [{ role: 'admin' }]);
      const { rows: grants } = await t.db.query<{ id: number }>('SELECT id FROM grants WHERE user_id = $1', [otherId]);
      const key = await createApiKey(t.db, adminId, 'Clé des schémas');
      await createSession(t.db, adminId);
      const { rows: sessions } = await t.db.query<{ id: number }>('SELECT id FROM sessions WHERE user_id = $1 ORDER BY id', [adminId]);
      const invitation = await createInvitation(t.db, 'invite-rs@exemple.gouv.fr', { role: 'admin' }, adminId);
      await t.db.query('UPDATE users SET email_verified_at = NULL WHERE id = $1', [adminId]);
      const before = await written();
      for (const url of [
        '/deconnexion',
        '/connexion/oidc/deconnexion',
        '/compte/verification',
        `/compte/sessions/${sessions[0].id}/revoquer`,
        `/compte/cles-api/${key.id}/revoquer`,
        `/compte/invitations/${invitation.id}/annuler`,
        `/admin/utilisateurs/${otherId}/desactiver`,
        `/admin/utilisateurs/${otherId}/reactiver`,
        `/admin/utilisateurs/${otherId}/droits/${grants[0].id}/retirer`,
      ]) {
        for (const payload of ['[]', 'null', '"_csrf"']) {
          const res = await json(admin, url, payload);
          assert.equal(res.statusCode, 400, `${url} ${payload}: ${res.statusCode}`);
          assert.match(res.body, /<h1>Paramètre invalide<\/h1>/, url);
          assert.match(res.body, NOT_A_FORM, url);
          assert.equal(res.headers['set-cookie'], undefined, `${url}: no cookie cleared`);
        }
      }
      assert.equal(await written(), before);
      // Still signed in: the refused sign-out closed nothing.
      assert.equal((await admin.get('/compte')).statusCode, 200);
      // The form a browser sends still signs out.
      const out = await admin.post('/deconnexion');
      assert.equal(out.statusCode, 303);
      assert.equal(out.headers.location, '/');
      assert.equal((await admin.get('/compte')).statusCode, 303);
    });

    test('user administration: an id that is not one is the same 404 as an unknown user or right, nothing written', async () => {
      const adminId = await createTestUser(t.db, 'admin-rs2@exemple.gouv.fr', [{ role: 'admin' }]);
      const admin = await sessionClient(t.app, t.db, adminId);
      const before = await written();
      const unknownUser = await admin.post('/admin/utilisateurs/999999999/reactiver');
      assert.equal(unknownUser.statusCode, 404);
      const unknownGrant = await admin.post(`/admin/utilisateurs/${adminId}/droits/999999999/retirer`);
      assert.equal(unknownGrant.statusCode, 404);
      for (const id of ['abc', '0', '01', '-1', '1e3', '12345678901234567', '9007199254740993']) {
        for (const [url, title, text] of [
          [
            `/admin/utilisateurs/${id}/reactiver`,
            'Utilisateur introuvable',
            'Aucun utilisateur ne correspond à cette adresse\\. Rien n’a été modifié\\.',
          ],
          [
            `/admin/utilisateurs/${id}/desactiver`,
            'Utilisateur introuvable',
            'Aucun utilisateur ne correspond à cette adresse\\. Rien n’a été modifié\\.',
          ],
          [
            `/admin/utilisateurs/${adminId}/droits/${id}/retirer`,
            'Droit introuvable',
            'Ce droit n’existe pas ou a déjà été retiré\\. Rien n’a été modifié\\.',
          ],
        ] as const) {
          const res = await admin.post(url);
          assert.equal(res.statusCode, 404, `${url}: ${res.statusCode}`);
          assert.match(res.body, new RegExp(`<h1>${title}</h1>`), url);
          assert.match(res.body, new RegExp(text), url);
        }
      }
      assert.match(unknownUser.body, /<h1>Utilisateur introuvable<\/h1>/);
      assert.match(unknownGrant.body, /<h1>Droit introuvable<\/h1>/);
      assert.equal(await written(), before);
    });

    test('mailed links: a missing, repeated or hand-edited token is « Lien invalide ou expiré », as before; nothing written', async () => {
      const userId = await createTestUser(t.db, 'lien-rs@exemple.gouv.fr');
      await t.db.query(`UPDATE users SET locked_until = now() + interval '1 hour', email_verified_at = NULL WHERE id = $1`, [userId]);
      const tokens = {
        '/reinitialisation-mot-de-passe': await createAccountToken(t.db, userId, 'password_reset', 'lien-rs@exemple.gouv.fr'),
        '/verification-adresse': await createAccountToken(t.db, userId, 'email_verification', 'lien-rs@exemple.gouv.fr'),
        '/deblocage-compte': await createAccountToken(t.db, userId, 'account_unlock', 'lien-rs@exemple.gouv.fr'),
      };
      const password = 'un-nouveau-mot-de-passe-solide';
      const before = await written();
      for (const [url, token] of Object.entries(tokens)) {
        const c = fresh();
        // The page of the link reads its token the same way: missing or repeated, the invalid link page.
        assert.equal((await c.get(`${url}?jeton=${token}`)).statusCode, 200, url);
        for (const query of ['', '?jeton=', `?jeton=${token}&jeton=${token}`, '?jeton[a]=1']) {
          const page = await c.get(`${url}${query}`);
          assert.equal(page.statusCode, 404, `${url}${query}`);
          assert.match(page.body, /Lien invalide ou expiré/, `${url}${query}`);
        }
        for (const fields of <Record<string, string | string[]>[]>[
          { password, password_confirmation: password },
          { jeton: '', password, password_confirmation: password },
          { jeton: [token, token], password, password_confirmation: password },
          { jeton: `${token}x`, password, password_confirmation: password },
        ]) {
          const res = await c.post(url, fields);
          assert.equal(res.statusCode, 404, `${url} ${JSON.stringify(fields)}`);
          assert.match(res.body, /Lien invalide ou expiré/, url);
        }
      }
      // The new password's form keeps its messages beside the fields (repeated: as if empty); the token stays usable.
      const c = fresh();
      const token = tokens['/reinitialisation-mot-de-passe'];
      const mismatch = await c.post('/reinitialisation-mot-de-passe', {
        jeton: token,
        password: [password, password],
        password_confirmation: password,
      });
      assert.equal(mismatch.statusCode, 400);
      assert.match(mismatch.body, /id="resume-erreurs"/);
      assert.match(mismatch.body, /id="champ-password-erreur"/);
      // Not a form at all: 400, the French message, nothing written.
      for (const url of Object.keys(tokens)) {
        const res = await json(fresh(), url, '[]');
        assert.equal(res.statusCode, 400, url);
        assert.match(res.body, /<h1>Paramètre invalide<\/h1>/, url);
        assert.match(res.body, /Entrée invalide|Rien n’a été enregistré/, url);
      }
      assert.equal(await written(), before);
      // The real forms still work.
      assert.equal(
        (await c.post('/deblocage-compte', { jeton: tokens['/deblocage-compte'] })).headers.location,
        '/connexion?ok=compte-debloque',
      );
      assert.equal(
        (await c.post('/verification-adresse', { jeton: tokens['/verification-adresse'] })).headers.location,
        '/connexion?ok=adresse-verifiee',
      );
      const reset = await c.post('/reinitialisation-mot-de-passe', { jeton: token, password, password_confirmation: password });
      assert.equal(reset.headers.location, '/connexion?ok=mot-de-passe-reinitialise');
    });

    test('messages after a redirect (?ok=…): a known key shows its fixed text; unknown, repeated or bracketed, none; a NUL byte is a 400', async () => {
      const adminId = await createTestUser(t.db, 'admin-ok@exemple.gouv.fr', [{ role: 'admin' }]);
      const admin = await sessionClient(t.app, t.db, adminId);
      const before = await written();
      const shown =
        /<div class="fr-alert fr-alert--success fr-alert--sm fr-mb-4w" role="status"><p>Votre profil est enregistré\.<\/p><\/div>/;
      const anyNotice = /fr-alert--sm fr-mb-4w" role="status"/;
      const pages: [TestClient, string][] = [
        [admin, '/compte'],
        [admin, '/compte/cles-api'],
        [admin, '/compte/invitations'],
        [admin, `/admin/utilisateurs/${adminId}`],
        [fresh(), '/connexion'],
      ];
      for (const [client, url] of pages) {
        const known = await client.get(`${url}?ok=profil`);
        assert.equal(known.statusCode, 200, url);
        assert.match(known.body, shown, url);
        // Hand-edited: the page as without a message, never an error nor the text of the URL.
        for (const query of [
          '',
          '?ok=',
          '?ok=inconnu',
          '?ok=Profil',
          '?ok=profil&ok=profil',
          '?ok=profil&ok=mot-de-passe',
          '?ok[]=profil',
          '?ok[0]=profil',
          '?ok[a]=profil',
          '?ok=constructor',
          '?ok=toString',
          '?ok=__proto__',
          '?ok=%3Cscript%3E',
          '?OK=profil',
          '?autre=1',
        ]) {
          const res = await client.get(`${url}${query}`);
          assert.equal(res.statusCode, 200, `${url}${query}`);
          assert.doesNotMatch(res.body, anyNotice, `${url}${query}`);
          assert.doesNotMatch(res.body, /<script>/, `${url}${query}`);
        }
        for (const query of ['?ok=%00', '?ok=profil%00', '?ok[%00]=profil']) {
          const res = await client.get(`${url}${query}`);
          assert.equal(res.statusCode, 400, `${url}${query}`);
          assert.match(res.body, /<h1>Caractère interdit<\/h1>/, `${url}${query}`);
          assert.match(res.body, /La requête contient un caractère nul \(%00\), qui n’est accepté dans aucun champ : retirez-le\./);
        }
      }
      // The other messages too, one per page that redirects there.
      assert.match(
        (await admin.get('/compte/cles-api?ok=cle-revoquee')).body,
        /La clé d’API est révoquée : elle ne permet plus aucun appel\./,
      );
      assert.match((await admin.get('/compte/invitations?ok=invitation')).body, /L’invitation est envoyée\./);
      assert.match((await admin.get(`/admin/utilisateurs/${adminId}?ok=droit-ajoute`)).body, /Le droit est ajouté\./);
      assert.match((await fresh().get('/connexion?ok=compte-debloque')).body, /Votre compte est débloqué : vous pouvez vous connecter\./);
      assert.equal(await written(), before);
      // A form shown again after a POST (« Chercher la démarche ») never carries a message, even one put in its URL.
      await createTestCatalog(t.db, { prefix: 'ok' });
      for (const url of [`/admin/utilisateurs/${adminId}/droits?ok=profil`, '/compte/invitations?ok=invitation']) {
        const search = await admin.post(url, {
          email: 'cherche@exemple.gouv.fr',
          role: 'procedure_reader',
          procedure: 'Démarche de test',
          chercher: '1',
        });
        assert.equal(search.statusCode, 200, url);
        assert.match(search.body, /2\u00a0démarches correspondent : choisissez la démarche/, url);
        assert.doesNotMatch(search.body, anyNotice, url);
      }
      assert.equal(await written(), before);
    });

    test('the rate limit of the mailed links counts refused bodies too: the 11th try is a 429', async () => {
      const c = fresh();
      for (let i = 0; i < 10; i++) assert.equal((await json(c, '/deblocage-compte', 'null')).statusCode, 400, `try ${i + 1}`);
      const limited = await json(c, '/deblocage-compte', 'null');
      assert.equal(limited.statusCode, 429);
      assert.match(limited.body, /Trop de tentatives/);
    });
  });
}
