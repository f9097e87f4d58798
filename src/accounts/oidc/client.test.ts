import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isTrustedForEmail, redirectUri } from './client.ts';

test('only ProConnect issuers are trusted for addresses without an email_verified claim', () => {
  assert.equal(isTrustedForEmail('https://auth.agentconnect.gouv.fr/api/v2'), true);
  assert.equal(isTrustedForEmail('https://auth.agentconnect.rie.gouv.fr/api/v2'), true);
  assert.equal(isTrustedForEmail('https://fca.integ01.dev-agentconnect.fr/api/v2'), true);
  assert.equal(isTrustedForEmail('https://auth.proconnect.gouv.fr/api/v2'), true);
  assert.equal(isTrustedForEmail('https://proconnect.gouv.fr.example.com/api/v2'), false);
  assert.equal(isTrustedForEmail('https://fauxproconnect.gouv.fr/api/v2'), false);
  assert.equal(isTrustedForEmail('https://accounts.example.com'), false);
});

test('the redirect URI to register at the provider derives from PUBLIC_URL', () => {
  assert.equal(redirectUri({ publicUrl: 'https://vigie.numerique.gouv.fr' }), 'https://vigie.numerique.gouv.fr/connexion/oidc/retour');
});
