// /auth: the page's sign-in (issue #16). GET /auth/login sends the browser to the identity provider (code flow, PKCE
// S256, state, nonce), GET /auth/callback makes the session, /auth/session says who is signed in (without moving
// the idle time), POST /auth/session/keepalive moves it, POST /auth/logout ends it. Writes need X-CSRF-Token.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { endSessions, type WebSession } from '../../db/web-sessions.ts';
import { Errors } from '../../errors.ts';
import { operation } from '../../http/route.ts';
import {
  checkCsrf,
  clearLoginCookie,
  clearSessionCookie,
  liveSession,
  loginCookieName,
  setLoginCookie,
  setSessionCookie,
  type SessionSettings,
} from '../../plugins/web-session.ts';
import type { Clock } from '../../shared/clock.ts';
import { EXAMPLE_FORCE_ID } from '../../shared/examples.ts';
import { IdSchema, json, problemOf, problemResponse, PublicProblems, redirect, responseExample } from '../../shared/http.ts';
import { RoleSchema } from '../../shared/principal.ts';
import { IdentityProvider, principalOfClaims, signIn, SignInFailed, type LoginState, type SignInOptions } from './service.ts';

const tags = ['auth'];
const LOGIN_STATE_SECONDS = 600;

export const SessionSchema = z
  .object({
    name: z.string().describe('The name the identity provider gave.'),
    roles: z.array(RoleSchema).describe('The roles of the register the person has.'),
    forceId: IdSchema.nullable().describe('Their force; null for national scope.'),
    csrfToken: z.string().describe('Send it as X-CSRF-Token with every request that changes something.'),
    idleTimeoutSeconds: z.number().int().describe('How long the session lasts without use.'),
    idleExpiresAt: z.iso.datetime({ offset: true }).describe('When the session ends unless it is used (or kept alive) before.'),
    expiresAt: z.iso.datetime({ offset: true }).describe('When the session ends whatever happens (its absolute lifetime).'),
  })
  .meta({ id: 'WebSession' });

responseExample(SessionSchema, {
  name: 'Wendy Example',
  roles: ['welfare_officer'],
  forceId: EXAMPLE_FORCE_ID,
  csrfToken: 'q3Jb1m6cS0n9v4Yk2fXh8wZp5tLr7dGe1uIa0oCs3Nw',
  idleTimeoutSeconds: 900,
  idleExpiresAt: '2026-03-02T09:15:00.000Z',
  expiresAt: '2026-03-02T19:00:00.000Z',
});

export const SignInMethodsSchema = z
  .object({
    oidc: z.boolean().describe('Sign-in through the identity provider (GET /auth/login) is configured.'),
    apiKey: z.boolean().describe('The page may offer pasting an API key (WEB_API_KEY_SIGN_IN, development only).'),
  })
  .meta({ id: 'SignInMethods' });
responseExample(SignInMethodsSchema, { oidc: true, apiKey: false });

export const LogoutSchema = z
  .object({ redirectTo: z.string().describe("Where to send the browser: the identity provider's sign-out page when it has one, else the page.") })
  .meta({ id: 'SignedOut' });
responseExample(LogoutSchema, {
  redirectTo: 'https://idp.force.example/logout?client_id=oar-web&post_logout_redirect_uri=https%3A%2F%2Foar.force.example%2Fapp%2F',
});

const LoginQuerySchema = z.object({
  returnTo: z.string().max(2000).optional().describe('A path of the page (/app/...) to return to after signing in.'),
});
const CallbackQuerySchema = z.object({
  code: z.string().max(4096).optional(),
  state: z.string().max(1024).optional(),
  iss: z.string().max(2000).optional(),
  session_state: z.string().max(2000).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(2000).optional(),
});
const CsrfHeadersSchema = z.object({
  'x-csrf-token': z.string().max(200).optional().describe('The csrfToken of GET /auth/session: required (403 csrf-token-invalid without it).'),
});

