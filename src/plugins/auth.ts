// Authentication (Bearer API key, or an OIDC access token when configured) and the role and access-reason rules of src/policy.ts.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { and, eq, isNull } from 'drizzle-orm';
import type { Database, Db } from '../db/client.ts';
import { principalKeys, principals } from '../db/schema/index.ts';
import { AppError, Errors } from '../errors.ts';
import type { Clock } from '../shared/clock.ts';
import { hashApiKey } from '../shared/keys.ts';
import { sessionPrincipal } from '../db/web-sessions.ts';
import { allowedRoles, needsReason } from '../policy.ts';
import { looksLikeJwt, principalFromToken, type OidcOptions } from './oidc.ts';
import type { Principal } from '../shared/principal.ts';
import type { AuthFailureLimiter } from './rate-limit.ts';
import { checkCsrf, liveSession, type SessionSettings } from './web-session.ts';
import { PRINCIPAL_REVOKED_CHANNEL, type CachedKey, type PrincipalCache } from './principal-cache.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

const LAST_USED_RESOLUTION_MS = 60_000;

/** The principal of an active key, from the cache when it holds it; records the key's last use (at most once a minute per key). */
export async function findPrincipalByKey(db: Db, key: string, now: Date, cache?: PrincipalCache): Promise<Principal | null> {
  const keyHash = hashApiKey(key);
  let found: CachedKey | undefined = cache?.get(keyHash);
  if (!found) {
    const ticket = cache?.ticket() ?? 0;
    const [row] = await db
      .select({
        id: principals.id,
        name: principals.name,
        roles: principals.roles,
        forceId: principals.forceId,
        keyId: principalKeys.id,
        lastUsedAt: principalKeys.lastUsedAt,
      })
      .from(principalKeys)
      .innerJoin(principals, eq(principals.id, principalKeys.principalId))
      .where(and(eq(principalKeys.keyHash, keyHash), isNull(principalKeys.revokedAt), isNull(principals.revokedAt)))
      .limit(1);
    // An unknown key is not cached: a key made a moment ago on another instance works at once.
    if (!row) return null;
    found = { principal: { id: row.id, name: row.name, roles: row.roles, forceId: row.forceId }, keyId: row.keyId, lastUsedAt: row.lastUsedAt };
    if (cache) found = cache.set(keyHash, found, ticket);
  }
  if (!found.lastUsedAt || now.getTime() - found.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
    // Marked before the write, so requests arriving together write it once. Awaited: it happens once a
    // minute per key, and a failure fails the request (as any database error does) rather than vanishing.
    found.lastUsedAt = now;
    await db.update(principalKeys).set({ lastUsedAt: now }).where(eq(principalKeys.id, found.keyId));
  }
  return found.principal;
}

/** Keeps the principal cache only while revocation notices are heard: a revoked key is dropped everywhere at once. */
async function listenForRevocations(app: FastifyInstance, cache: PrincipalCache, listen: Database['listen']) {
  const listener = await listen(PRINCIPAL_REVOKED_CHANNEL, {
    onNotify: (principalId) => cache.evictPrincipal(principalId),
    onState: (listening) => {
      cache.setListening(listening);
      if (!listening) app.log.warn('revocation listener lost: principal cache off until it reconnects');
    },
    onError: (err) => app.log.warn({ code: (err as { code?: string }).code, reason: err.message }, 'revocation listener failed; will retry'),
  });
  app.addHook('onClose', async () => {
    await listener.close();
    cache.setListening(false);
  });
}

export default fp(
  async function authPlugin(
    app: FastifyInstance,
    opts: {
      db: Db;
      clock: Clock;
      oidc?: OidcOptions | undefined;
      /** Failed authentications limited per client address and credential, checked before any lookup. */
      failures?: AuthFailureLimiter | undefined;
      /** Caches key lookups while the database's revocation notices are heard (needs listen). */
      cache?: PrincipalCache | undefined;
      listen?: Database['listen'] | undefined;
      /** The page's session cookie, the third way in (after API keys and access tokens); writes need X-CSRF-Token. */
      session?: SessionSettings | undefined;
    },
  ) {
    app.decorateRequest('principal', null);
    const { cache, listen } = opts;
    if (cache && listen) await listenForRevocations(app, cache, listen);
    app.addHook('onRequest', async (request, reply) => {
      // Answers under /v1 carry personal and health data, and a problem can say what exists: no cache keeps any
      // of them (set first, so the problems thrown below and by the route carry it too).
      reply.header('cache-control', 'no-store');
      const header = request.headers.authorization;
      if (header === undefined && opts.session) {
        const session = await liveSession(opts.db, opts.session, request, reply, opts.clock.now(), 'throttled');
        if (session) {
          checkCsrf(request, session);
          return authorize(request, sessionPrincipal(session));
        }
      }
      const match = typeof header === 'string' ? /^Bearer\s+(\S{1,8192})\s*$/i.exec(header) : null;
      if (!match?.[1]) throw Errors.unauthenticated();
      const token = match[1];
      const jwt = Boolean(opts.oidc) && looksLikeJwt(token);
      const { failures } = opts;
      // A key this instance already knows to be valid needs no lookup, so no check either.
      if (failures && (jwt || !cache?.get(hashApiKey(token)))) {
        const wait = await failures.check(request.ip, token);
        if (wait !== null) throw Errors.authRateLimited(wait);
      }
      let principal: Principal | null;
      try {
        principal = jwt && opts.oidc ? await principalFromToken(opts.db, opts.oidc, token) : await findPrincipalByKey(opts.db, token, opts.clock.now(), cache);
      } catch (err) {
        if (failures && err instanceof AppError && err.status === 401) await failures.fail(request.ip, token);
        throw err;
      }
      if (!principal) {
        await failures?.fail(request.ip, token);
        throw Errors.unauthenticated();
      }
      authorize(request, principal);
    });
  },
  { name: 'auth' },
);

/** The principal on the request, held to the roles and access-reason rules of src/policy.ts. */
function authorize(request: FastifyRequest, principal: Principal): void {
  request.principal = principal;
  const allowed = allowedRoles(request.method, request.routeOptions.url) ?? [];
  if (!principal.roles.some((r) => allowed.includes(r))) {
    throw Errors.forbidden(`This route needs one of the roles: ${allowed.join(', ') || '(none)'}.`);
  }
  const reason = request.headers['x-access-reason'];
  if (needsReason(request.method, request.routeOptions.url, principal.roles) && (typeof reason !== 'string' || reason.trim() === '')) {
    throw Errors.accessReasonRequired();
  }
}
