// The page's session cookie (issue #16): HttpOnly, SameSite=Lax, Secure with the __Host- prefix when the service is
// reached over https, and the CSRF rule of the writes it authenticates. The sessions themselves are in the database
// (src/db/web-sessions.ts); the auth plugin calls sessionFromCookie as its third way to authenticate.
import { timingSafeEqual } from 'node:crypto';
import type {} from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/client.ts';
import { endSessions, findSession, sessionEnded, touchSession, type SessionLifetime, type WebSession } from '../db/web-sessions.ts';
import { Errors } from '../errors.ts';

export interface SessionSettings extends SessionLifetime {
  /** Served over https (the public base URL's scheme): the cookies are Secure and __Host- prefixed. */
  secure: boolean;
}

/** A session's last-seen time is written at most this often (or each half of a shorter idle time). */
export const TOUCH_INTERVAL_MS = 30_000;

/** The methods that change nothing: a session cookie needs no CSRF token for them. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const CSRF_HEADER = 'x-csrf-token';

/** The session cookie's name: __Host- prefixed (host-only, path /, Secure) over https. */
export const sessionCookieName = (secure: boolean) => (secure ? '__Host-oar_session' : 'oar_session');
/** The short-lived cookie holding a sign-in in progress (state, nonce, PKCE verifier, where to return). */
export const loginCookieName = (secure: boolean) => (secure ? '__Host-oar_login' : 'oar_login');

const cookieOptions = (secure: boolean) => ({ httpOnly: true, sameSite: 'lax' as const, secure, path: '/' });

/**
 * The cookie lives as long as the session's absolute lifetime, said as Max-Age (seconds from now by the service's
 * clock), not as an Expires date: a browser whose clock differs from the service's keeps it for the same time.
 */
export function setSessionCookie(reply: FastifyReply, settings: SessionSettings, token: string, expiresAt: Date, now: Date): void {
  const maxAge = Math.max(0, Math.floor((expiresAt.getTime() - now.getTime()) / 1000));
  reply.setCookie(sessionCookieName(settings.secure), token, { ...cookieOptions(settings.secure), maxAge });
}

export function clearSessionCookie(reply: FastifyReply, settings: SessionSettings): void {
  reply.clearCookie(sessionCookieName(settings.secure), cookieOptions(settings.secure));
}

export function setLoginCookie(reply: FastifyReply, settings: SessionSettings, value: string, maxAgeSeconds: number): void {
  reply.setCookie(loginCookieName(settings.secure), value, { ...cookieOptions(settings.secure), maxAge: maxAgeSeconds });
}

export function clearLoginCookie(reply: FastifyReply, settings: SessionSettings): void {
  reply.clearCookie(loginCookieName(settings.secure), cookieOptions(settings.secure));
}

/** The session token the request's cookie carries, if any. */
export function sessionToken(request: FastifyRequest, settings: SessionSettings): string | undefined {
  const value = request.cookies?.[sessionCookieName(settings.secure)];
  return value && value.length <= 256 ? value : undefined;
}

/** Constant-time equality of two strings (false at once when their lengths differ, which says nothing secret). */
export function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The live session of the request's cookie, or undefined when it carries none. A cookie naming no session is a 401;
 * a session past its idle or absolute expiry is deleted (and audited) and answered with a session-expired 401; the
 * cookie is cleared either way. `touch` moves the last-seen time (at most once per TOUCH_INTERVAL_MS unless forced).
 */
export async function liveSession(
  db: Db,
  settings: SessionSettings,
  request: FastifyRequest,
  reply: FastifyReply,
  now: Date,
  touch: 'no' | 'throttled' | 'always',
): Promise<WebSession | undefined> {
  const token = sessionToken(request, settings);
  if (!token) return undefined;
  const found = await findSession(db, token);
  if (!found) {
    clearSessionCookie(reply, settings);
    throw Errors.unauthenticated();
  }
  const ended = sessionEnded(found, now);
  if (ended) {
    await endSessions(db, [{ s: found, why: ended }], now, request.id);
    clearSessionCookie(reply, settings);
    throw Errors.sessionExpired(ended);
  }
  const interval = Math.min(TOUCH_INTERVAL_MS, settings.idleMs / 2);
  if (touch === 'always' || (touch === 'throttled' && now.getTime() - found.lastSeenAt.getTime() >= interval)) {
    return touchSession(db, found, now, settings.idleMs);
  }
  return found;
}

/** A write the cookie authenticates must carry the session's CSRF token in X-CSRF-Token (403 otherwise). */
export function checkCsrf(request: FastifyRequest, session: WebSession): void {
  if (SAFE_METHODS.has(request.method)) return;
  const given = request.headers[CSRF_HEADER];
  if (typeof given !== 'string' || !sameSecret(given, session.csrfToken)) throw Errors.csrfTokenInvalid();
}
