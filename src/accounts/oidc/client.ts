import * as oidc from 'openid-client';
import type { Config } from '../../kernel/config.ts';

export type OidcSettings = NonNullable<Config['oidc']>;

export function redirectUri(config: Pick<Config, 'publicUrl'>): string {
  return `${config.publicUrl}/connexion/oidc/retour`;
}

/** Plain HTTP is accepted only for a provider on this machine (development, tests); ProConnect is HTTPS. */
function isLocal(issuer: URL): boolean {
  return issuer.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(issuer.hostname);
}

// The provider's discovery document per issuer, for the life of the process. Across servers: nothing to invalidate in
// Vigie's data (it comes from the provider's configuration; a restart picks up a change of provider keys or endpoints).
const discovered = new Map<string, Promise<oidc.Configuration>>();

/**
 * The provider's configuration, read once from its discovery document (/.well-known/openid-configuration);
 * a failed discovery is forgotten so that the next sign-in tries again.
 */
export function providerConfiguration(settings: OidcSettings): Promise<oidc.Configuration> {
  const key = `${settings.issuer}\n${settings.clientId}`;
  let configuration = discovered.get(key);
  if (!configuration) {
    const issuer = new URL(settings.issuer);
    configuration = oidc.discovery(
      issuer,
      settings.clientId,
      undefined,
      oidc.ClientSecretPost(settings.clientSecret),
      isLocal(issuer) ? { execute: [oidc.allowInsecureRequests] } : undefined,
    );
    configuration.catch(() => discovered.delete(key));
    discovered.set(key, configuration);
  }
  return configuration;
}

/** What is kept in the signed cookie between the redirect to the provider and its answer. */
export interface PendingSignIn {
  state: string;
  nonce: string;
  verifier: string;
  returnTo: string;
}

/** Authorization code flow with PKCE: the URL to send the browser to, and what to check when it comes back. */
export async function startSignIn(
  settings: OidcSettings,
  config: Pick<Config, 'publicUrl'>,
  returnTo: string,
): Promise<{ url: URL; pending: PendingSignIn }> {
  const configuration = await providerConfiguration(settings);
  // PKCE whenever the provider announces it; ProConnect refuses any parameter it does not know, so it is not forced.
  const usePkce = configuration.serverMetadata().supportsPKCE();
  const pending: PendingSignIn = {
    state: oidc.randomState(),
    nonce: oidc.randomNonce(),
    verifier: usePkce ? oidc.randomPKCECodeVerifier() : '',
    returnTo,
  };
  const parameters: Record<string, string> = {
    redirect_uri: redirectUri(config),
    scope: settings.scopes,
    response_type: 'code',
    state: pending.state,
    nonce: pending.nonce,
  };
  if (usePkce) {
    parameters.code_challenge = await oidc.calculatePKCECodeChallenge(pending.verifier);
    parameters.code_challenge_method = 'S256';
  }
  return { url: oidc.buildAuthorizationUrl(configuration, parameters), pending };
}

/** The identity the provider vouches for. */
export interface OidcIdentity {
  issuer: string;
  subject: string;
  email: string | null;
  emailVerified: boolean;
  displayName: string;
  idToken: string | undefined;
}

/** ProConnect's domains, on the Internet and on the State's network (RIE), production and integration. */
const PROCONNECT_DOMAINS = ['proconnect.gouv.fr', 'agentconnect.gouv.fr', 'agentconnect.rie.gouv.fr', 'dev-agentconnect.fr'];

/**
 * ProConnect hands out addresses its identity providers have verified and sends no `email_verified` claim;
 * any other provider must say `email_verified: true`.
 */
export function isTrustedForEmail(issuer: string): boolean {
  const host = new URL(issuer).hostname;
  return PROCONNECT_DOMAINS.some((domain) => host === domain || host.endsWith(`.${domain}`));
}

/**
 * Checks the provider's answer (state, PKCE, nonce, ID token signature, issuer, audience) and exchanges the code.
 * Throws when anything does not match.
 */
export async function finishSignIn(
  settings: OidcSettings,
  config: Pick<Config, 'publicUrl'>,
  currentUrl: URL,
  pending: PendingSignIn,
): Promise<OidcIdentity> {
  const configuration = await providerConfiguration(settings);
  const tokens = await oidc.authorizationCodeGrant(
    configuration,
    currentUrl,
    { pkceCodeVerifier: pending.verifier || undefined, expectedState: pending.state, expectedNonce: pending.nonce, idTokenExpected: true },
    { redirect_uri: redirectUri(config) },
  );
  const idClaims = tokens.claims()!;
  let claims: Record<string, unknown> = { ...idClaims };
  // ProConnect, like many providers, gives the e-mail and names only at the userinfo endpoint.
  if (typeof claims.email !== 'string') {
    claims = { ...claims, ...(await oidc.fetchUserInfo(configuration, tokens.access_token, idClaims.sub)) };
  }
  const email = typeof claims.email === 'string' && claims.email.includes('@') ? claims.email.trim() : null;
  const issuer = configuration.serverMetadata().issuer;
  const names = [claims.given_name, claims.usual_name ?? claims.family_name].filter(
    (n): n is string => typeof n === 'string' && n.trim() !== '',
  );
  return {
    issuer,
    subject: idClaims.sub,
    email,
    emailVerified: claims.email_verified === true || (claims.email_verified === undefined && isTrustedForEmail(issuer)),
    displayName: names.join(' ').slice(0, 200),
    idToken: tokens.id_token,
  };
}

export function postLogoutRedirectUri(config: Pick<Config, 'publicUrl'>): string {
  return `${config.publicUrl}/connexion/oidc/deconnecte`;
}

/** Where to send the browser to end the provider's session too, or null when the provider offers no logout. */
export async function providerLogoutUrl(
  settings: OidcSettings,
  config: Pick<Config, 'publicUrl'>,
  idToken: string,
  state: string,
): Promise<URL | null> {
  const configuration = await providerConfiguration(settings);
  if (!configuration.serverMetadata().end_session_endpoint) return null;
  return oidc.buildEndSessionUrl(configuration, { id_token_hint: idToken, state, post_logout_redirect_uri: postLogoutRedirectUri(config) });
}

export function randomLogoutState(): string {
  return oidc.randomState();
}
