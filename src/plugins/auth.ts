// Authentication (Bearer API key, or an OIDC access token when configured) and the role check of src/policy.ts.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { principalKeys, principals } from '../db/schema/index.ts';
import { Errors } from '../errors.ts';
import type { Clock } from '../shared/clock.ts';
import { hashApiKey } from '../shared/keys.ts';
import { allowedRoles } from '../policy.ts';
import { looksLikeJwt, principalFromToken, type OidcOptions } from './oidc.ts';
import type { Actor, Principal, Role } from '../shared/principal.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

const LAST_USED_RESOLUTION_MS = 60_000;

/** The principal of an active key; records the key's last use (at most once a minute per key). */
export async function findPrincipalByKey(db: Db, key: string, now: Date): Promise<Principal | null> {
  const [row] = await db
    .select({ id: principals.id, name: principals.name, roles: principals.roles, forceId: principals.forceId, keyId: principalKeys.id, lastUsedAt: principalKeys.lastUsedAt })
    .from(principalKeys)
    .innerJoin(principals, eq(principals.id, principalKeys.principalId))
    .where(and(eq(principalKeys.keyHash, hashApiKey(key)), isNull(principalKeys.revokedAt), isNull(principals.revokedAt)))
    .limit(1);
  if (!row) return null;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
    await db.update(principalKeys).set({ lastUsedAt: now }).where(eq(principalKeys.id, row.keyId));
  }
  return { id: row.id, name: row.name, roles: row.roles as Role[], forceId: row.forceId };
}

/** The actor of an authenticated request; X-Access-Reason becomes the audit reason. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.principal) throw Errors.unauthenticated();
  const reason = request.headers['x-access-reason'];
  return {
    principal: request.principal,
    requestId: request.id,
    reason: typeof reason === 'string' && reason.trim() !== '' ? reason.trim().slice(0, 500) : null,
  };
}

export default fp(
  async function authPlugin(app: FastifyInstance, opts: { db: Db; clock: Clock; oidc?: OidcOptions | undefined }) {
    app.decorateRequest('principal', null);
    app.addHook('onRequest', async (request) => {
      const header = request.headers.authorization;
      const match = typeof header === 'string' ? /^Bearer\s+(\S{1,8192})\s*$/i.exec(header) : null;
      if (!match?.[1]) throw Errors.unauthenticated();
      const token = match[1];
      const principal = opts.oidc && looksLikeJwt(token) ? await principalFromToken(opts.db, opts.oidc, token) : await findPrincipalByKey(opts.db, token, opts.clock.now());
      if (!principal) throw Errors.unauthenticated();
      request.principal = principal;
      const allowed = allowedRoles(request.method, request.routeOptions.url) ?? [];
      if (!principal.roles.some((r) => allowed.includes(r))) {
        throw Errors.forbidden(`This route needs one of the roles: ${allowed.join(', ') || '(none)'}.`);
      }
    });
  },
  { name: 'auth' },
);
