// The page's sign-in end to end by plain HTTP (issue #16): the code flow against a real OpenID Connect provider in
// this process (test/support/oidc-idp.ts), the session cookie on /v1 with CSRF on writes, idle and absolute expiry,
// keepalive, sign-out, a wrong force and a tampered state refused, returnTo held to the page.
import t from 'tap';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../src/db/client.ts';
import { buildTestApp } from '../helper.ts';
import { contractViolations } from '../support/contract.ts';
import { startTestIdp, webSignInOptions } from '../support/oidc-idp.ts';

const BASE = 'http://oar.test';
const idp = await startTestIdp({ clients: [{ clientId: 'oar-web', redirectUris: [`${BASE}/auth/callback`] }] });
t.teardown(() => idp.close());

const IDLE_MS = 15 * 60_000;
const h = await buildTestApp(t, webSignInOptions(idp.issuer, BASE, IDLE_MS));

const cookieOf = (res: LightMyRequestResponse, name: string) => (res.cookies as { name: string; value: string }[]).find((c) => c.name === name);

/** Runs the whole flow as `username`: answers the callback's answer and the session cookie (if one was set). */
async function signIn(username: string, returnTo = '/app/officers?q=1') {
  const login = await h.app.inject({ method: 'GET', url: `/auth/login?returnTo=${encodeURIComponent(returnTo)}` });
  if (login.statusCode !== 302) throw new Error(`login answered ${login.statusCode}: ${login.body}`);
  const loginCookie = cookieOf(login, 'oar_login')!;
  const back = await idp.signIn(login.headers.location as string, username);
  const callback = await h.app.inject({ method: 'GET', url: back.pathname + back.search, cookies: { oar_login: loginCookie.value } });
  return { login, back, callback, session: cookieOf(callback, 'oar_session')?.value };
}

const withCookie = (session: string, more: object = {}) => ({ cookies: { oar_session: session }, ...more });

t.test('a welfare officer signs in, reads with the cookie, and writes only with the CSRF token', async (t) => {
  const { login, callback, session } = await signIn('welfare');
  const idpUrl = new URL(login.headers.location as string);
  t.equal(idpUrl.searchParams.get('code_challenge_method'), 'S256', 'PKCE S256');
  t.ok(idpUrl.searchParams.get('state') && idpUrl.searchParams.get('nonce'), 'state and nonce');
  t.equal(callback.statusCode, 302);
  t.equal(callback.headers.location, '/app/officers?q=1', 'back to returnTo');
  t.ok(session, 'session cookie set');
  const setCookie = String(callback.headers['set-cookie']);
  t.match(setCookie, /oar_session=[^;]+;.*HttpOnly/i);
  t.match(setCookie, /SameSite=Lax/i);
  t.match(setCookie, /oar_session=[^;]+;.*Max-Age=36000/i, 'kept for the absolute lifetime, as Max-Age (a browser clock unlike ours keeps it as long)');

  const who = await h.app.inject({ method: 'GET', url: '/auth/session', ...withCookie(session!) });
  t.equal(who.statusCode, 200, who.body);
  const body = who.json() as { name: string; roles: string[]; forceId: string; csrfToken: string; idleTimeoutSeconds: number };
  t.equal(body.name, 'Wendy Testwelfare');
  t.same(body.roles, ['welfare_officer']);
  t.equal(body.idleTimeoutSeconds, 900);

  const read = await h.app.inject({ method: 'GET', url: '/v1/me', ...withCookie(session!) });
  t.equal(read.statusCode, 200, read.body);
  t.equal((read.json() as { forceName: string }).forceName, 'Avon and Somerset Constabulary');

  const payload = { occurredAt: '2026-03-01T10:00:00Z', kind: 'call', contactBy: 'Welfare officer (synthetic)' };
  const url = '/v1/victims/01963a5e-4c2a-7b1e-9f3d-2a4b6c8d0e1f/follow-ups';
  const noCsrf = await h.app.inject({ method: 'POST', url, payload, ...withCookie(session!) });
  t.equal(noCsrf.statusCode, 403);
  t.equal((noCsrf.json() as { type: string }).type, '/problems/csrf-token-invalid');
  const wrong = await h.app.inject({ method: 'POST', url, payload, ...withCookie(session!, { headers: { 'x-csrf-token': 'x'.repeat(43) } }) });
  t.equal(wrong.statusCode, 403);
  const withCsrf = await h.app.inject({ method: 'POST', url, payload, ...withCookie(session!, { headers: { 'x-csrf-token': body.csrfToken } }) });
  t.equal(withCsrf.statusCode, 404, 'past the CSRF check: the (unknown) victim is looked up');

  const audit = await queryRows<{ action: string }>(h.database.db, sql`select action from audit_events where resource_type = 'web-session'`);
  t.ok(
    audit.some((a) => a.action === 'create'),
    'sign-in audited',
  );
});

