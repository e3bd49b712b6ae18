// Who is signed in, and how: a server-side session (OpenID Connect, cookie + CSRF token, /auth/*), or, where the
// service allows it for development (WEB_API_KEY_SIGN_IN=true), an API key kept in sessionStorage for this tab.

export interface Session {
  mode: 'oidc' | 'key';
  name: string;
  roles: string[];
  forceId: string | null;
  forceName?: string | null;
  /** Sent as X-CSRF-Token on every write (oidc only). */
  csrfToken?: string;
  /** Sent as Authorization: Bearer (key only). */
  apiKey?: string;
  idleTimeoutSeconds?: number;
  /** When the session ends unless something is done before (oidc only). */
  idleExpiresAt?: string;
  expiresAt?: string;
}

export interface SignedOut {
  /** The service lets people paste an API key (a development setting; GET /auth/methods `apiKey`). */
  apiKeySignIn: boolean;
  /** Sign-in through the identity provider is configured (GET /auth/methods `oidc`). */
  oidc: boolean;
}

const KEY_STORE = 'oar.apiKey';

type Json = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** The session from GET /auth/session's answer (reading it does not extend the session). */
export function sessionFrom(body: Json): Session {
  return {
    mode: 'oidc',
    name: str(body.name) ?? 'Signed in',
    roles: Array.isArray(body.roles) ? body.roles.filter((r): r is string => typeof r === 'string') : [],
    forceId: str(body.forceId) ?? null,
    forceName: str(body.forceName) ?? null,
    csrfToken: str(body.csrfToken),
    idleTimeoutSeconds: num(body.idleTimeoutSeconds),
    idleExpiresAt: str(body.idleExpiresAt),
    expiresAt: str(body.expiresAt),
  };
}

/** How the page may sign in, from GET /auth/methods ({ oidc, apiKey }); a service without it offers only the key. */
export async function signInMethods(): Promise<SignedOut> {
  const response = await fetch('/auth/methods', { headers: { accept: 'application/json' }, credentials: 'same-origin' });
  if (!response.ok) return { apiKeySignIn: true, oidc: false };
  const body = await jsonOf(response);
  return { apiKeySignIn: body?.apiKey === true, oidc: body?.oidc === true };
}

async function jsonOf(response: Response): Promise<Json | null> {
  try {
    const body: unknown = await response.json();
    return body && typeof body === 'object' ? (body as Json) : null;
  } catch {
    return null;
  }
}

/** The current session (cookie first, then a key of this tab), or why there is none. */
export async function loadSession(): Promise<Session | SignedOut> {
  const response = await fetch('/auth/session', { headers: { accept: 'application/json' }, credentials: 'same-origin' });
  if (response.ok) return sessionFrom((await jsonOf(response)) ?? {});
  const out = await signInMethods();
  const key = out.apiKeySignIn ? sessionStorage.getItem(KEY_STORE) : null;
  if (key) {
    const who = await keySession(key);
    if (who) return who;
  }
  return out;
}

/** Signs in with an API key: who it is (GET /v1/me), or null when the key is not accepted. */
export async function keySession(apiKey: string): Promise<Session | null> {
  const response = await fetch('/v1/me', { headers: { authorization: `Bearer ${apiKey}`, accept: 'application/json' } });
  if (!response.ok) {
    sessionStorage.removeItem(KEY_STORE);
    return null;
  }
  const me = (await jsonOf(response)) ?? {};
  sessionStorage.setItem(KEY_STORE, apiKey);
  return {
    mode: 'key',
    apiKey,
    name: str(me.name) ?? 'Signed in',
    roles: Array.isArray(me.roles) ? (me.roles as string[]) : [],
    forceId: str(me.forceId) ?? null,
    forceName: str(me.forceName) ?? null,
  };
}

/** Where "Sign in" goes: the service's OpenID Connect login, coming back to the same screen. */
export function loginUrl(hash: string): string {
  return `/auth/login?returnTo=${encodeURIComponent(`/app/${hash}`)}`;
}

/** Keeps the session alive ("Stay signed in"): the new idle expiry, or null when the session has already ended. */
export async function keepAlive(session: Session): Promise<Session | null> {
  const response = await fetch('/auth/session/keepalive', {
    method: 'POST',
    headers: { accept: 'application/json', 'x-csrf-token': session.csrfToken ?? '' },
    credentials: 'same-origin',
  });
  if (!response.ok) return null;
  const body = await jsonOf(response);
  if (body && typeof body.idleExpiresAt === 'string') return { ...session, ...sessionFrom({ ...sessionToJson(session), ...body }) };
  return refresh(session);
}

/** Reads the session again (after work was done, the server moved its idle expiry). */
export async function refresh(session: Session): Promise<Session | null> {
  if (session.mode === 'key') return session;
  const response = await fetch('/auth/session', { headers: { accept: 'application/json' }, credentials: 'same-origin' });
  if (!response.ok) return null;
  return sessionFrom((await jsonOf(response)) ?? {});
}

function sessionToJson(session: Session): Json {
  return { ...session };
}

/** Signs out: ends the server session (or forgets the key of this tab). */
export async function signOut(session: Session): Promise<void> {
  sessionStorage.removeItem(KEY_STORE);
  if (session.mode === 'oidc') {
    await fetch('/auth/logout', {
      method: 'POST',
      headers: { accept: 'application/json', 'x-csrf-token': session.csrfToken ?? '' },
      credentials: 'same-origin',
    }).catch(() => undefined);
  }
}
