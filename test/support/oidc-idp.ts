// A real OpenID Connect provider in the test process (oidc-provider, by panva), for the page's sign-in (issue #16).
//
// How to use it:
//
//   import { startTestIdp, TEST_USERS } from './support/oidc-idp.ts';   // from test/slow/...: '../support/oidc-idp.ts'
//   const idp = await startTestIdp({
//     clients: [{ clientId: 'oar-web', redirectUris: ['http://127.0.0.1:3000/auth/callback'] }],
//   });
//   t.teardown(() => idp.close());
//   // Point the service at it: OIDC_ISSUER=idp.issuer, OIDC_CLIENT_ID=oar-web (buildApp's `signIn` option in tests).
//
// - Users (TEST_USERS, all synthetic): `welfare` (welfare_officer of Avon and Somerset), `fedrep` (federation_rep of
//   Avon and Somerset), `analyst` (analyst, Avon and Somerset), `wrongforce` (welfare_officer whose force claim names
//   no known force) and `norole` (no role of the register). Pass `users` to replace them.
// - Claims: `sub`, `name`, `roles` (array) and `force` (a force code), all in the ID token (scope `openid profile`).
// - Authorization code flow only; PKCE (S256) is required of every client. A client without `clientSecret` is
//   public (token_endpoint_auth_method none); with one it uses client_secret_basic.
// - Sign-in page (no password, no consent screen: the clients are first party): GET <issuer>/interaction/<uid> shows a
//   form with a field labelled "Username" (name="username", id="username") and a button "Sign in". A browser
//   (Playwright) fills it: `page.getByLabel('Username').fill('welfare'); page.getByRole('button', { name: 'Sign in' }).click()`.
//   An unknown username shows the form again with "Unknown user" and status 400.
// - Plain HTTP (no browser): `await idp.signIn(authorizationUrl, 'welfare')` follows the provider's redirects with its
//   own cookie jar, posts the form, and answers the URL the provider finally redirects to (the client's redirect
//   URI with code, state and iss). It never requests the redirect URI itself.
// - Sign-out: the discovery document has an end_session_endpoint (RP-initiated logout).
// - `port` fixes the port (default: any free port on 127.0.0.1); the issuer is http://127.0.0.1:<port>.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import Provider, { type ClientMetadata, type Configuration } from 'oidc-provider';

export interface TestIdpUser {
  /** The username typed in the form; also the `sub` claim. */
  username: string;
  name: string;
  roles: string[];
  /** A force code or id; omitted means no force claim at all. */
  force?: string;
}

export interface TestIdpClient {
  clientId: string;
  /** Confidential client (client_secret_basic) when given; public (PKCE only) otherwise. */
  clientSecret?: string;
  redirectUris: string[];
  postLogoutRedirectUris?: string[];
}

export interface TestIdp {
  /** http://127.0.0.1:<port>, without a trailing slash. */
  issuer: string;
  port: number;
  users: readonly TestIdpUser[];
  /** Runs an authorization request to its end by plain HTTP, signing in as `username`; answers the final redirect URL. */
  signIn(authorizationUrl: string | URL, username: string): Promise<URL>;
  close(): Promise<void>;
}

/** Synthetic people: one per role the page serves, plus one with an unknown force and one with no role. */
export const TEST_USERS: readonly TestIdpUser[] = [
  { username: 'welfare', name: 'Wendy Testwelfare', roles: ['welfare_officer'], force: 'avon-and-somerset' },
  { username: 'fedrep', name: 'Fred Testrep', roles: ['federation_rep'], force: 'avon-and-somerset' },
  { username: 'analyst', name: 'Ana Testanalyst', roles: ['analyst'], force: 'avon-and-somerset' },
  { username: 'wrongforce', name: 'Walter Testwrongforce', roles: ['welfare_officer'], force: 'atlantis-constabulary' },
  { username: 'norole', name: 'Nora Testnorole', roles: ['canteen_manager'], force: 'avon-and-somerset' },
];

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function loginPage(uid: string, error?: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Test identity provider: sign in</title></head>
<body><main>
<h1>Test identity provider</h1>
${error ? `<p role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/interaction/${escapeHtml(uid)}/login">
<label for="username">Username</label>
<input id="username" name="username" autocomplete="username" autofocus>
<button type="submit">Sign in</button>
</form>
</main></body></html>`;
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of req) body += String(chunk);
  return new URLSearchParams(body);
}

function send(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(html);
}