t.test('the session ends after the idle time; keepalive and reads by the page move it, GET /auth/session does not', async (t) => {
  const { session } = await signIn('fedrep');
  const csrf = ((await h.app.inject({ method: 'GET', url: '/auth/session', ...withCookie(session!) })).json() as { csrfToken: string }).csrfToken;
  h.clock.advance(IDLE_MS - 60_000);
  const polled = await h.app.inject({ method: 'GET', url: '/auth/session', ...withCookie(session!) });
  t.equal(polled.statusCode, 200);
  const kept = await h.app.inject({ method: 'POST', url: '/auth/session/keepalive', ...withCookie(session!, { headers: { 'x-csrf-token': csrf } }) });
  t.equal(kept.statusCode, 200, kept.body);
  h.clock.advance(IDLE_MS - 60_000);
  t.equal((await h.app.inject({ method: 'GET', url: '/v1/cases', ...withCookie(session!) })).statusCode, 200, 'kept alive');
  h.clock.advance(IDLE_MS - 60_000);
  t.equal((await h.app.inject({ method: 'GET', url: '/auth/session', ...withCookie(session!) })).statusCode, 200, 'the /v1 read moved it');
  h.clock.advance(IDLE_MS);
  const gone = await h.app.inject({ method: 'GET', url: '/v1/cases', ...withCookie(session!) });
  t.equal(gone.statusCode, 401);
  t.equal((gone.json() as { type: string }).type, '/problems/session-expired');
  t.equal((await h.app.inject({ method: 'GET', url: '/auth/session', ...withCookie(session!) })).statusCode, 401, 'deleted');
  const audit = await queryRows<{ reason: string }>(
    h.database.db,
    sql`select reason from audit_events where resource_type = 'web-session' and action = 'revoke'`,
  );
  t.ok(
    audit.some((a) => a.reason === 'idle time passed'),
    'idle expiry audited',
  );
});

t.test('the absolute lifetime ends a session kept alive', async (t) => {
  const { session } = await signIn('analyst');
  for (let i = 0; i < 50; i++) {
    h.clock.advance(IDLE_MS - 60_000);
    const res = await h.app.inject({ method: 'GET', url: '/v1/stats/summary', ...withCookie(session!) });
    if (res.statusCode === 401) {
      t.equal((res.json() as { type: string }).type, '/problems/session-expired');
      t.ok(i >= 42, `ended after ${i + 1} reads, at 10 hours`);
      return;
    }
  }
  t.fail('never ended');
});

t.test('sign-out deletes the session; the cookie no longer works', async (t) => {
  const { session } = await signIn('welfare');
  const csrf = ((await h.app.inject({ method: 'GET', url: '/auth/session', ...withCookie(session!) })).json() as { csrfToken: string }).csrfToken;
  t.equal((await h.app.inject({ method: 'POST', url: '/auth/logout', ...withCookie(session!) })).statusCode, 403, 'CSRF checked');
  const out = await h.app.inject({ method: 'POST', url: '/auth/logout', ...withCookie(session!, { headers: { 'x-csrf-token': csrf } }) });
  t.equal(out.statusCode, 200);
  t.match((out.json() as { redirectTo: string }).redirectTo, `${idp.issuer}/session/end`);
  t.equal((await h.app.inject({ method: 'GET', url: '/v1/me', ...withCookie(session!) })).statusCode, 401);
});