const noSession = problemResponse('No session, or it has ended.', Errors.unauthenticated(), '/auth/session');
const expired = problemResponse('The session ended (idle time or lifetime).', Errors.sessionExpired('idle time passed'), '/auth/session');
const notConfigured = problemResponse('No identity provider is configured.', Errors.signInNotConfigured(), '/auth/login');
const badCsrf = problemResponse('X-CSRF-Token missing or wrong.', Errors.csrfTokenInvalid(), '/auth/logout');
/** Whatever else a browser redirect can end in: the service's own failure, or its database's. */
const otherFailure = {
  ...PublicProblems[500],
  description:
    'Any other failure, as a problem document: 500 (an error of the service, such as the identity provider not answering) or 503 (the database is unavailable).',
};

/** A same-origin path of the page, or undefined. */
function pagePath(returnTo: string | undefined, base: string): string | undefined {
  if (returnTo === undefined) return '/app/';
  if (!returnTo.startsWith('/app') || returnTo.startsWith('//') || returnTo.includes('\\')) return undefined;
  const url = new URL(returnTo, base);
  if (url.origin !== new URL(base).origin || !(url.pathname === '/app' || url.pathname.startsWith('/app/'))) return undefined;
  return url.pathname + url.search + url.hash;
}

function readLogin(raw: string | undefined): LoginState | undefined {
  if (!raw) return undefined;
  try {
    const v = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as LoginState;
    return typeof v.state === 'string' && typeof v.nonce === 'string' && typeof v.verifier === 'string' && typeof v.returnTo === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

const view = (s: WebSession, settings: SessionSettings) => ({
  name: s.name,
  roles: s.roles,
  forceId: s.forceId,
  csrfToken: s.csrfToken,
  idleTimeoutSeconds: Math.round(settings.idleMs / 1000),
  idleExpiresAt: s.idleExpiresAt.toISOString(),
  expiresAt: s.expiresAt.toISOString(),
});

export interface AuthRouteOptions {
  db: Db;
  clock: Clock;
  signIn?: SignInOptions | undefined;
  session: SessionSettings;
  apiKeySignIn: boolean;
}

export const authRoutes: FastifyPluginAsyncZod<AuthRouteOptions> = async (app, opts) => {
  const { db, clock, session: settings } = opts;
  const idp = opts.signIn ? new IdentityProvider(opts.signIn) : undefined;
  const security = [{ sessionCookie: [] }];

  app.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
  });

  app.get('/methods', {
    schema: {
      ...operation('getSignInMethods', tags, 'How the page can sign in', 'Whether the identity provider and pasting an API key are available to the page.'),
      security: [],
      response: { 200: json(SignInMethodsSchema, 'The sign-in methods.'), 400: problemOf(400), 500: PublicProblems[500] },
    },
    handler: async () => ({ oidc: Boolean(idp), apiKey: opts.apiKeySignIn }),
  });

  app.get('/login', {
    schema: {
      ...operation(
        'signIn',
        tags,
        'Sign in through the identity provider',
        'Redirects the browser to the force identity provider (OpenID Connect authorization code flow with PKCE S256, state and nonce). ' +
          '`returnTo` must be a path of the page (/app/...); any other is refused.',
      ),
      security: [],
      querystring: LoginQuerySchema,
      response: {
        302: redirect("To the identity provider's sign-in page; the sign-in in progress is kept in the oar_login cookie.", ['SetCookie']),
        400: problemResponse(
          'returnTo is not a path of the page.',
          Errors.validation([{ path: 'query.returnTo', message: 'must be a path of the page (/app/...)' }], 'query string'),
          '/auth/login',
        ),
        404: notConfigured,
        default: otherFailure,
      },
    },
    handler: async (request, reply) => {
      if (!idp) throw Errors.signInNotConfigured();
      const returnTo = pagePath(request.query.returnTo, idp.options.publicBaseUrl);
      if (!returnTo) throw Errors.validation([{ path: 'query.returnTo', message: 'must be a path of the page (/app/...)' }], 'query string');
      const { url, login } = await idp.start(returnTo);
      setLoginCookie(reply, settings, Buffer.from(JSON.stringify(login)).toString('base64url'), LOGIN_STATE_SECONDS);
      return reply.redirect(url.href, 302);
    },
  });

  app.get('/callback', {
    schema: {
      ...operation(
        'signInCallback',
        tags,
        'Finish signing in',
        'Where the identity provider sends the browser back: the code is exchanged (PKCE), the ID token validated and its claims mapped to roles and a force ' +
          'as access tokens are. On success a session cookie is set and the browser goes to returnTo; on failure to /app/?signInError=<code> ' +
          '(state_mismatch, idp_error, token_rejected, unknown_force, no_role).',
      ),
      security: [],
      querystring: CallbackQuerySchema,
      // Read from the request's Cookie header; @fastify/swagger declares it as a cookie parameter.
      cookies: {
        type: 'object',
        properties: {
          oar_login: {
            type: 'string',
            description: 'The sign-in in progress, set by GET /auth/login (`__Host-oar_login` over https). Without it the sign-in is refused (state_mismatch).',
          },
        },
      },
      response: {
        302: redirect(
          'Signed in: to returnTo, with the session cookie set. Refused: to /app/?signInError=<code>, without a session. The oar_login cookie is cleared either way.',
          ['SetCookie'],
        ),
        400: problemOf(400),
        404: notConfigured,
        default: otherFailure,
      },
    },
    handler: async (request, reply) => {
      if (!idp) throw Errors.signInNotConfigured();
      const login = readLogin(request.cookies[loginCookieName(settings.secure)]);
      clearLoginCookie(reply, settings);
      try {
        if (!login) throw new SignInFailed('state_mismatch');
        const url = new URL(request.url, `${idp.options.publicBaseUrl}/`);
        const claims = await idp.finish(new URL(`${idp.options.publicBaseUrl}/auth/callback${url.search}`), login);
        const principal = await principalOfClaims(db, idp.options.claims, claims);
        const created = await signIn({ db, clock }, settings, { subject: `${claims.iss}|${claims.sub}`, principal }, request.id);
        setSessionCookie(reply, settings, created.token, created.session.expiresAt, clock.now());
        return reply.redirect(login.returnTo, 302);
      } catch (err) {
        if (!(err instanceof SignInFailed)) throw err;
        request.log.info({ code: err.code }, 'sign-in refused');
        return reply.redirect(`/app/?signInError=${err.code}`, 302);
      }
    },
  });

  app.get('/session', {
    schema: {
      ...operation(
        'getSession',
        tags,
        'Who is signed in',
        "The session's person, roles, force, CSRF token and expiry times. Reading it does not move the idle time, so the page can poll it to warn before sign-out.",
      ),
      security,
      response: {
        200: json(SessionSchema, 'The session.'),
        400: problemOf(400),
        401: { ...expired, description: 'No session, or it has ended (session-expired).' },
      },
    },
    handler: async (request, reply) => {
      const s = await liveSession(db, settings, request, reply, clock.now(), 'no');
      if (!s) throw Errors.unauthenticated();
      return view(s, settings);
    },
  });

  app.post('/session/keepalive', {
    schema: {
      ...operation('keepSessionAlive', tags, 'Keep the session alive', 'Starts the idle time again (never past the absolute lifetime). Needs X-CSRF-Token.'),
      security,
      headers: CsrfHeadersSchema,
      response: {
        200: json(SessionSchema, 'The session, its idle time started again.'),
        400: problemOf(400),
        401: noSession,
        403: badCsrf,
        415: problemOf(415),
      },
    },
    handler: async (request, reply) => {
      const current = await liveSession(db, settings, request, reply, clock.now(), 'no');
      if (!current) throw Errors.unauthenticated();
      checkCsrf(request, current);
      const s = await liveSession(db, settings, request, reply, clock.now(), 'always');
      return view(s!, settings);
    },
  });

  app.post('/logout', {
    schema: {
      ...operation(
        'signOut',
        tags,
        'Sign out',
        "Ends the session and clears its cookie. Answers where to send the browser: the identity provider's sign-out page when it has one. Needs X-CSRF-Token.",
      ),
      security,
      headers: CsrfHeadersSchema,
      response: {
        200: json(LogoutSchema, 'Signed out; the session cookie is cleared.', ['SetCookie']),
        400: problemOf(400),
        401: noSession,
        403: badCsrf,
        415: problemOf(415),
      },
    },
    handler: async (request, reply) => {
      const now = clock.now();
      const s = await liveSession(db, settings, request, reply, now, 'no');
      if (!s) throw Errors.unauthenticated();
      checkCsrf(request, s);
      await endSessions(db, [{ s, why: 'signed out' }], now, request.id);
      clearSessionCookie(reply, settings);
      return { redirectTo: (await idp?.endSessionUrl()) ?? '/app/' };
    },
  });
};