/** The provider's login prompt, answered by our form; consent is given at once (first-party clients). */
async function interaction(provider: Provider, users: readonly TestIdpUser[], req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  const finish = async (accountId: string) => {
    const grant = new provider.Grant({ accountId, clientId: String(details.params.client_id) });
    grant.addOIDCScope(String(details.params.scope ?? 'openid'));
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { login: { accountId }, consent: { grantId } }, { mergeWithLastSubmission: false });
  };
  if (req.method === 'POST' && path.endsWith('/login')) {
    const username = (await readForm(req)).get('username')?.trim() ?? '';
    if (!users.some((u) => u.username === username)) return send(res, 400, loginPage(details.uid, 'Unknown user'));
    return finish(username);
  }
  // Signed in already (a session at the provider): only consent is asked, and given.
  if (details.prompt.name !== 'login' && details.session?.accountId) return finish(details.session.accountId);
  send(res, 200, loginPage(details.uid));
}

function configuration(users: readonly TestIdpUser[], clients: readonly TestIdpClient[], jwk: object): Configuration {
  return {
    clients: clients.map((c): ClientMetadata => ({
      client_id: c.clientId,
      ...(c.clientSecret ? { client_secret: c.clientSecret, token_endpoint_auth_method: 'client_secret_basic' } : { token_endpoint_auth_method: 'none' }),
      redirect_uris: c.redirectUris,
      post_logout_redirect_uris: c.postLogoutRedirectUris ?? [],
      grant_types: ['authorization_code'],
      response_types: ['code'],
    })),
    jwks: { keys: [jwk as never] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    pkce: { required: () => true },
    claims: { openid: ['sub'], profile: ['name', 'roles', 'force'] },
    // The profile claims go in the ID token (not only in userinfo), as the service reads them from there.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true } },
    interactions: { url: (_ctx, i) => `/interaction/${i.uid}` },
    ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Session: 3600, Grant: 3600 },
    findAccount: (_ctx, id) => {
      const user = users.find((u) => u.username === id);
      if (!user) return undefined;
      return {
        accountId: id,
        claims: () => ({ sub: id, name: user.name, roles: user.roles, ...(user.force ? { force: user.force } : {}) }),
      };
    },
  };
}

/** Starts the provider on 127.0.0.1 (any free port unless `port`). */
export async function startTestIdp(opts: { port?: number; clients: TestIdpClient[]; users?: readonly TestIdpUser[] }): Promise<TestIdp> {
  const users = opts.users ?? TEST_USERS;
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), alg: 'RS256', use: 'sig', kid: 'test-idp' };
  // Made once the server listens: the issuer names the port.
  const made: { provider?: Provider } = {};
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const { provider } = made;
    if (!provider) return send(res, 503, 'starting');
    if (path.startsWith('/interaction/')) {
      interaction(provider, users, req, res, path).catch((err: Error) => send(res, 400, `<p>${escapeHtml(err.message)}</p>`));
      return;
    }
    void provider.callback()(req, res);
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const issuer = `http://127.0.0.1:${port}`;
  made.provider = new Provider(issuer, configuration(users, opts.clients, jwk));
  return {
    issuer,
    port,
    users,
    signIn: (url, username) => signInByHttp(issuer, new URL(url), username),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A minimal cookie jar: name=value pairs for the provider's host (its cookies are all for that host). */
class Jar {
  private readonly cookies = new Map<string, string>();
  take(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (/expires=Thu, 01 Jan 1970/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

async function signInByHttp(issuer: string, start: URL, username: string): Promise<URL> {
  const jar = new Jar();
  let url = start;
  let init: RequestInit = {};
  for (let hop = 0; hop < 10; hop++) {
    if (url.origin !== new URL(issuer).origin) return url;
    const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as object), cookie: jar.header() } });
    jar.take(res);
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      url = new URL(location, url);
      init = {};
      continue;
    }
    const html = await res.text();
    const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
    if (res.status !== 200 || !action) throw new Error(`test IdP: expected the sign-in form at ${url.pathname}, got ${res.status}: ${html.slice(0, 300)}`);
    url = new URL(
      action.replace(/&#(\d+);/g, (_m, c: string) => String.fromCharCode(Number(c))),
      url,
    );
    init = { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ username }).toString() };
  }
  throw new Error('test IdP: too many redirects');
}

/** The service's page sign-in and session options against a provider started here, as the tests configure them. */
export const webSignInOptions = (issuer: string, publicBaseUrl: string, idleMs: number) => ({
  signIn: {
    issuer,
    clientId: 'oar-web',
    scopes: 'openid profile',
    publicBaseUrl,
    claims: { rolesClaim: 'roles', forceClaim: 'force', nameClaim: 'name' },
  },
  session: { idleMs, maxMs: 10 * 3_600_000, secure: false },
});