t.test('refused: unknown force, no role, tampered state, missing login cookie, returnTo off the page', async (t) => {
  for (const [user, code] of [
    ['wrongforce', 'unknown_force'],
    ['norole', 'no_role'],
  ]) {
    const { callback, session } = await signIn(user!);
    t.equal(callback.headers.location, `/app/?signInError=${code}`, String(user));
    t.notOk(session, `${user}: no session`);
  }
  const login = await h.app.inject({ method: 'GET', url: '/auth/login' });
  const back = await idp.signIn(login.headers.location as string, 'welfare');
  const tampered = new URLSearchParams(back.search);
  tampered.set('state', 'forged');
  const forged = await h.app.inject({ method: 'GET', url: `/auth/callback?${tampered}`, cookies: { oar_login: cookieOf(login, 'oar_login')!.value } });
  t.equal(forged.headers.location, '/app/?signInError=state_mismatch', 'state tampered');
  const noCookie = await h.app.inject({ method: 'GET', url: back.pathname + back.search });
  t.equal(noCookie.headers.location, '/app/?signInError=state_mismatch', 'no login cookie');
  // Another sign-in's verifier (its cookie with this state) does not fit this code's PKCE challenge.
  const other = await h.app.inject({ method: 'GET', url: '/auth/login' });
  const otherState = JSON.parse(Buffer.from(cookieOf(other, 'oar_login')!.value, 'base64url').toString()) as Record<string, string>;
  const mixed = Buffer.from(JSON.stringify({ ...otherState, state: back.searchParams.get('state') })).toString('base64url');
  const pkce = await h.app.inject({ method: 'GET', url: back.pathname + back.search, cookies: { oar_login: mixed } });
  t.equal(pkce.headers.location, '/app/?signInError=token_rejected', 'wrong PKCE verifier');
  for (const returnTo of ['https://evil.example/app/', '//evil.example/app/', '/v1/me', '/app\\..\\x']) {
    const res = await h.app.inject({ method: 'GET', url: `/auth/login?returnTo=${encodeURIComponent(returnTo)}` });
    t.equal(res.statusCode, 400, returnTo);
  }
  t.equal((await h.app.inject({ method: 'GET', url: '/auth/session' })).statusCode, 401, 'no cookie: 401');
  t.same((await h.app.inject({ method: 'GET', url: '/auth/methods' })).json(), { oidc: true, apiKey: false });
});

t.test('the answers of signing in and out are the ones the contract declares (redirects, cookies)', async (t) => {
  const { login, callback, session } = await signIn('welfare');
  t.same(contractViolations('GET', '/auth/login', login), [], 'login: 302 with Location and Set-Cookie');
  t.same(contractViolations('GET', '/auth/callback', callback), [], 'callback: 302 with Location and Set-Cookie');
  t.ok(login.headers['set-cookie'] && callback.headers['set-cookie'], 'both set cookies');
  const refused = await h.app.inject({ method: 'GET', url: '/auth/callback?code=x&state=y' });
  t.equal(refused.statusCode, 302);
  t.same(contractViolations('GET', '/auth/callback', refused), [], 'a refused callback');
  const csrf = ((await h.app.inject({ method: 'GET', url: '/auth/session', ...withCookie(session!) })).json() as { csrfToken: string }).csrfToken;
  const out = await h.app.inject({ method: 'POST', url: '/auth/logout', ...withCookie(session!, { headers: { 'x-csrf-token': csrf } }) });
  t.match(String(out.headers['set-cookie']), /oar_session=;.*Max-Age=0/i, 'sign-out clears the cookie');
  t.same(contractViolations('POST', '/auth/logout', out), [], 'logout: 200 with Set-Cookie');
  const ended = await h.app.inject({ method: 'GET', url: '/v1/me', ...withCookie(session!) });
  t.equal(ended.statusCode, 401);
  t.ok(ended.headers['set-cookie'], 'an ended session cookie is cleared');
  t.same(contractViolations('GET', '/v1/me', ended), [], 'a 401 that clears the cookie');
});
