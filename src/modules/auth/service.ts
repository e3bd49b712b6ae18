// The page's sign-in (issue #16): OpenID Connect authorization code flow with PKCE against the force's identity
// provider (openid-client), the ID token's claims mapped to a principal exactly as access tokens are
// (src/plugins/oidc.ts), and a server-side session (src/db/web-sessions.ts) created in the request's scope.
import * as client from 'openid-client';
import type { Db } from '../../db/client.ts';
import { inScope } from '../../db/scope.ts';
import { insertSession, SESSION_RESOURCE, sweepSessions, type WebSession } from '../../db/web-sessions.ts';
import { AppError } from '../../errors.ts';
import { principalFromClaims, type ClaimMapping } from '../../plugins/oidc.ts';
import type { SessionSettings } from '../../plugins/web-session.ts';
import type { Clock } from '../../shared/clock.ts';
import type { Principal } from '../../shared/principal.ts';

export interface SignInOptions {
  issuer: string;
  clientId: string;
  /** A confidential client's secret (client_secret_basic); a public client has none. */
  clientSecret?: string | undefined;
  scopes: string;
  /** The origin people reach the service at; the redirect URL is <it>/auth/callback. */
  publicBaseUrl: string;
  claims: ClaimMapping;
}

/** What a sign-in in progress keeps in its short-lived cookie until the identity provider sends the browser back. */
export interface LoginState {
  state: string;
  nonce: string;
  verifier: string;
  returnTo: string;
}

/** Why a sign-in failed, as the page is told (/app/?signInError=<code>). */
export type SignInError = 'state_mismatch' | 'idp_error' | 'token_rejected' | 'unknown_force' | 'no_role';

export class SignInFailed extends Error {
  constructor(readonly code: SignInError) {
    super(code);
  }
}

export const redirectUrl = (o: SignInOptions) => `${o.publicBaseUrl}/auth/callback`;

/** The provider's metadata, discovered once per instance (again after a failure). */
export class IdentityProvider {
  private config: Promise<client.Configuration> | undefined;
  constructor(readonly options: SignInOptions) {}

  discover(): Promise<client.Configuration> {
    const o = this.options;
    const insecure = new URL(o.issuer).protocol === 'http:';
    this.config ??= client
      .discovery(new URL(o.issuer), o.clientId, undefined, o.clientSecret ? client.ClientSecretBasic(o.clientSecret) : client.None(), {
        // Plain http only where the configuration allows it: an issuer on this machine, for development and tests.
        ...(insecure ? { execute: [client.allowInsecureRequests] } : {}),
      })
      .catch((err: unknown) => {
        this.config = undefined;
        throw err;
      });
    return this.config;
  }

  /** Where to send the browser, and what to keep until it comes back. */
  async start(returnTo: string): Promise<{ url: URL; login: LoginState }> {
    const config = await this.discover();
    const login = { state: client.randomState(), nonce: client.randomNonce(), verifier: client.randomPKCECodeVerifier(), returnTo };
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUrl(this.options),
      scope: this.options.scopes,
      response_type: 'code',
      code_challenge: await client.calculatePKCECodeChallenge(login.verifier),
      code_challenge_method: 'S256',
      state: login.state,
      nonce: login.nonce,
    });
    return { url, login };
  }

  /** The code exchanged (state, PKCE and nonce checked, the ID token validated): the ID token's claims. */
  async finish(callbackUrl: URL, login: LoginState): Promise<client.IDToken> {
    const config = await this.discover();
    if (callbackUrl.searchParams.get('state') !== login.state) throw new SignInFailed('state_mismatch');
    if (callbackUrl.searchParams.has('error')) throw new SignInFailed('idp_error');
    try {
      const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: login.verifier,
        expectedState: login.state,
        expectedNonce: login.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims();
      if (!claims) throw new SignInFailed('token_rejected');
      return claims;
    } catch (err) {
      if (err instanceof SignInFailed) throw err;
      throw new SignInFailed('token_rejected');
    }
  }

  /** The provider's sign-out page, when it has one, returning to the page afterwards. */
  async endSessionUrl(): Promise<string | null> {
    try {
      const config = await this.discover();
      if (!config.serverMetadata().end_session_endpoint) return null;
      return client.buildEndSessionUrl(config, { client_id: this.options.clientId, post_logout_redirect_uri: `${this.options.publicBaseUrl}/app/` }).href;
    } catch {
      return null;
    }
  }
}

/** The principal of the ID token's claims, refused (as a sign-in error) when its force is unknown or it has no role. */
export async function principalOfClaims(db: Db, claims: ClaimMapping, idToken: client.IDToken): Promise<Principal> {
  let principal: Principal;
  try {
    principal = await principalFromClaims(db, claims, idToken as client.IDToken & { sub: string });
  } catch (err) {
    if (err instanceof AppError) throw new SignInFailed('unknown_force');
    throw err;
  }
  if (principal.roles.length === 0) throw new SignInFailed('no_role');
  return principal;
}

/** A new session for the principal, created and audited in its own scope; a few expired ones are swept first. */
export async function signIn(
  deps: { db: Db; clock: Clock },
  settings: SessionSettings,
  who: { subject: string; principal: Principal },
  requestId: string,
): Promise<{ token: string; session: WebSession }> {
  const now = deps.clock.now();
  await sweepSessions(deps.db, now, requestId);
  return inScope('write', deps, { principal: who.principal, requestId, reason: 'sign-in' }, async (scope) => {
    const created = await insertSession(scope.tx, scope.now, settings, who);
    scope.audit({ action: 'create', resourceType: SESSION_RESOURCE, resourceId: created.session.id, forceId: who.principal.forceId });
    return created;
  });
}
