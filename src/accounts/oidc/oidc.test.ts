import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TARGETS } from '../../../test/helpers/db.ts';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { TestClient } from '../../../test/helpers/client.ts';
import { createTestUser } from '../../../test/helpers/users.ts';
import { createInvitation } from '../invitations.ts';
import { SESSION_COOKIE } from '../../kernel/auth/session.ts';
import { startTestProvider, type TestProvider } from './fixtures/test-provider.ts';
import { browseProvider } from './fixtures/provider-browser.ts';
import { createTestCatalog, type TestCatalog } from '../../catalog/testing.ts';

const PUBLIC_URL = 'http://localhost:3000';
const REDIRECT_URI = `${PUBLIC_URL}/connexion/oidc/retour`;

for (const target of TEST_TARGETS) {
  describe(`OpenID Connect sign-in against a real provider (${target})`, () => {
    let provider: TestProvider;
    let t: TestApp;
    let catalog: TestCatalog;
    let inviterId: number;

    before(async () => {
      provider = await startTestProvider(REDIRECT_URI, [
        { login: 'agent-connu', email: 'Connue@Exemple.gouv.fr' },
        // The same agent through another identity provider of the federation: another subject, the same address.
        { login: 'agent-connu-autre-fi', email: 'connue@exemple.gouv.fr' },
        { login: 'agent-desactive', email: 'desactive@exemple.gouv.fr' },
        { login: 'agent-invite', email: 'invitee@exemple.gouv.fr', givenName: 'Camille', usualName: 'Martin' },
        { login: 'agent-inconnu', email: 'inconnu@exemple.gouv.fr' },
        { login: 'agent-non-verifie', email: 'non-verifiee@exemple.gouv.fr', emailVerified: false },
      ]);
      t = await createTestApp(target, {
        config: {
          publicUrl: PUBLIC_URL,
          oidc: {
            issuer: provider.issuer,
            clientId: provider.clientId,
            clientSecret: provider.clientSecret,
            label: 'ProConnect',
            scopes: 'openid email profile',
          },
        },
      });
      catalog = await createTestCatalog(t.db, { prefix: 'oidc' });
      inviterId = await createTestUser(t.db, 'pilotage@exemple.gouv.fr', [{ role: 'admin' }]);
      await createTestUser(t.db, 'connue@exemple.gouv.fr', [{ role: 'procedure_reader', procedureId: catalog.procedures[0] }]);
    });
    after(async () => {
      await t?.close();
      await provider?.close();
    });

    /** The whole round trip: Vigie → provider (login and consent pages) → back to Vigie's callback. */
    async function signIn(login: string, returnTo?: string, providerCookies = new Map<string, string>()) {
      const client = new TestClient(t.app);
      const start = await client.get(`/connexion/oidc${returnTo ? `?retour=${encodeURIComponent(returnTo)}` : ''}`);
      assert.equal(start.statusCode, 302);
      const authorize = new URL(String(start.headers.location));
      assert.equal(authorize.origin, provider.issuer);
      assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
      const callback = await browseProvider(authorize.href, login, REDIRECT_URI, providerCookies);
      return { client, callback };
    }

    /** With a live provider session (and consent given), the provider answers at once; otherwise it asks to log in. */
    async function providerAsksToLogIn(providerCookies: Map<string, string>): Promise<boolean> {
      const start = await new TestClient(t.app).get('/connexion/oidc');
      const response = await fetch(String(start.headers.location), {
        redirect: 'manual',
        headers: { cookie: [...providerCookies].map(([k, v]) => `${k}=${v}`).join('; ') },
      });
      const location = String(response.headers.get('location'));
      if (location.startsWith(REDIRECT_URI)) return false;
      assert.match(location, /\/interaction\//);
      return true;
    }

    const userByEmail = async (email: string) =>
      (
        await t.db.query<{
          id: number;
          display_name: string;
          oidc_issuer: string | null;
          oidc_subject: string | null;
          email_verified_at: Date | null;
        }>('SELECT id, display_name, oidc_issuer, oidc_subject, email_verified_at FROM users WHERE lower(email) = lower($1)', [email])
      ).rows[0];

    const auditActions = async (userId: number) =>
      (
        await t.db.query<{ action: string; after: any }>(
          "SELECT action, after FROM audit_log WHERE entity_type = 'user' AND entity_id = $1 ORDER BY id",
          [String(userId)],
        )
      ).rows;

    test('a known user signs in, is linked to the provider identity and lands where they were going', async () => {
      const { client, callback } = await signIn('agent-connu', '/compte');
      const res = await client.get(callback.pathname + callback.search);
      assert.equal(res.statusCode, 302);
      assert.equal(res.headers.location, '/compte');
      const sessionCookie = res.cookies.find((c) => c.name === SESSION_COOKIE)!;
      assert.ok(sessionCookie.value);
      assert.equal(sessionCookie.httpOnly, true);
      assert.equal(sessionCookie.sameSite, 'Lax');

      const account = await client.get('/compte');
      assert.equal(account.statusCode, 200);
      assert.match(account.body, /connue@exemple\.gouv\.fr/);

      const user = await userByEmail('connue@exemple.gouv.fr');
      assert.equal(user.oidc_issuer, provider.issuer);
      assert.equal(user.oidc_subject, 'agent-connu');
      const actions = await auditActions(user.id);
      assert.ok(actions.some((a) => a.action === 'user.oidc_link'));
      assert.ok(actions.some((a) => a.action === 'user.login' && a.after.method === 'oidc'));

      // The next time, the account is found by its provider identity.
      const again = await signIn('agent-connu');
      const second = await again.client.get(again.callback.pathname + again.callback.search);
      assert.equal(second.statusCode, 302);
      assert.equal(second.headers.location, '/mes-demarches', 'lands on « Mes démarches »');
      assert.equal((await auditActions(user.id)).filter((a) => a.action === 'user.login').length, 2);
    });

    test('a known agent arriving with another subject (another identity provider) is recognised by the verified address', async () => {
      const { client, callback } = await signIn('agent-connu-autre-fi');
      const res = await client.get(callback.pathname + callback.search);
      assert.equal(res.statusCode, 302);
      assert.ok(client.cookie(SESSION_COOKIE));
      const user = await userByEmail('connue@exemple.gouv.fr');
      assert.equal(user.oidc_subject, 'agent-connu-autre-fi');
      const link = (await auditActions(user.id)).filter((a) => a.action === 'user.oidc_link').at(-1)!;
      assert.deepEqual(link.after, { oidcIssuer: provider.issuer, oidcSubject: 'agent-connu-autre-fi' });
    });

    test('a disabled account is refused even though the provider vouches for it', async () => {
      const id = await createTestUser(t.db, 'desactive@exemple.gouv.fr', [{ role: 'admin' }]);
      await t.db.query('UPDATE users SET disabled_at = now() WHERE id = $1', [id]);
      const { client, callback } = await signIn('agent-desactive');
      const res = await client.get(callback.pathname + callback.search);
      assert.equal(res.statusCode, 403);
      assert.match(res.body, /Ce compte Vigie est désactivé/);
      assert.equal(client.cookie(SESSION_COOKIE), undefined);
    });

    test('an invited address gets its account, with the scope of the invitation, at its first sign-in', async () => {
      await createInvitation(
        t.db,
        'invitee@exemple.gouv.fr',
        { role: 'administration_member', administrationId: catalog.administrations[1] },
        inviterId,
      );
      assert.equal(await userByEmail('invitee@exemple.gouv.fr'), undefined);

      const { client, callback } = await signIn('agent-invite');
      const res = await client.get(callback.pathname + callback.search);
      assert.equal(res.statusCode, 302);
      assert.ok(client.cookie(SESSION_COOKIE));

      const user = await userByEmail('invitee@exemple.gouv.fr');
      assert.ok(user);
      assert.equal(user.display_name, 'Camille Martin');
      assert.equal(user.oidc_subject, 'agent-invite');
      assert.ok(user.email_verified_at);
      const grants = await t.db.query('SELECT role, administration_id FROM grants WHERE user_id = $1', [user.id]);
      assert.deepEqual(grants.rows, [{ role: 'administration_member', administration_id: catalog.administrations[1] }]);
      const invitation = await t.db.query("SELECT accepted_by FROM invitations WHERE email = 'invitee@exemple.gouv.fr'");
      assert.equal(invitation.rows[0].accepted_by, user.id);
      const actions = (await auditActions(user.id)).map((a) => a.action);
      assert.ok(actions.includes('user.create'));
      assert.ok(actions.includes('user.login'));
    });

    test('an address without account nor invitation is refused with a French explanation, and nothing is created', async () => {
      const users = (await t.db.query('SELECT count(*)::int AS n FROM users')).rows[0].n;
      const { client, callback } = await signIn('agent-inconnu');
      const res = await client.get(callback.pathname + callback.search);
      assert.equal(res.statusCode, 403);
      assert.match(res.body, /<h1>Connexion refusée<\/h1>/);
      assert.match(res.body, /Aucun compte Vigie n’est associé à l’adresse inconnu@exemple\.gouv\.fr/);
      assert.equal(client.cookie(SESSION_COOKIE), undefined);
      assert.equal((await t.db.query('SELECT count(*)::int AS n FROM users')).rows[0].n, users);
    });

    test('an address the provider has not verified does not open an invitation', async () => {
      await createInvitation(
        t.db,
        'non-verifiee@exemple.gouv.fr',
        { role: 'procedure_editor', procedureId: catalog.procedures[1] },
        inviterId,
      );
      const { client, callback } = await signIn('agent-non-verifie');
      const res = await client.get(callback.pathname + callback.search);
      assert.equal(res.statusCode, 403);
      assert.match(res.body, /adresse électronique vérifiée/);
      assert.equal(client.cookie(SESSION_COOKIE), undefined);
      assert.equal(await userByEmail('non-verifiee@exemple.gouv.fr'), undefined);
    });

    test('an answer whose state does not match the one this browser was given is refused', async () => {
      const { client, callback } = await signIn('agent-connu');
      callback.searchParams.set('state', 'etat-falsifie');
      const res = await client.get(callback.pathname + callback.search);
      assert.equal(res.statusCode, 400);
      assert.match(res.body, /n’a pas pu être vérifiée/);
      assert.equal(client.cookie(SESSION_COOKIE), undefined);
    });

    test('signing out ends the Vigie session, then the provider session, and comes back to Vigie', async () => {
      const providerCookies = new Map<string, string>();
      const { client, callback } = await signIn('agent-connu', '/compte', providerCookies);
      await client.get(callback.pathname + callback.search);
      const account = await client.get('/compte');
      assert.equal(account.statusCode, 200);
      assert.match(
        account.body,
        /<form method="post" action="\/connexion\/oidc\/deconnexion"/,
        'the header signs out through the provider',
      );
      assert.equal(await providerAsksToLogIn(providerCookies), false);
      const user = await userByEmail('connue@exemple.gouv.fr');

      const res = await client.post('/connexion/oidc/deconnexion');
      assert.equal(res.statusCode, 303);
      const endSession = new URL(String(res.headers.location));
      assert.equal(endSession.origin, provider.issuer);
      assert.ok(endSession.searchParams.get('id_token_hint'));
      assert.equal(endSession.searchParams.get('post_logout_redirect_uri'), `${PUBLIC_URL}/connexion/oidc/deconnecte`);
      assert.equal(client.cookie(SESSION_COOKIE), undefined);
      assert.notEqual((await client.get('/compte')).statusCode, 200);
      const logout = (await auditActions(user.id)).filter((a) => a.action === 'user.logout').at(-1);
      assert.deepEqual(logout?.after, { method: 'oidc' });

      const back = await browseProvider(endSession.href, 'agent-connu', `${PUBLIC_URL}/connexion/oidc/deconnecte`, providerCookies);
      assert.equal(back.searchParams.get('state'), endSession.searchParams.get('state'));
      const home = await client.get(back.pathname + back.search);
      assert.equal(home.statusCode, 303);
      assert.equal(home.headers.location, '/');

      // The provider's session is over: signing in again goes to its login page instead of straight back to Vigie.
      assert.equal(await providerAsksToLogIn(providerCookies), true);
    });

    test('a logout return that this browser did not ask for is not taken for one', async () => {
      const res = await new TestClient(t.app).get('/connexion/oidc/deconnecte?state=inconnu');
      assert.equal(res.statusCode, 400);
      assert.match(res.body, /Déconnexion non reconnue/);
    });

    test('an answer reaching a browser that did not start the sign-in is refused', async () => {
      const { callback } = await signIn('agent-connu');
      const otherBrowser = new TestClient(t.app);
      const res = await otherBrowser.get(callback.pathname + callback.search);
      assert.equal(res.statusCode, 400);
      assert.match(res.body, /n’a pas été faite depuis ce navigateur/);
      assert.equal(otherBrowser.cookie(SESSION_COOKIE), undefined);
    });
  });
}
