// Authentication (Bearer API key) and role checks for the protected context; routes declare config.roles.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { principals } from '../db/schema/index.ts';
import { Errors } from '../errors.ts';
import { hashApiKey } from '../shared/keys.ts';
import type { Actor, Principal, Role } from '../shared/principal.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Roles allowed to call the route. A protected route without it is refused to everyone. */
    roles?: readonly Role[];
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export async function findPrincipalByKey(db: Db, key: string): Promise<Principal | null> {
  const [row] = await db
    .select({ id: principals.id, name: principals.name, roles: principals.roles, forceId: principals.forceId })
    .from(principals)
    .where(and(eq(principals.keyHash, hashApiKey(key)), isNull(principals.revokedAt)))
    .limit(1);
  return row ? { ...row, roles: row.roles as Role[] } : null;
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
  async function authPlugin(app: FastifyInstance, opts: { db: Db }) {
    app.decorateRequest('principal', null);
    app.addHook('onRequest', async (request) => {
      const header = request.headers.authorization;
      const match = typeof header === 'string' ? /^Bearer\s+(\S{1,512})\s*$/i.exec(header) : null;
      if (!match?.[1]) throw Errors.unauthenticated();
      const principal = await findPrincipalByKey(opts.db, match[1]);
      if (!principal) throw Errors.unauthenticated();
      request.principal = principal;
      const allowed = request.routeOptions.config.roles ?? [];
      if (!principal.roles.some((r) => allowed.includes(r))) {
        throw Errors.forbidden(`This route needs one of the roles: ${allowed.join(', ') || '(none)'}.`);
      }
    });
  },
  { name: 'auth' },
);
